"""A small challenge and real int8 models for it, made on the fly for the competition tests."""

from pathlib import Path

import numpy as np

SMALL_CHALLENGE = """
name = "{name}"
title = "Small person detection"
app = "person"
summary = "A small person-detection challenge for tests."
task = "Tell whether a person is in view."
labels = ["no_person", "person"]
board = "nano33ble"
deadline = {deadline}
daily_limit = {daily_limit}
seed = 7001
max_model_kb = 256

[input]
dtype = "int8"
shapes = [[1, 96, 96, 1]]
range = [0.0, 1.0]
features = "One 96x96x1 grayscale image, pixel / 255."

[data]
examples = 40
settings = {{ scenes = 80, augment = 0 }}

[scoring]
resolution = 0.005
rule = "Accuracy first among models that fit; then smaller, then faster."
"""


def write_challenge(
    folder: Path, name: str = "small-person", deadline: str = "2099-01-01T00:00:00Z", daily_limit: int = 5
) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name}.toml"
    path.write_text(SMALL_CHALLENGE.format(name=name, deadline=deadline, daily_limit=daily_limit))
    return path


def training_images(seed: int = 11, scenes: int = 80):
    """Person scenes from the toolkit's synthesizer with another seed than the challenge's: (x, y) float inputs."""
    import tinymlkit as tm

    cfg = tm.person.config(scenes=scenes, seed=seed, augment=0)
    data = tm.person.load(cfg)
    feats = tm.person.features(data, cfg)
    return (
        np.concatenate([feats[s][0] for s in ("train", "validation", "test")]),
        np.concatenate([feats[s][1] for s in ("train", "validation", "test")]),
    )


def keras_model(shape=(96, 96, 1), classes: int = 2, filters: int = 4):
    import tensorflow as tf

    tf.keras.utils.set_random_seed(0)
    return tf.keras.Sequential(
        [
            tf.keras.Input(shape),
            tf.keras.layers.Conv2D(filters, 3, strides=4, activation="relu"),
            tf.keras.layers.GlobalAveragePooling2D(),
            tf.keras.layers.Dense(classes, activation="softmax"),
        ]
    )


def trained_int8(x, y, epochs: int = 2, filters: int = 4) -> bytes:
    """A tiny CNN trained for ``epochs`` on (x, y) and converted to int8 by the toolkit."""
    import tinymlkit as tm

    model = keras_model(x.shape[1:], filters=filters)
    model.compile("adam", "sparse_categorical_crossentropy")
    model.fit(x, y, epochs=epochs, batch_size=16, verbose=0)
    return tm.to_int8(model, x[:32], input_range=(0.0, 1.0))


def float_model(shape=(96, 96, 1)) -> bytes:
    import tensorflow as tf

    return tf.lite.TFLiteConverter.from_keras_model(keras_model(shape)).convert()


def hybrid_model(shape=(96, 96, 1)) -> bytes:
    import tensorflow as tf

    converter = tf.lite.TFLiteConverter.from_keras_model(keras_model(shape, filters=128))
    converter.optimizations = [tf.lite.Optimize.DEFAULT]  # no representative data: a dynamic-range model
    return converter.convert()


def untrained_int8(shape=(96, 96, 1), classes: int = 2) -> bytes:
    import tinymlkit as tm

    rng = np.random.default_rng(0)
    return tm.to_int8(keras_model(shape, classes), rng.random((8, *shape), dtype=np.float32), input_range=(0.0, 1.0))
