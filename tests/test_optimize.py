"""Optimization: QAT (fake quantization, batch-norm folding, conversion checked in TFLM), magnitude pruning (schedule,
masks, sparsity that survives int8), the sweep's point syntax, and ``tinyml optimize`` end to end on tone data."""

import csv
import json
from pathlib import Path

import keras
import numpy as np
import pytest

from tinymlkit.apps.kws.recipe import FEATURE_RANGE, KwsConfig, features, load_data
from tinymlkit.apps.kws.recipe import recipe as KWS
from tinymlkit.convert.quantize import to_int8
from tinymlkit.convert.strip import strip_names
from tinymlkit.datatools.augment import AudioAugment
from tinymlkit.errors import TinyMLError
from tinymlkit.evaluate.metrics import classify
from tinymlkit.models import build_model
from tinymlkit.optimize.prune import (
    PruneSchedule,
    compressed_size,
    kernel_sparsity,
    magnitude_mask,
    prune,
    weight_sparsity,
)
from tinymlkit.optimize.qat import fake_quant_weights, fold_batch_norm, quantization_aware_training
from tinymlkit.optimize.sweep import DEFAULT_POINTS, Candidate, SweepConfig, parse_point, run_sweep
from tinymlkit.pipeline import verify_int8
from tinymlkit.runtime.model_file import read_model
from tinymlkit.runtime.tflm import TFLMModel
from tinymlkit.train import TrainConfig, fit, seed_everything

from clirun import tinyml, tinyml_here

SHAPE = (49, 40)


@pytest.fixture(scope="module")
def tone_features(tone_dataset):
    config = KwsConfig(words=["yes", "no"], data=str(tone_dataset), augment=AudioAugment(copies=0))
    data, _ = load_data(config)
    return features(data, config), data.labels


