"""tinyml check: CI gates on flash, arena and latency from the profiler and on accuracy measured in TFLM with the
application's own evaluation; exit 0 / 1 (a gate failed) / 2 (not checked), one line per gate, JSON for CI."""

import json
from dataclasses import replace

import numpy as np
import pytest

from tinymlkit.errors import TinyMLError
from tinymlkit.gates import check_model
from tinymlkit.profile import profile_model
from tinymlkit.runtime.tflm import measure_arena

from clirun import tinyml_here

WORDS = ["yes", "no"]
LABELS = ["silence", "unknown", *WORDS]


@pytest.fixture(scope="module")
def kws_model(tmp_path_factory):
    """A small int8 keyword model (49x40 micro features in, silence/unknown/yes/no out) with its labels.txt."""
    import keras

    from tinymlkit.apps.kws.recipe import FEATURE_RANGE
    from tinymlkit.convert.quantize import to_int8

    keras.utils.set_random_seed(0)
    inputs = keras.Input((49 * 40,))
    x = keras.layers.Dense(8, activation="relu", bias_initializer="ones")(inputs)
    model = keras.Model(inputs, keras.layers.Dense(len(LABELS), activation="softmax", bias_initializer="ones")(x))
    rng = np.random.default_rng(0)
    tflite = to_int8(model, rng.uniform(*FEATURE_RANGE, size=(32, 49 * 40)).astype(np.float32), FEATURE_RANGE)
    folder = tmp_path_factory.mktemp("kws_model")
    (folder / "model.tflite").write_bytes(tflite)
    (folder / "labels.txt").write_text("\n".join(LABELS) + "\n")
    return folder / "model.tflite"


@pytest.fixture(scope="module")
def hybrid_model(tmp_path_factory):
    import keras
    import tensorflow as tf

    keras.utils.set_random_seed(0)
    inputs = keras.Input((32,), batch_size=1)
    model = keras.Model(inputs, keras.layers.Dense(4)(keras.layers.Dense(64, activation="relu")(inputs)))
    converter = tf.lite.TFLiteConverter.from_keras_model(model)
    converter.optimizations = [tf.lite.Optimize.DEFAULT]
    path = tmp_path_factory.mktemp("hybrid") / "hybrid.tflite"
    path.write_bytes(bytes(converter.convert()))
    return path


def test_size_and_speed_gates_pass_at_the_measured_figures_and_fail_just_below(kws_model):
    model = kws_model.read_bytes()
    arena = measure_arena(model)
    latency = profile_model(model, "nano33ble", measure=False).latency_ms
    ok = check_model(kws_model, "nano33ble", max_flash=len(model), max_arena=arena, max_latency_ms=latency)
    assert ok.passed and [g.name for g in ok.gates] == ["runs in TFLM", "fits nano33ble", "flash", "arena", "latency"]
    assert [g.measured for g in ok.gates[2:]] == [len(model), arena, pytest.approx(latency)]
    bad = check_model(model, "nano33ble", max_flash=len(model) - 1, max_arena=arena - 1, max_latency_ms=latency / 2)
    assert not bad.passed and [g.name for g in bad.failed] == ["flash", "arena", "latency"]
    assert bad.gates[3].line().startswith(f"FAIL arena: {arena:,} B <= {arena - 1:,} B (")
    assert "64-bit" in bad.gates[3].reason and "estimated" in bad.gates[4].reason


def test_accuracy_is_the_applications_own_tflm_evaluation(kws_model, tone_dataset):
    import tinymlkit as tm

    result = check_model(kws_model, min_accuracy=0.0, recipe=tm.kws, data=tone_dataset, labels=LABELS)
    config = tm.kws.config(data=str(tone_dataset), words=WORDS)
    data, _ = tm.kws.load_data(config)
    every = replace(data, split=np.full(len(data), "test", dtype=object))
    expected = tm.kws.evaluate(kws_model, every, config, LABELS)
    gate = result.gates[-1]
    assert gate.name == "accuracy" and gate.passed and gate.measured == expected.metrics["accuracy"]
    assert result.examples == expected.examples == len(data)  # every clip of the folder, not one split
    test_only = check_model(kws_model, min_accuracy=0.0, recipe=tm.kws, data=tone_dataset, labels=LABELS, split="test")
    assert test_only.examples == len(data.part("test")) < result.examples
    strict = check_model(
        kws_model, min_accuracy=min(1.0, gate.measured + 0.01), recipe=tm.kws, data=tone_dataset, labels=LABELS
    )
    assert not strict.passed and [g.name for g in strict.failed] == ["accuracy"]


