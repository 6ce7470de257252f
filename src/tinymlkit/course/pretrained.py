"""The pretrained image backbone of the transfer-learning lab, shipped in the package and rebuilt by code.

ImageNet weights need a download, so the course pre-trains its own small backbone: a three-block CNN trained
to tell the ten digit gestures of the magic wand apart (stroke images of synthetic users). The lab reuses its
convolution blocks, frozen, for a new task: letters drawn in the air, from a handful of examples.

    python -m tinymlkit.course.pretrained      # retrain and rewrite the shipped weights (about a minute)
"""

from __future__ import annotations

import io
import sys
from pathlib import Path

import numpy as np

from tinymlkit.errors import TinyMLError

WEIGHTS = Path(__file__).parent / "content" / "applications" / "04-visual-wake-words" / "backbone.npz"
PRETRAIN_GESTURES = tuple("0123456789")


def backbone_architecture():
    """The backbone's layers (no head): 32x32x3 stroke image -> 64 features."""
    import tensorflow as tf

    return tf.keras.Sequential([
        tf.keras.Input(shape=(32, 32, 3)),
        tf.keras.layers.Conv2D(16, 3, activation="relu", padding="same"),
        tf.keras.layers.MaxPooling2D(),
        tf.keras.layers.Conv2D(32, 3, activation="relu", padding="same"),
        tf.keras.layers.MaxPooling2D(),
        tf.keras.layers.Conv2D(32, 3, activation="relu", padding="same"),
        tf.keras.layers.MaxPooling2D(),
        tf.keras.layers.GlobalAveragePooling2D(),
        tf.keras.layers.Dense(64, activation="relu"),
    ], name="backbone")


def load_backbone(path: Path = WEIGHTS):
    """The pretrained backbone as a Keras model (weights from the shipped file)."""
    if not path.is_file():
        raise TinyMLError(f"pretrained backbone {path} missing; rebuild it: python -m tinymlkit.course.pretrained")
    model = backbone_architecture()
    with np.load(path) as data:
        model.set_weights([data[f"w{i}"] for i in range(len(data.files))])
    return model


def pretrain_backbone(users: int = 40, repetitions: int = 3, epochs: int = 15, seed: int = 0):
    """Train the backbone (with a temporary 10-class head) on the ten digit gestures; returns (backbone, accuracy
    on the gestures of unseen users)."""
    import tensorflow as tf

    from tinymlkit.course.datasets import stroke_images

    tf.keras.utils.set_random_seed(seed)
    x, y = stroke_images(users, repetitions, seed=100 + seed, gestures=PRETRAIN_GESTURES)
    x_test, y_test = stroke_images(max(2, users // 4), 2, seed=200 + seed, gestures=PRETRAIN_GESTURES)
    backbone = backbone_architecture()
    model = tf.keras.Sequential([backbone, tf.keras.layers.Dense(len(PRETRAIN_GESTURES), activation="softmax")])
    model.compile("adam", "sparse_categorical_crossentropy", metrics=["accuracy"])
    model.fit(x / 255.0, y, epochs=epochs, batch_size=32, verbose=0)
    accuracy = float(model.evaluate(x_test / 255.0, y_test, verbose=0)[1])
    return backbone, accuracy


def save_backbone(backbone, path: Path = WEIGHTS) -> Path:
    """Write the weights as a compressed .npz (float16: tens of KB), through a temporary file."""
    from tinymlkit.fileio import write_bytes

    buffer = io.BytesIO()
    np.savez_compressed(buffer, **{f"w{i}": w.astype(np.float16) for i, w in enumerate(backbone.get_weights())})
    return write_bytes(path, buffer.getvalue())


if __name__ == "__main__":
    trained, acc = pretrain_backbone()
    written = save_backbone(trained)
    print(f"backbone: {trained.count_params():,} parameters, {acc:.3f} accuracy on unseen users' digits; "
          f"{written.stat().st_size:,} bytes in {written}")
    sys.exit(0)
