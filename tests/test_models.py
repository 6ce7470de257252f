"""Model families: keyword spotting's channel normalization layer, saved, loaded and run as int8 in TFLM."""

import keras
import numpy as np
import pytest

from tinymlkit.apps.kws.recipe import FEATURE_RANGE, KwsConfig
from tinymlkit.convert.quantize import to_int8
from tinymlkit.models import build_model, families
from tinymlkit.models.channel_norm import MIDDLE, STEP, VARIANCE_FLOOR, ChannelNormalization
from tinymlkit.optimize.qat import fold_batch_norm, quantization_aware
from tinymlkit.runtime.ops import resolver_methods
from tinymlkit.runtime.tflm import TFLMModel
from tinymlkit.train import seed_everything


def features(n: int, seed: int = 0) -> np.ndarray:
    """Micro features with a level per channel, as a microphone or a room colours them."""
    rng = np.random.default_rng(seed)
    colour = rng.uniform(0, 12, (n, 1, 40))
    return np.clip(colour + rng.uniform(0, 12, (n, 49, 40)), *FEATURE_RANGE).reshape(n, -1).astype(np.float32)


def normalized(x: np.ndarray) -> np.ndarray:
    return keras.ops.convert_to_numpy(ChannelNormalization()(x))


def test_channel_normalization_adds_each_channel_standardized_over_the_frames():
    x = features(3).reshape(3, 49, 40, 1)
    y = normalized(x)
    assert y.shape == (3, 49, 40, 2)
    np.testing.assert_array_equal(y[..., 0], x[..., 0])
    centred = x[..., 0] - x[..., 0].mean(axis=1, keepdims=True)
    spread = np.sqrt((centred**2).mean(axis=1, keepdims=True) + VARIANCE_FLOOR)
    np.testing.assert_allclose(y[..., 1], MIDDLE + STEP * centred / spread, atol=1e-4)
    np.testing.assert_allclose(y[..., 1].mean(axis=1), MIDDLE, atol=1e-4)
    assert 0 < y[..., 1].min() and y[..., 1].max() < FEATURE_RANGE[1]  # on the features' scale
    # A channel lifted for the whole second leaves the second input channel as it was.
    lifted = x.copy()
    lifted[:, :, 7] += 5
    np.testing.assert_allclose(normalized(lifted)[..., 1], y[..., 1], atol=1e-4)
    # A channel that swings four times as far comes out with a spread nearer STEP (the floor counts for less); a
    # steady one stays put.
    swinging, steady = x.copy(), x.copy()
    swinging[:, :, 7] *= 4
    steady[:, :, 7] = 3.0 + 0.01 * x[:, :, 7]
    assert 0.8 * STEP < np.std(y[:, :, 7, 1]) < np.std(normalized(swinging)[:, :, 7, 1]) < STEP
    assert np.std(normalized(swinging)[:, :, 7, 1]) > 0.95 * STEP
    assert np.abs(normalized(steady)[:, :, 7, 1] - MIDDLE).max() < 0.2 * STEP


def test_the_keyword_default_is_the_dscnn_with_channel_normalization_and_saved_models_load(tmp_path):
    assert KwsConfig().model == "ds_cnn_cmvn" and "ds_cnn_cmvn" in families()
    seed_everything(0)
    model = build_model("ds_cnn_cmvn", (49, 40), 4, 0.5)
    assert model.name == "ds_cnn_cmvn" and isinstance(model.get_layer("channel_norm"), ChannelNormalization)
    x = features(8)
    model.save(tmp_path / "kws.keras")
    loaded = keras.saving.load_model(tmp_path / "kws.keras")
    np.testing.assert_allclose(loaded.predict(x, verbose=0), model.predict(x, verbose=0), atol=1e-6)


def test_channel_normalization_runs_as_int8_in_tflm_with_builtins_only():
    seed_everything(0)
    model = build_model("ds_cnn_cmvn", (49, 40), 4, 0.5)
    x = features(64)
    tflm = TFLMModel(to_int8(model, x, input_range=FEATURE_RANGE))
    assert {"MEAN", "SUB", "MUL", "ADD", "RSQRT", "CONCATENATION"} <= set(tflm.info.op_names)
    assert {"AddMean", "AddRsqrt", "AddConcatenation"} <= set(resolver_methods(tflm.info.op_names))
    # The micro_speech firmware's input quantization, kept through the concatenation.
    assert tflm.input.scale == pytest.approx(26 / 256) and tflm.input.zero_point == -128
    scores = tflm.predict(x[:16])
    np.testing.assert_allclose(scores, model.predict(x[:16], verbose=0), atol=0.03)  # int8 steps of 1/256


@pytest.mark.parametrize("family", ["ds_cnn", "ds_cnn_cmvn"])
def test_quantization_aware_training_takes_both_dscnns(family):
    """Folding and quantization-aware training need a plain chain of layers: the normalization is one layer."""
    seed_everything(0)
    model = build_model(family, (49, 40), 4, 0.125)
    x = features(4)
    folded = fold_batch_norm(model)
    np.testing.assert_allclose(folded(x), model(x, training=False), atol=1e-5, rtol=1e-4)
    qat = quantization_aware(folded, FEATURE_RANGE)
    assert qat(x).shape == (4, 4)