def test_usage_errors_raise_before_measuring(kws_model, tmp_path):
    import tinymlkit as tm

    cases = [
        (dict(model=tmp_path / "none.tflite"), "not found"),
        (dict(model=kws_model, board="uno"), "unknown board"),
        (dict(model=kws_model, min_accuracy=0.8), "application"),
        (dict(model=kws_model, min_accuracy=0.8, recipe=tm.kws), "labelled data"),
        (dict(model=kws_model, min_accuracy=85, recipe=tm.kws, data="builtin"), "between 0 and 1"),
        (dict(model=kws_model, min_accuracy=0.8, recipe=tm.sine, data="builtin"), "not classifiers"),
        (dict(model=kws_model, max_arena=-5), "positive"),
        (dict(model=kws_model, min_accuracy=0.5, recipe=tm.kws, data=tmp_path / "nowhere"), "not found"),
    ]
    for kwargs, needle in cases:
        with pytest.raises(TinyMLError, match=needle):
            check_model(**kwargs)


def test_cli_exit_codes_lines_and_json(kws_model, hybrid_model, tone_dataset, tmp_path):
    model = str(kws_model)
    size = kws_model.stat().st_size
    ok = tinyml_here("check", model, "--board", "nano33ble", "--max-flash", str(size))
    assert ok.returncode == 0, ok.stderr
    gates = [line for line in ok.stdout.splitlines() if line.startswith(("PASS", "FAIL"))]
    assert [g.split(":")[0] for g in gates] == ["PASS runs in TFLM", "PASS fits nano33ble", "PASS flash"]
    assert gates[2].startswith(f"PASS flash: {size:,} B <= {size:,} B (")
    assert ok.stdout.strip().splitlines()[-1] == "3 of 3 gates passed"

    failed = tinyml_here(
        "check",
        model,
        "--max-flash",
        str(size - 1),
        "--min-accuracy",
        "1.0",
        "--app",
        "kws",
        "--data",
        str(tone_dataset),
    )
    assert failed.returncode == 1, failed.stderr
    assert f"FAIL flash: {size:,} B <= {size - 1:,} B" in failed.stdout
    assert "FAIL accuracy:" in failed.stdout and "failed: flash, accuracy" in failed.stdout  # labels.txt was read

    as_json = tinyml_here("check", model, "--max-arena", "100", "--json")
    assert as_json.returncode == 1
    report = json.loads(as_json.stdout)
    assert report["passed"] is False and report["gates"][-1]["name"] == "arena"
    assert report["gates"][-1]["measured"] > 100 and report["gates"][-1]["limit"] == 100

    hybrid = tinyml_here("check", str(hybrid_model))
    assert hybrid.returncode == 1 and "FAIL runs in TFLM: dynamic-range (hybrid)" in hybrid.stdout

    for args, needle in [
        ((str(tmp_path / "x.tflite"),), "not found"),
        ((model, "--board", "uno"), "unknown board"),
        ((model, "--min-accuracy", "0.5"), "--app"),
        ((model, "--min-metric", "accuracy"), "NAME=VALUE"),
    ]:
        result = tinyml_here("check", *args)
        assert result.returncode == 2, (args, result.stdout, result.stderr)
        errors = [line for line in result.stderr.splitlines() if line.strip()]
        assert len(errors) == 1 and errors[0].startswith("error:") and needle in errors[0], result.stderr
    assert tinyml_here("check", model, "--max-flash", "many").returncode == 2  # Typer's own usage error
