"""tinyml deploy multi: several int8 models in one sketch with one measured, shared tensor arena and one op
resolver for the union of their operators; the sketch compiles; bad input fails in one line with nothing written."""

import json

import numpy as np
import pytest

from tinymlkit.deploy.c_array import parse_c_array
from tinymlkit.deploy.multi import deploy_multi
from tinymlkit.errors import TinyMLError
from tinymlkit.runtime.ops import RESOLVER_METHODS
from tinymlkit.runtime.tflm import check_runs, measure_arena

from clirun import one_line_error, tinyml
from cpp_build import compile_sketch


def _int8(model, shape) -> bytes:
    from tinymlkit.convert.quantize import to_int8

    return to_int8(model, np.random.default_rng(0).uniform(-1, 1, size=(16, *shape)).astype(np.float32))


@pytest.fixture(scope="module")
def models(tmp_path_factory) -> dict:
    """Two small int8 models with different operators and arenas, written as files."""
    import keras

    keras.utils.set_random_seed(0)
    bias = keras.initializers.RandomNormal(stddev=0.1)  # all-zero shared biases make the host TFLM abort
    x = inputs = keras.Input((1,))
    for _ in range(2):
        x = keras.layers.Dense(16, activation="relu", bias_initializer=bias)(x)
    mlp = _int8(keras.Model(inputs, keras.layers.Dense(1, bias_initializer=bias)(x)), (1,))
    x = inputs = keras.Input((24, 24, 1))
    x = keras.layers.Conv2D(8, 3, activation="relu", bias_initializer=bias)(x)
    x = keras.layers.MaxPooling2D(2)(x)
    x = keras.layers.Flatten()(x)
    cnn = _int8(keras.Model(inputs, keras.layers.Dense(3, activation="softmax", bias_initializer=bias)(x)), (24, 24, 1))
    folder = tmp_path_factory.mktemp("models")
    (folder / "wake.tflite").write_bytes(mlp)
    (folder / "detector.tflite").write_bytes(cnn)
    return {"mlp": mlp, "cnn": cnn, "folder": folder}


@pytest.fixture(scope="module")
def deployed(models, tmp_path_factory):
    out = tmp_path_factory.mktemp("multi") / "pair"
    return deploy_multi([models["folder"] / "wake.tflite", models["folder"] / "detector.tflite"], out), out


def test_shared_arena_is_the_largest_measured_need_and_runs_every_model(models, deployed):
    d, _ = deployed
    needs = [measure_arena(models["mlp"]), measure_arena(models["cnn"])]
    assert [m.arena_bytes for m in d.models] == needs
    assert d.shared_arena_bytes == max(needs) and d.separate_arena_bytes == sum(needs)
    assert d.separate_arena_bytes > d.shared_arena_bytes and d.saving_bytes == min(needs)
    for model in (models["mlp"], models["cnn"]):  # each allocates and invokes at the shared size, not below
        assert check_runs(model, d.shared_arena_bytes)[0]
    assert not check_runs(models["cnn"], d.shared_arena_bytes - 256)[0]
    assert all(m.runs_in_shared_arena for m in d.models)
    assert d.shared_arena_32bit == max(m.arena_bytes_32bit for m in d.models) < d.shared_arena_bytes
    assert d.sketch_arena_bytes >= d.shared_arena_bytes and d.separate_sketch_arena_bytes > d.sketch_arena_bytes
    assert d.flash_bytes == len(models["mlp"]) + len(models["cnn"])


def test_one_resolver_for_the_union_of_operators(deployed):
    d, out = deployed
    assert set(d.ops) == set(d.models[0].ops) | set(d.models[1].ops)
    assert {"FULLY_CONNECTED", "CONV_2D", "MAX_POOL_2D", "SOFTMAX"} <= set(d.ops)
    resolver = (out / "multi_sketch" / "op_resolver.h").read_text()
    assert f"MicroMutableOpResolver<{len(d.ops)}>" in resolver
    assert all(f"resolver.{RESOLVER_METHODS[op]}()" in resolver for op in d.ops)
    assert resolver.count("resolver.Add") == len(d.ops)


