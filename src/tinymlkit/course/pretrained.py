"""Pretrained models the labs use, shipped in the package and rebuilt by code.

The keyword lab's yes/no model: tiny_conv (the micro_speech architecture) trained on eSpeak NG voices saying
"yes", "no" and ten other words, plus background noise, on the micro frontend's features; int8, about 18 KB.

The transfer-learning lab's image backbone:

ImageNet weights need a download, so the course pre-trains its own small backbone: a three-block CNN trained
to tell the ten digit gestures of the magic wand apart (stroke images of synthetic users). The lab reuses its
convolution blocks, frozen, for a new task: letters drawn in the air, from a handful of examples.

    python -m tinymlkit.course.pretrained      # retrain and rewrite both (a few minutes on two cores)
"""

from __future__ import annotations

import io
import sys
from pathlib import Path

import numpy as np

from tinymlkit.errors import TinyMLError

WEIGHTS = Path(__file__).parent / "content" / "applications" / "04-visual-wake-words" / "backbone.npz"
PRETRAIN_GESTURES = tuple("0123456789")
KEYWORD_MODEL = Path(__file__).parent / "content" / "applications" / "02-keyword-spotting" / "yes_no.tflite"
KEYWORD_LABELS = ("silence", "unknown", "yes", "no")
UNKNOWN_WORDS = ("up", "down", "left", "right", "on", "off", "stop", "go", "cat", "dog")


def _keyword_set(per_word: int, seed: int, voices: str):
    from tinymlkit.apps.kws.frontend import micro_features
    from tinymlkit.course.datasets import spoken_words

    rng = np.random.default_rng(seed)
    x_words, y_words = spoken_words(["yes", "no"], per_word, seed, voices)
    x_unknown, _ = spoken_words(list(UNKNOWN_WORDS), max(1, per_word // 5), seed + 1, voices)
    silence = rng.normal(0, 1, (per_word, 16000)).astype(np.float32) * rng.uniform(0.001, 0.02, (per_word, 1))
    x = np.concatenate([silence, x_unknown, x_words]).astype(np.float32)
    y = np.concatenate([np.zeros(per_word, int), np.ones(len(x_unknown), int), y_words + 2])
    return micro_features(x).reshape(len(x), -1), y  # tiny_conv takes the 49 x 40 features flattened (1960)


def pretrain_keyword_model(per_word: int = 150, epochs: int = 25, seed: int = 0) -> tuple[bytes, float]:
    """Train tiny_conv on silence / unknown / yes / no; return the int8 model and its TFLM accuracy on voices it
    never heard."""
    import tensorflow as tf

    from tinymlkit.apps.kws.recipe import FEATURE_RANGE
    from tinymlkit.convert.quantize import to_int8
    from tinymlkit.models import build_model
    from tinymlkit.runtime.tflm import TFLMModel

    tf.keras.utils.set_random_seed(seed)
    x, y = _keyword_set(per_word, seed, "even")
    x_test, y_test = _keyword_set(max(5, per_word // 3), seed + 10, "odd")
    model = build_model("tiny_conv", (49, 40), len(KEYWORD_LABELS))
    model.compile(tf.keras.optimizers.Adam(0.003), "sparse_categorical_crossentropy")
    model.fit(x, y, epochs=epochs, batch_size=32, verbose=0)
    int8 = to_int8(model, x, input_range=FEATURE_RANGE)
    accuracy = float(np.mean(TFLMModel(int8).predict(x_test).argmax(1) == y_test))
    return int8, accuracy


def backbone_architecture():
    """The backbone's layers (no head): 32x32x3 stroke image -> 4 x 4 x 32 = 512 features."""
    import tensorflow as tf

    return tf.keras.Sequential(
        [
            tf.keras.Input(shape=(32, 32, 3)),
            tf.keras.layers.Conv2D(16, 3, activation="relu", padding="same"),
            tf.keras.layers.MaxPooling2D(),
            tf.keras.layers.Conv2D(32, 3, activation="relu", padding="same"),
            tf.keras.layers.MaxPooling2D(),
            tf.keras.layers.Conv2D(32, 3, activation="relu", padding="same"),
            tf.keras.layers.MaxPooling2D(),
            tf.keras.layers.Flatten(),  # keep where each feature is: a pooled or dense summary forgets it
        ],
        name="backbone",
    )


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


def _pretrain_and_save_backbone() -> None:
    trained, acc = pretrain_backbone()
    written = save_backbone(trained)
    print(
        f"backbone: {trained.count_params():,} parameters, {acc:.3f} accuracy on unseen users' digits; "
        f"{written.stat().st_size:,} bytes in {written}"
    )


if __name__ == "__main__":
    from tinymlkit.fileio import write_bytes

    if "--backbone" not in sys.argv:
        keyword_model, keyword_accuracy = pretrain_keyword_model()
        write_bytes(KEYWORD_MODEL, keyword_model)
        print(
            f"yes/no keyword model: {len(keyword_model):,} bytes, {keyword_accuracy:.3f} TFLM accuracy on unseen "
            f"voices ({', '.join(KEYWORD_LABELS)}); {KEYWORD_MODEL}"
        )
    _pretrain_and_save_backbone()
    sys.exit(0)
