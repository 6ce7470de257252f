"""tinyml profile: exact MAC counts on hand-built models, the measured arena, problems and fixes, the boards
catalogue, the latency model's data, the loader under truncation and bit flips, and the CLI."""

import json
import time

import numpy as np
import pytest

from tinymlkit.errors import TinyMLError
from tinymlkit.profile import load_boards, profile_model
from tinymlkit.profile.latency import evaluate, fitted_models, load_measurements
from tinymlkit.profile.render import profile_dict, render_html
from tinymlkit.runtime.tflm import check_runs

from clirun import tinyml

REQUIRED_BOARDS = {"nano33ble", "pico", "esp32s3", "nucleo-l4r5zi", "nucleo-h743zi2", "nicla-vision", "sparkfun-edge"}
WIDE = {"COLUMNS": "200"}


def _int8(model, shape, seed=0) -> bytes:
    from tinymlkit.convert.quantize import to_int8

    return to_int8(model, np.random.default_rng(seed).uniform(-1, 1, size=(16, *shape)).astype(np.float32))


def _reference_model(name: str) -> bytes:
    """An untrained MLPerf Tiny reference model as int8 (benchmarks/reference_models.py)."""
    import sys
    from pathlib import Path

    sys.path.insert(0, str(Path(__file__).parents[1] / "benchmarks"))
    from reference_models import int8_model

    return int8_model(name)


@pytest.fixture(scope="module")
def small_cnn() -> bytes:
    """8x8x2 -> conv 4@3x3 valid -> depthwise 3x3 same -> add (residual) -> max pool 2x2 -> dense 5 -> softmax."""
    import keras

    keras.utils.set_random_seed(0)
    inputs = keras.Input((8, 8, 2))
    x = keras.layers.Conv2D(4, 3, activation="relu")(inputs)  # 6x6x4
    y = keras.layers.DepthwiseConv2D(3, padding="same")(x)  # 6x6x4
    x = keras.layers.Add()([x, y])
    x = keras.layers.MaxPooling2D(2)(x)  # 3x3x4
    x = keras.layers.Flatten()(x)
    outputs = keras.layers.Dense(5, activation="softmax", bias_initializer="ones")(x)  # a zero bias is dropped
    return _int8(keras.Model(inputs, outputs), (8, 8, 2))


@pytest.fixture(scope="module")
def hybrid_model() -> bytes:
    """Optimize.DEFAULT without a representative dataset: int8 weights, float activations."""
    import keras
    import tensorflow as tf

    keras.utils.set_random_seed(0)
    inputs = keras.Input((32,), batch_size=1)
    model = keras.Model(inputs, keras.layers.Dense(4)(keras.layers.Dense(64, activation="relu")(inputs)))
    converter = tf.lite.TFLiteConverter.from_keras_model(model)
    converter.optimizations = [tf.lite.Optimize.DEFAULT]
    return bytes(converter.convert())


def test_mac_and_parameter_counts_are_exact(small_cnn):
    p = profile_model(small_cnn, measure=False)
    by_op = {layer.op: layer for layer in p.layers}
    assert set(by_op) >= {"CONV_2D", "DEPTHWISE_CONV_2D", "ADD", "MAX_POOL_2D", "FULLY_CONNECTED", "SOFTMAX"}
    assert by_op["CONV_2D"].macs == 6 * 6 * 4 * (3 * 3 * 2)
    assert by_op["DEPTHWISE_CONV_2D"].macs == 6 * 6 * 4 * (3 * 3)
    assert by_op["ADD"].macs == 6 * 6 * 4
    assert by_op["MAX_POOL_2D"].macs == 3 * 3 * 4 * (2 * 2)
    assert by_op["FULLY_CONNECTED"].macs == 36 * 5
    assert by_op["SOFTMAX"].macs == 5
    assert by_op["CONV_2D"].parameters == 3 * 3 * 2 * 4 + 4
    assert by_op["DEPTHWISE_CONV_2D"].parameters == 3 * 3 * 4 + 4
    assert by_op["FULLY_CONNECTED"].parameters == 36 * 5 + 5
    assert p.parameters == 76 + 40 + 185  # the reshape's target shape is not a parameter
    assert p.macs == sum(layer.macs for layer in p.layers)
    # activations, int8: conv reads 8x8x2 and writes 6x6x4; the add's inputs and output are live together
    assert by_op["CONV_2D"].activation_bytes == 128 + 144
    assert p.peak_activation_bytes == 3 * 144 and p.layers[p.peak_layer].op == "ADD"
    assert not p.issues and p.runnable


