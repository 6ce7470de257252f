"""Checks of the lab c2-transfer."""

import numpy as np

from tinymlkit.course.checks import ARENA, Checker

LETTERS = ("W", "O", "L", "Z", "V", "S", "M")


def check_camera_input(t: Checker) -> None:
    fn = t.function("camera_input")
    frame = t.rng.integers(0, 256, size=(144, 176)).astype(np.uint8)
    ok, got = t.call("runs on a random frame", fn, frame.copy())
    if not ok:
        return
    if t.is_array("a 144 x 144 int8 array", got, (144, 144), np.int8,
                  "the central square is 144 x 144; return .astype(np.int8) after subtracting 128"):
        expected = (frame[:, 16:160].astype(np.int16) - 128).astype(np.int8)
        t.equal("central square, pixel - 128", got, expected,
                "columns 16 to 159 ((176 - 144) // 2 = 16); subtract 128 in a wider type (np.int16) first")


def check_transfer_model(t: Checker) -> None:
    import tensorflow as tf

    from tinymlkit.convert.quantize import to_int8
    from tinymlkit.course.datasets import stroke_images
    from tinymlkit.course.pretrained import load_backbone
    from tinymlkit.runtime.tflm import TFLMModel

    build = t.function("build_transfer_model")
    tf.keras.utils.set_random_seed(int(t.rng.integers(1 << 30)))
    backbone = load_backbone()
    before = [w.copy() for w in backbone.get_weights()]
    letters = tuple(str(v) for v in t.rng.choice(LETTERS, size=4, replace=False))
    ok, model = t.call("builds a model", build, backbone, len(letters), hint="return the compiled model")
    if not ok or not t.true("returns a Keras model", isinstance(model, tf.keras.Model), "a tf.keras.Model",
                            type(model).__name__, "return model at the end of the function"):
        return
    if not t.equal("one score per new class", tuple(model.output_shape), (None, len(letters)),
                   "the head is Dense(classes, activation='softmax')"):
        return
    seed = int(t.rng.integers(10, 1 << 20))
    x, y = stroke_images(10, 1, seed, gestures=letters)
    x_test, y_test = stroke_images(8, 2, seed + 1, gestures=letters)
    model.fit(x / 255.0, y, epochs=60, batch_size=8, verbose=0)
    changed = any(not np.allclose(a, b) for a, b in zip(before, backbone.get_weights()))
    t.true("the backbone stays frozen", not changed, "backbone weights unchanged", "they changed in training",
           "set backbone.trainable = False before compiling")
    tflm = TFLMModel(to_int8(model, x / 255.0), arena_size=ARENA)
    accuracy = float(np.mean(tflm.predict(x_test / 255.0).argmax(1) == y_test))
    t.at_least(f"int8 accuracy in TFLM on unseen users' letters {letters}", accuracy, 0.8,
               "reuse the backbone you are given (frozen) and add one softmax Dense head")


CHECKS = {"camera-input": check_camera_input, "transfer-model": check_transfer_model}