def test_files_report_and_arrays(models, deployed):
    d, out = deployed
    sketch = out / "multi_sketch"
    report = json.loads((out / "report.json").read_text())
    assert report["shared_arena_bytes"] == d.shared_arena_bytes and report["saving_bytes"] == d.saving_bytes
    assert [m["name"] for m in report["models"]] == ["wake", "detector"]
    assert "64-bit" in report["arena_note"]
    assert (out / "models" / "wake.tflite").read_bytes() == models["mlp"]
    assert parse_c_array((sketch / "detector_model_data.cpp").read_text()) == models["cnn"]
    assert f"kTensorArenaSize = {d.sketch_arena_bytes};" in (sketch / "models.h").read_text()
    readme = (out / "README.md").read_text()
    assert f"| {d.shared_arena_bytes} |" in readme and f"| {d.separate_arena_bytes} |" in readme
    assert "64-bit" in readme and "Arduino_TensorFlowLite" in readme
    assert (out / ".tinyml-output.json").is_file() and (sketch / "multi_sketch.ino").is_file()


def test_the_sketch_compiles(deployed, tmp_path):
    compile_sketch(deployed[1] / "multi_sketch", tmp_path, flags=("-Wextra", "-Werror"))


def test_bad_input_fails_before_writing(models, tmp_path, sine_float_model):
    wake = models["folder"] / "wake.tflite"
    out = tmp_path / "out"
    cases = [
        ([wake], "two or more models"),
        ([wake, tmp_path / "missing.tflite"], "not found"),
        ([wake, wake], "same model"),
        ([models["mlp"], sine_float_model], "float32"),
        ([models["mlp"], b"not a model at all, clearly"], "not a TensorFlow Lite model"),
    ]
    for given, needle in cases:
        with pytest.raises(TinyMLError, match=needle):
            deploy_multi(given, out)
        assert not out.exists()
    (tmp_path / "mine").mkdir()
    (tmp_path / "mine" / "notes.txt").write_text("my notes")
    with pytest.raises(TinyMLError, match="did not write"):
        deploy_multi([models["mlp"], models["cnn"]], tmp_path / "mine")
    assert [p.name for p in (tmp_path / "mine").iterdir()] == ["notes.txt"]


def test_cli_prints_the_table_and_fails_in_one_line(models, tmp_path):
    folder = models["folder"]
    result = tinyml(
        "deploy",
        "multi",
        str(folder / "wake.tflite"),
        str(folder / "detector.tflite"),
        "--out",
        str(tmp_path / "o"),
        env={"COLUMNS": "200"},
    )
    assert result.returncode == 0, result.stderr
    report = json.loads((tmp_path / "o" / "report.json").read_text())
    assert f"{report['shared_arena_bytes']:,}" in result.stdout and f"{report['saving_bytes']:,}" in result.stdout
    assert "64-bit" in result.stdout
    one_line_error(
        tinyml("deploy", "multi", str(folder / "wake.tflite"), "--out", str(tmp_path / "p")), "two or more models"
    )
    assert not (tmp_path / "p").exists()


def test_rerun_replaces_its_own_output_but_never_an_edited_hooks_file(models, tmp_path):
    out = tmp_path / "pair"
    first = deploy_multi([models["mlp"], models["cnn"]], out, names=["2nd-stage", "x"])
    assert [m.name for m in first.models] == ["m_2nd_stage", "x"]  # C identifiers
    deploy_multi([models["mlp"], models["cnn"]], out, names=["a", "b"])  # all files its own: replaced
    assert (out / "models" / "a.tflite").is_file() and not (out / "models" / "x.tflite").exists()
    hooks = out / "multi_sketch" / "hooks.cpp"
    hooks.write_text(hooks.read_text() + "// my trigger\n")
    with pytest.raises(TinyMLError, match="--force"):
        deploy_multi([models["mlp"], models["cnn"]], out, names=["a", "b"])
    with pytest.raises(TinyMLError, match="hooks.cpp was not written by tinyml"):
        deploy_multi([models["mlp"], models["cnn"]], out, names=["a", "b"], force=True)
    assert hooks.read_text().endswith("// my trigger\n")
    with pytest.raises(TinyMLError, match="one name per model"):
        deploy_multi([models["mlp"], models["cnn"]], tmp_path / "other", names=["a"])