def test_measure_false_is_cheap_and_starts_no_process(small_cnn, monkeypatch):
    import subprocess

    def no_subprocess(*args, **kwargs):
        raise AssertionError("measure=False must not start a process")

    monkeypatch.setattr(subprocess, "run", no_subprocess)
    start = time.perf_counter()
    p = profile_model(small_cnn, "nano33ble", measure=False)
    assert time.perf_counter() - start < 1.0
    assert p.arena_bytes is None and p.latency_ms > 0 and p.fit.verdict == "fits"
    assert "not measured" in p.fit.ram_basis


def test_arena_is_what_tflm_needs(small_cnn):
    p = profile_model(small_cnn)
    assert p.arena_bytes and check_runs(small_cnn, p.arena_bytes)[0]
    assert not check_runs(small_cnn, p.arena_bytes - 1024)[0]
    assert p.arena_bytes_32bit < p.arena_bytes and "64-bit" in p.arena_note


def test_latency_is_per_layer_and_scales_with_the_clock(small_cnn):
    nano = profile_model(small_cnn, "nano33ble", measure=False)
    l4 = profile_model(small_cnn, "nucleo-l4r5zi", measure=False)  # same core, 120 vs 64 MHz
    assert nano.latency_ms == pytest.approx(sum(layer.latency_ms for layer in nano.layers))
    assert nano.latency_ms == pytest.approx(l4.latency_ms * 120 / 64)
    ref = profile_model(small_cnn, "nano33ble", measure=False, kernels="reference")
    assert "uncalibrated" in ref.latency_basis and "scaled" in nano.latency_basis


def test_unknown_board_lists_the_valid_names(small_cnn):
    with pytest.raises(TinyMLError, match="unknown board 'uno'.*nano33ble.*pico"):
        profile_model(small_cnn, "uno", measure=False)
    with pytest.raises(TinyMLError, match="unknown kernel set"):
        profile_model(small_cnn, "pico", measure=False, kernels="fast")


def test_float_model_is_flagged_with_the_fix(sine_float_model):
    p = profile_model(sine_float_model, "pico")
    assert [layer.macs for layer in p.layers] == [16, 256, 16] and p.parameters == 321
    assert p.arena_bytes and 1000 < p.arena_bytes < 4000
    (issue,) = p.issues
    assert issue.severity == "warning" and "float model" in issue.message and "int8 input/output" in issue.fix
    assert all(layer.float_compute for layer in p.layers)


def test_float_input_output_on_an_int8_model_is_flagged():
    import keras
    import tensorflow as tf

    keras.utils.set_random_seed(0)
    inputs = keras.Input((8,), batch_size=1)
    model = keras.Model(inputs, keras.layers.Dense(3)(inputs))
    converter = tf.lite.TFLiteConverter.from_keras_model(model)
    converter.optimizations = [tf.lite.Optimize.DEFAULT]
    converter.representative_dataset = lambda: ([np.full((1, 8), v, np.float32)] for v in (-1.0, 0.0, 1.0))
    p = profile_model(bytes(converter.convert()), measure=False)
    assert [layer.op for layer in p.layers] == ["QUANTIZE", "FULLY_CONNECTED", "DEQUANTIZE"]
    (issue,) = p.issues
    assert "float input/output" in issue.message and "int8 input/output" in issue.fix
    assert not any(layer.float_compute for layer in p.layers) and p.runnable