@pytest.fixture(scope="module")
def trained_tiny_conv(tone_features):
    feats, labels = tone_features
    seed_everything(0)
    model = build_model("tiny_conv", SHAPE, len(labels), 0.5)
    model.compile(optimizer=keras.optimizers.Adam(3e-3), loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    fit(model, feats["train"], feats["validation"], TrainConfig(epochs=4, batch_size=32))
    return model


def clone(model):
    copy = keras.models.clone_model(model)
    copy.set_weights(model.get_weights())
    return copy


# --- fake quantization and folding -------------------------------------------------------------------------------


def test_fake_quant_weights_is_the_converters_symmetric_per_channel_int8():
    kernel = np.random.default_rng(0).standard_normal((3, 3, 4, 6)).astype(np.float32)
    kernel[..., 2] *= 10  # channels with different ranges get different scales
    q = keras.ops.convert_to_numpy(fake_quant_weights(kernel, "conv"))
    for c in range(6):
        scale = np.abs(kernel[..., c]).max() / 127
        steps = q[..., c] / scale
        np.testing.assert_allclose(steps, np.round(steps), atol=1e-3)  # on the channel's own grid
        assert np.abs(steps).max() == pytest.approx(127, abs=1e-3)
        assert np.abs(q[..., c] - kernel[..., c]).max() <= scale / 2 + 1e-6


def test_batch_norm_folds_into_the_convolutions_exactly():
    seed_everything(0)
    model = build_model("ds_cnn", SHAPE, 4, 0.125)
    rng = np.random.default_rng(1)
    for layer in model.layers:  # statistics as after training, not the identity
        if isinstance(layer, keras.layers.BatchNormalization):
            n = layer.moving_mean.shape[0]
            layer.set_weights(
                [rng.uniform(0.5, 2, n), rng.normal(0, 0.3, n), rng.normal(0, 0.5, n), rng.uniform(0.2, 3, n)]
            )
    folded = fold_batch_norm(model)
    assert not any(isinstance(layer, keras.layers.BatchNormalization | keras.layers.ReLU) for layer in folded.layers)
    x = rng.uniform(0, 26, (8, 1960)).astype(np.float32)
    np.testing.assert_allclose(folded(x), model(x, training=False), atol=1e-5, rtol=1e-4)


def test_folding_rejects_a_model_that_is_not_a_chain():
    inputs = keras.Input((8,))
    a, b = keras.layers.Dense(4)(inputs), keras.layers.Dense(4)(inputs)
    model = keras.Model(inputs, keras.layers.Dense(2, activation="softmax")(keras.layers.Add()([a, b])))
    with pytest.raises(TinyMLError, match="one chain|plain chain"):
        fold_batch_norm(model)


# --- quantization-aware training -----------------------------------------------------------------------------------


def test_qat_model_converts_to_int8_and_runs_in_tflm(tone_features, trained_tiny_conv):
    feats, labels = tone_features
    (x_train, y_train), validation, (x_test, y_test) = (feats[s] for s in ("train", "validation", "test"))
    before = [w.copy() for w in trained_tiny_conv.get_weights()]
    result = quantization_aware_training(
        trained_tiny_conv,
        (x_train, y_train),
        validation,
        TrainConfig(epochs=1, batch_size=32, learning_rate=5e-4),
        FEATURE_RANGE,
    )
    assert all(np.array_equal(a, b) for a, b in zip(before, trained_tiny_conv.get_weights(), strict=True))
    assert result.trained.epochs_run == 1
    int8 = verify_int8(result.model, x_train, x_test, input_range=FEATURE_RANGE)
    assert int8.tflm.info.op_names == ["DEPTHWISE_CONV_2D", "FULLY_CONNECTED", "RESHAPE", "SOFTMAX"]
    float_accuracy = classify(result.model.predict(x_test, verbose=0), y_test, labels).accuracy
    int8_accuracy = classify(int8.outputs, y_test, labels).accuracy
    assert int8_accuracy > 0.6 and abs(int8_accuracy - float_accuracy) <= 0.05
    again = quantization_aware_training(result.model, (x_train, y_train), None, TrainConfig(epochs=1, batch_size=32))
    assert len(again.model.layers) == len(result.model.layers)  # an exported model is a plain chain again
    conv = result.model.get_layer("conv").kernel.numpy()  # exported on the int8 grid: nothing left to round
    scale = np.abs(conv).max(axis=(0, 1)).reshape(-1) / 127
    steps = conv.reshape(-1, scale.size) / scale
    np.testing.assert_allclose(steps, np.round(steps), atol=1e-3)


def test_training_needs_an_epoch():
    with pytest.raises(TinyMLError, match="--epochs 0: must be at least 1"):
        TrainConfig(epochs=0)


# --- pruning ---------------------------------------------------------------------------------------------------------


def test_schedules_rise_to_the_target():
    poly = PruneSchedule(target=0.8, kind="polynomial", begin_step=10, end_step=110)
    values = [poly.sparsity(s, 200) for s in range(0, 200, 5)]
    assert values[0] == 0 and poly.sparsity(10, 200) == 0 and poly.sparsity(110, 200) == pytest.approx(0.8)
    assert all(b >= a for a, b in zip(values, values[1:], strict=False)) and max(values) == pytest.approx(0.8)
    assert poly.sparsity(60, 200) == pytest.approx(0.8 * (1 - 0.5**3))
    const = PruneSchedule(target=0.5, kind="constant", begin_step=3)
    assert const.sparsity(2, 100) == 0 and const.sparsity(3, 100) == const.sparsity(99, 100) == 0.5
    assert PruneSchedule(target=0.6).sparsity(75, 100) == pytest.approx(0.6)  # default end: 3/4 of the steps


def test_magnitude_mask_drops_the_smallest_weights():
    kernel = np.array([[0.5, -0.1], [0.05, -2.0]], dtype=np.float32)
    assert magnitude_mask(kernel, 0.5).tolist() == [[1, 0], [0, 1]]
    assert magnitude_mask(kernel, 0.0).sum() == 4


@pytest.mark.parametrize(
    ("schedule", "message"),
    [
        (PruneSchedule(target=1.0), "target sparsity"),
        (PruneSchedule(kind="cubic"), "unknown pruning schedule"),
        (PruneSchedule(frequency=0), "frequency"),
    ],
)
def test_bad_schedules_give_one_line_errors(schedule, message):
    with pytest.raises(TinyMLError, match=message) as err:
        schedule.check()
    assert "\n" not in str(err.value)


def test_pruning_reaches_the_target_sparsity_in_the_int8_weights(tone_features, trained_tiny_conv):
    feats, labels = tone_features
    (x_train, y_train), (x_test, y_test) = feats["train"], feats["test"]
    dense = to_int8(trained_tiny_conv, x_train, FEATURE_RANGE)
    result = prune(
        clone(trained_tiny_conv),
        (x_train, y_train),
        PruneSchedule(target=0.6, frequency=2),
        TrainConfig(epochs=3, batch_size=32, learning_rate=1e-3),
    )
    assert result.sparsity == pytest.approx(0.6, abs=0.005) and kernel_sparsity(result.model) == result.sparsity
    int8 = verify_int8(result.model, x_train, x_test, input_range=FEATURE_RANGE)
    sparse = int8.tflite
    assert classify(int8.outputs, y_test, labels).accuracy > 0.6  # fine-tuning kept it working
    assert weight_sparsity(sparse) >= 0.595 and weight_sparsity(dense) < 0.1
    assert compressed_size(sparse) < 0.75 * compressed_size(dense)  # the zeros compress
    assert abs(len(sparse) - len(dense)) < 100  # ... but TFLM stores tensors dense
    assert read_model(sparse).op_names == read_model(dense).op_names


# --- stripping names ----------------------------------------------------------------------------------------------


def test_stripped_model_is_smaller_and_gives_the_same_results(tone_features, trained_tiny_conv):
    feats, _ = tone_features
    x_train, x_test = feats["train"][0], feats["test"][0]
    named = to_int8(trained_tiny_conv, x_train, FEATURE_RANGE)
    stripped = strip_names(named)
    assert len(stripped) < len(named) - 500
    assert all(t.name == "" for t in read_model(stripped).tensors) and any(t.name for t in read_model(named).tensors)
    a, b = TFLMModel(named), TFLMModel(stripped)
    assert a.arena_size == b.arena_size and np.array_equal(a.predict(x_test), b.predict(x_test))
    with pytest.raises(TinyMLError, match="not a TensorFlow Lite model"):
        strip_names(b"not a model at all")


# --- the sweep -------------------------------------------------------------------------------------------------------


def test_cli_help_lists_the_default_points():
    import inspect

    from tinymlkit.cli.optimize import optimize

    assert ", ".join(DEFAULT_POINTS) in inspect.signature(optimize).parameters["points"].default.help


def test_points_parse_and_bad_points_say_the_format():
    assert parse_point("ds_cnn@0.125+qat") == Candidate("ds_cnn", 0.125, "qat")
    assert parse_point(" tiny_conv@1.0+prune75 ") == Candidate("tiny_conv", 1.0, "prune", 0.75)
    assert parse_point("tiny_conv@1.0").name == "tiny_conv@1"
    for bad, message in [
        ("ds_cnn", "family@width"),
        ("resnet@1", "unknown model"),
        ("ds_cnn@0+qat", "width"),
        ("ds_cnn@0.5+prune00", "1-99"),
        ("ds_cnn@0.5+int4", "family@width"),
    ]:
        with pytest.raises(TinyMLError, match=message):
            parse_point(bad)


@pytest.mark.parametrize(
    ("config", "message"),
    [
        ({"board": "uno"}, "unknown board 'uno'"),
        ({"points": ()}, "no points"),
        ({"points": ("ds_cnn@0.5", "ds_cnn@0.50")}, "twice"),
    ],
)
def test_bad_sweeps_fail_before_any_work(tmp_path, config, message):
    with pytest.raises(TinyMLError, match=message):
        run_sweep(KWS, SweepConfig(app=KwsConfig(data=str(tmp_path / "missing")), runs=str(tmp_path), **config))
    assert not list(tmp_path.iterdir())


def test_cli_rejects_bad_points_in_one_line(tmp_path):
    result = tinyml_here("optimize", "--points", "tiny_conv@1.0,mobilenet@0.25", "--runs", str(tmp_path))
    assert result.returncode == 1
    assert result.stderr.strip().count("\n") == 0 and "unknown model 'mobilenet'" in result.stderr
    assert not list(tmp_path.iterdir())


@pytest.mark.e2e
def test_cli_sweep_writes_table_plot_and_models(tone_dataset, tmp_path):
    result = tinyml(
        "optimize",
        "--data",
        str(tone_dataset),
        "--points",
        "tiny_conv@0.5,tiny_conv@0.25+qat,tiny_conv@0.5+prune60",
        "--epochs",
        "3",
        "--finetune-epochs",
        "1",
        "--runs",
        str(tmp_path),
        env={"COLUMNS": "200"},
    )
    assert result.returncode == 0, result.stderr
    assert "optimization sweep" in result.stdout and "tiny_conv@0.25+qat" in result.stdout
    (folder,) = tmp_path.glob("optimize-*")
    saved = json.loads((folder / "sweep.json").read_text())
    assert saved["baseline"] == "tiny_conv@0.5" and len(saved["points"]) == 3
    rows = list(csv.DictReader((folder / "sweep.csv").open()))
    assert [r["name"] for r in rows] == ["tiny_conv@0.5", "tiny_conv@0.25+qat", "tiny_conv@0.5+prune60"]
    for row in rows:
        model = (folder / "models" / f"{row['name'].replace('@', '_w').replace('+', '_')}.tflite").read_bytes()
        assert int(row["flash_bytes"]) == len(model) and 0 <= float(row["int8_accuracy"]) <= 1
    assert float(rows[2]["weight_sparsity"]) >= 0.59
    assert int(rows[1]["flash_bytes"]) < int(rows[0]["flash_bytes"])
    png = (folder / "pareto.png").read_bytes()
    assert png[:8] == b"\x89PNG\r\n\x1a\n" and len(png) > 20_000
    assert Path(saved["out_dir"]) == folder
