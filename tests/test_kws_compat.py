"""Models built the way TensorFlow's speech_commands recipe builds them run in our pipeline unchanged.

The recipe's tiny_conv is a graph of low-level ops (reshape, conv2d 10x8 with 8 filters and stride 2, bias,
relu, matmul, softmax) on the flat 1960-value micro feature vector, quantized with its own calibration. We rebuild
that graph with the weights of our trained Keras model, convert it as the recipe does, and check that the
``tinyml kws predict`` path (features, the model's own input quantization, TFLM) agrees with our model.
"""

from pathlib import Path

import numpy as np
import pytest

from tinymlkit.apps.kws.recipe import KwsConfig, features, load_data
from tinymlkit.datatools.augment import AudioAugment
from tinymlkit.runtime.tflm import TFLMModel
from tinymlkit.train import TrainConfig

from clirun import tinyml

pytestmark = pytest.mark.e2e


def recipe_graph_tflite(keras_model, representative: np.ndarray) -> bytes:
    import tensorflow as tf

    depthwise, depth_bias = keras_model.get_layer("conv").get_weights()  # (10, 8, 1, 8), (8,)
    dense, dense_bias = keras_model.get_layer("scores").get_weights()
    conv_filter = tf.constant(depthwise.reshape(10, 8, 1, -1))  # one input channel: depthwise == conv2d

    @tf.function(input_signature=[tf.TensorSpec([1, 1960], tf.float32)])
    def recipe(fingerprint):
        x = tf.reshape(fingerprint, [-1, 49, 40, 1])
        x = tf.nn.relu(tf.nn.conv2d(x, conv_filter, [1, 2, 2, 1], "SAME") + depth_bias)
        x = tf.reshape(x, [-1, dense.shape[0]])
        return tf.nn.softmax(tf.matmul(x, dense) + dense_bias)

    converter = tf.lite.TFLiteConverter.from_concrete_functions([recipe.get_concrete_function()], recipe)
    converter.optimizations = [tf.lite.Optimize.DEFAULT]
    converter.representative_dataset = lambda: ([r[None].astype(np.float32)] for r in representative[:100])
    converter.target_spec.supported_ops = [tf.lite.OpsSet.TFLITE_BUILTINS_INT8]
    converter.inference_input_type = tf.int8
    converter.inference_output_type = tf.int8
    return converter.convert()


def test_recipe_built_model_runs_unchanged(tone_dataset, tmp_path):
    import keras

    from tinymlkit.models import build_model
    from tinymlkit.pipeline import verify_int8
    from tinymlkit.train import fit, seed_everything

    plain = AudioAugment(shift_ms=300, copies=2)  # the recipe's shift and noise: chirps above 3.4 kHz survive
    config = KwsConfig(
        words=["yes", "no"], data=str(tone_dataset), train=TrainConfig(epochs=4, batch_size=32), augment=plain
    )
    data, _ = load_data(config)
    feats = features(data, config)
    seed_everything(0)
    model = build_model("tiny_conv", (49, 40), 4)
    model.compile(optimizer=keras.optimizers.Adam(3e-3), loss="sparse_categorical_crossentropy")
    fit(model, feats["train"], None, config.train)
    x_test, y_test = feats["test"]

    ours = verify_int8(model, feats["train"][0], x_test, input_range=(0.0, 26 * 255 / 256))
    theirs = TFLMModel(recipe_graph_tflite(model, feats["train"][0]))
    assert theirs.input.shape == (1, 1960) and theirs.input.scale != ours.tflm.input.scale  # own quantization
    agreement = np.mean(np.argmax(theirs.predict(x_test), 1) == np.argmax(ours.outputs, 1))
    assert agreement >= 0.95
    assert np.mean(np.argmax(theirs.predict(x_test), 1) == y_test) >= 0.8

    # The CLI path: the recipe model file, its labels, one clip.
    path = Path(tmp_path) / "recipe.tflite"
    path.write_bytes(theirs.model)
    clip = tone_dataset / "yes" / sorted(p.name for p in (tone_dataset / "yes").iterdir())[0]
    result = tinyml("kws", "predict", "--model", str(path), "--labels", "silence,unknown,yes,no", str(clip))
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "yes"