def test_hybrid_model_is_an_error_with_the_fix(hybrid_model):
    p = profile_model(hybrid_model, "nano33ble")
    assert p.hybrid and not p.runnable and p.arena_bytes is None
    (issue,) = [i for i in p.issues if i.severity == "error"]
    assert "representative dataset" in issue.fix
    assert p.latency_ms is not None and p.fit is not None  # still profiled: shapes, MACs, fit


def test_operator_tflm_lacks_is_named_with_the_fix(sine_float_model):
    import flatbuffers
    from tflite_micro.tensorflow.lite.micro.python import schema_py_generated as schema

    model = schema.ModelT.InitFromObj(schema.Model.GetRootAs(sine_float_model, 0))
    model.operatorCodes[0].builtinCode = model.operatorCodes[0].deprecatedBuiltinCode = schema.BuiltinOperator.RANGE
    builder = flatbuffers.Builder(1024)
    builder.Finish(model.Pack(builder), file_identifier=b"TFL3")
    p = profile_model(bytes(builder.Output()))  # the arena is not probed: TFLM could not run it
    assert p.arena_bytes is None and "cannot run" in p.arena_note
    assert any(i.severity == "error" and "RANGE" in i.message and "replace op RANGE" in i.fix for i in p.issues)


def test_damaged_files_never_crash_the_loader(small_cnn):
    rng = np.random.default_rng(0)
    outcomes = {"profiled": 0, "refused": 0}
    parsed = None
    for case in range(40):
        data = bytearray(small_cnn)
        if case % 2:
            data = data[: int(rng.integers(0, len(data)))]
        else:
            for _ in range(int(rng.integers(1, 8))):
                i = int(rng.integers(0, len(data)))
                data[i] ^= 1 << int(rng.integers(0, 8))
        try:
            profile_model(bytes(data), "nano33ble", measure=False)
            outcomes["profiled"] += 1
            parsed = parsed or bytes(data)
        except TinyMLError as exc:
            assert "\n" not in str(exc)
            outcomes["refused"] += 1
    assert outcomes["refused"] > 0 and sum(outcomes.values()) == 40
    if parsed is not None:  # a damaged file that parses goes to TFLM in a worker process: this one cannot crash
        try:
            profile_model(parsed, measure=True)
        except TinyMLError:
            pass


def test_a_model_that_crashes_tflm_is_a_warning_not_a_crash():
    """The untrained MLPerf VWW MobileNet (all-zero biases merged into shared buffers) aborts the host TFLM at
    every arena size; the probes run in worker processes, so the profile survives and names the cause."""
    p = profile_model(_reference_model("vww_mobilenet"), "nano33ble")
    (issue,) = p.issues
    assert issue.severity == "warning" and "crashed" in issue.message and "all zero" in issue.fix
    assert p.arena_bytes is None and p.fit is not None and p.runnable


@pytest.mark.parametrize(
    "family, shape, classes",
    [
        ("tiny_conv", (49, 40), 4),
        ("ds_cnn", (49, 40), 4),
        ("ds_cnn_cmvn", (49, 40), 4),
        ("sine_mlp", (1,), 1),
        ("wand_cnn", (32, 32, 3), 3),
    ],
)
def test_profiles_every_model_the_toolkit_builds(family, shape, classes):
    from tinymlkit.models import build_model

    model = build_model(family, shape, classes, width=0.5 if family.startswith("ds_cnn") else 1.0)
    p = profile_model(_int8(model, model.input_shape[1:]), "nano33ble", measure=False)
    assert p.runnable and not p.issues and p.macs > 0 and p.fit.verdict == "fits"
    assert 0 < p.parameters <= model.count_params()  # batch norm folds into convolutions, zero biases are dropped


def test_boards_catalogue_has_sources():
    boards = load_boards()
    assert REQUIRED_BOARDS <= set(boards)
    for b in boards.values():
        assert b.sources and b.clock_mhz > 0 and 0 < b.arena_budget < b.ram_bytes and b.model_flash_budget > 0
        assert b.core in {core for core, _ in fitted_models()}


