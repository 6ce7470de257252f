"""Hello world (sine): the data file and its errors, the model, and one small end-to-end run."""

import json
from pathlib import Path

import numpy as np
import pytest

from tinymlkit.apps.sine.data import load_sine_csv, synthesize_sine, write_sine_csv
from tinymlkit.errors import TinyMLError

from cpp_build import compile_sketch


@pytest.fixture(autouse=True)
def _private_cache(tmp_path_factory, monkeypatch):
    monkeypatch.setenv("TINYML_CACHE", str(tmp_path_factory.getbasetemp() / "cache"))


def test_synthesized_samples_follow_the_sine():
    x, y = synthesize_sine(500, noise=0.1, seed=1)
    assert x.min() >= 0 and x.max() <= 2 * np.pi
    assert 0.06 < np.mean(np.abs(y - np.sin(x))) < 0.1  # E|N(0, 0.1)| = 0.08
    assert np.array_equal(synthesize_sine(500, 0.1, 1)[1], y)
    x0, y0 = synthesize_sine(100, noise=0.0)
    assert np.array_equal(y0, np.sin(x0))


def test_csv_round_trip_and_stable_splits(tmp_path):
    x, y = synthesize_sine(300, seed=2)
    data = load_sine_csv(write_sine_csv(tmp_path / "s.csv", x, y))
    assert data.x.shape == (300, 1) and np.allclose(data.x[:, 0], x, atol=1e-6) and np.allclose(data.y, y, atol=1e-6)
    counts = {s: int(np.sum(data.split == s)) for s in ("train", "validation", "test")}
    assert 140 < counts["train"] < 220 and counts["validation"] > 30 and counts["test"] > 30
    again = load_sine_csv(tmp_path / "s.csv")
    assert np.array_equal(again.split, data.split)


@pytest.mark.parametrize(
    "content, message",
    [
        ("", "first line must be the header x,y \\(found 'an empty file'\\)"),
        ("a,b\n1,2\n", "first line must be the header x,y \\(found 'a,b'\\)"),
        ("x,y\n" + "1,2\n" * 30 + "1,two\n", "line 32: 'two' is not a number"),
        ("x,y\n" + "1,2\n" * 30 + "1,2,3\n", "line 32: expected 2 comma-separated values, found 3"),
        ("x,y\n" + "1,2\n" * 30 + "inf,0\n", "line 32: 'inf' is not a finite number"),
        ("x,y\n" + "1,2\n" * 5, "only 5 rows of data; a sine data file needs at least 20"),
    ],
)
def test_bad_files_are_one_line_errors(tmp_path, content, message):
    path = tmp_path / "s.csv"
    path.write_text(content)
    with pytest.raises(TinyMLError, match=message) as err:
        load_sine_csv(path)
    assert "\n" not in str(err.value)


def test_missing_and_binary_files(tmp_path):
    with pytest.raises(TinyMLError, match="not found; give a CSV file with the header x,y"):
        load_sine_csv(tmp_path / "none.csv")
    (tmp_path / "b.csv").write_bytes(b"\xff\xfe\x00\x81")
    with pytest.raises(TinyMLError, match="is not a text CSV file"):
        load_sine_csv(tmp_path / "b.csv")


def test_model_is_the_course_hello_world():
    from tinymlkit.models import build_model

    model = build_model("sine_mlp", (1,), 1)
    assert model.count_params() == 321
    assert [layer.units for layer in model.layers[1:]] == [16, 16, 1]


def test_led_brightness_maps_minus_one_to_one_onto_0_to_255():
    from tinymlkit.apps.sine.recipe import led_brightness

    assert led_brightness(np.array([-1.0, 0.0, 1.0, 1.5, -2.0])).tolist() == [0, 127, 255, 255, 0]


@pytest.mark.e2e
def test_sine_end_to_end(tmp_path):
    from tinymlkit.apps.sine.recipe import SineConfig, evaluate, load_data, run, sine_model
    from tinymlkit.deploy.c_array import parse_c_array
    from tinymlkit.train import TrainConfig

    config = SineConfig(
        samples=300,
        runs=str(tmp_path / "runs"),
        train=TrainConfig(epochs=40, batch_size=16, learning_rate=1e-2, patience=40),
    )
    report = run(config)
    run_dir = Path(report.run_dir)
    saved = json.loads((run_dir / "report.json").read_text())
    assert saved["app"] == "sine" and saved["model"]["parameters"] == 321
    assert set(saved["float_metrics"]) == set(saved["int8_metrics"]) == {"mae", "rmse", "sine_mae"}
    assert saved["int8_metrics"]["sine_mae"] < 0.3  # a few epochs already give a rough sine
    assert abs(saved["int8_metrics"]["sine_mae"] - saved["float_metrics"]["sine_mae"]) < 0.05
    assert saved["model"]["ops"] == ["FULLY_CONNECTED"] and 1000 < saved["model"]["arena_bytes"] < 4000
    deploy = run_dir / "deploy"
    tflite = (deploy / "model.tflite").read_bytes()
    assert parse_c_array((deploy / "model_data.cc").read_text()) == tflite
    assert (run_dir / "predictions.png").is_file()
    sketch = deploy / "sine_sketch"
    settings = (sketch / "model_settings.h").read_text()
    assert "constexpr float kXMax = 6.28318531f;" in settings
    compile_sketch(sketch, tmp_path)
    data, _ = load_data(config)
    assert evaluate(tflite, data) == pytest.approx(report.int8_metrics)
    with pytest.raises(TinyMLError, match="a sine model maps one x to one y"):
        sine_model(_two_input_model())


def _two_input_model() -> bytes:
    import keras

    from tinymlkit.convert.quantize import to_int8

    inputs = keras.Input((2,))
    model = keras.Model(inputs, keras.layers.Dense(1)(inputs))
    return to_int8(model, np.random.default_rng(0).normal(size=(20, 2)).astype(np.float32))