def test_latency_measurements_are_sourced_and_split():
    workloads, rows, _ = load_measurements()
    assert {m.split for m in rows} >= {"calibration", "holdout"}
    assert all(m.workload in workloads and m.source and m.verified for m in rows)
    errors = evaluate()
    calibration = [e for e in errors if e.split == "calibration"]
    assert all(abs(e.error) < 0.3 for e in calibration)
    assert len([e for e in errors if e.split == "holdout"]) >= 3


def test_html_is_self_contained_and_json_renders_the_same_object(small_cnn):
    p = profile_model(small_cnn, "esp32s3", measure=False)
    page = render_html(p)
    assert "<svg" in page and "ESP32-S3" in page and "DEPTHWISE_CONV_2D" in page
    assert "http://" not in page and "https://" not in page and "<script" not in page and "<link" not in page
    data = json.loads(json.dumps(profile_dict(p)))
    assert data["macs"] == p.macs and data["fit"]["verdict"] == p.fit.verdict and len(data["layers"]) == len(p.layers)


def test_cli_profile_writes_table_json_and_html(small_cnn, tmp_path):
    model = tmp_path / "run" / "deploy" / "model.tflite"  # a run folder stands for its deployed model
    model.parent.mkdir(parents=True)
    model.write_bytes(small_cnn)
    result = tinyml(
        "profile",
        str(tmp_path / "run"),
        "--board",
        "nano33ble",
        "--json",
        str(tmp_path / "p.json"),
        "--html",
        str(tmp_path / "p.html"),
        env=WIDE,
    )
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "CONV_2D" in out and "tensor arena (TFLM, host)" in out and "verdict: fits" in out and "ms" in out
    data = json.loads((tmp_path / "p.json").read_text())
    assert data["arena_bytes"] > 0 and data["board"]["id"] == "nano33ble"
    assert "<svg" in (tmp_path / "p.html").read_text()


@pytest.mark.parametrize(
    "content, message",
    [
        (b"just some text, not a model", "not a TensorFlow Lite model"),
        (None, "corrupt or truncated"),
    ],
)
def test_cli_bad_files_are_one_line_errors(tmp_path, sine_float_model, content, message):
    path = tmp_path / "bad.tflite"
    path.write_bytes(content if content is not None else sine_float_model[:300])
    result = tinyml("profile", str(path), env=WIDE)
    assert result.returncode == 1 and message in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1 and "Traceback" not in result.stderr


def test_cli_missing_file_and_unknown_board(tmp_path, sine_float_model):
    result = tinyml("profile", str(tmp_path / "none.tflite"), env=WIDE)
    assert result.returncode == 1 and "not found" in result.stderr
    (tmp_path / "sine.tflite").write_bytes(sine_float_model)
    result = tinyml("profile", str(tmp_path / "sine.tflite"), "--board", "uno", "--no-measure", env=WIDE)
    assert result.returncode == 1 and "unknown board 'uno'" in result.stderr and "nano33ble" in result.stderr


def test_cli_boards_lists_the_catalogue():
    result = tinyml("boards", env=WIDE)
    assert result.returncode == 0
    for board in REQUIRED_BOARDS:
        assert board in result.stdout


def test_reference_kws_workload_matches_its_architecture():
    """The MLPerf Tiny DS-CNN, counted by hand: conv 10x4 (25x5x64 out), 4 x (depthwise 3x3 + pointwise 64),
    average pool 25x5, dense 12, softmax."""
    p = profile_model(_reference_model("kws_ds_cnn"), measure=False)
    conv = 25 * 5 * 64 * (10 * 4)
    blocks = 4 * (25 * 5 * 64 * 9 + 25 * 5 * 64 * 64)
    assert p.macs == conv + blocks + 25 * 5 * 64 + 64 * 12 + 12 == 2_664_780
    workloads, _, _ = load_measurements()
    assert sum(workloads["kws_ds_cnn"].work.values()) == p.macs
