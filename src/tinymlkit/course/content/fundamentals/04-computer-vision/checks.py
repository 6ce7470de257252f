"""Checks of the lab c1-convolutions."""

import numpy as np

from tinymlkit.course.checks import ARENA, Checker


def check_convolve(t: Checker) -> None:
    from scipy.signal import correlate2d

    fn = t.function("convolve")
    h, w = (int(v) for v in t.rng.integers(5, 12, size=2))
    image, kernel = t.rng.normal(size=(h, w)), t.rng.normal(size=(3, 3))
    ok, got = t.call("runs on a random image", fn, image.copy(), kernel.copy())
    if ok:
        t.close(f"random {h}x{w} image and random kernel", got, correlate2d(image, kernel, mode="valid"),
                "output[r, c] = sum(image[r:r+3, c:c+3] * kernel), only where the kernel fits (size h-2 x w-2); "
                "do not flip the kernel")


def check_max_pool(t: Checker) -> None:
    fn = t.function("max_pool")
    h, w = (2 * int(v) for v in t.rng.integers(2, 7, size=2))
    image = t.rng.normal(size=(h, w))
    ok, got = t.call("runs on a random image", fn, image.copy())
    if ok:
        t.close(f"random {h}x{w} image", got, image.reshape(h // 2, 2, w // 2, 2).max(axis=(1, 3)),
                "non-overlapping 2x2 blocks (stride 2), the largest value of each; the result is h/2 x w/2")


def _is_shift(src: np.ndarray, out: np.ndarray) -> bool:
    h, w = src.shape[:2]
    for dy in range(-2, 3):
        for dx in range(-2, 3):
            expected = np.zeros_like(src)
            part = src[max(0, -dy):h - max(0, dy), max(0, -dx):w - max(0, dx)]
            expected[max(0, dy):max(0, dy) + part.shape[0], max(0, dx):max(0, dx) + part.shape[1]] = part
            if np.array_equal(expected, out):
                return True
    return False


def check_augment(t: Checker) -> None:
    fn = t.function("augment")
    images = t.rng.integers(1, 256, size=(40, 12, 10, 3)).astype(np.uint8)  # no zero pixel: wrapping shows
    original = images.copy()
    ok, got = t.call("runs on random images", fn, images, np.random.default_rng(int(t.rng.integers(1 << 30))))
    if not ok:
        return
    if not t.is_array("same shape and dtype", got, images.shape, images.dtype, "start from np.zeros_like(images)"):
        return
    t.true("leaves the input unchanged", np.array_equal(images, original), "images unchanged", "images modified",
           "write into a new array (np.zeros_like), not into images")
    shifted = [_is_shift(original[i], got[i]) for i in range(len(original))]
    t.true("every image is its input shifted by -2..2 pixels, zeros at the border", all(shifted),
           "40 shifted images", f"{sum(shifted)} of 40",
           "copy the image into a zero array at an offset; np.roll wraps pixels around: zero them")
    moved = sum(not np.array_equal(original[i], got[i]) for i in range(len(original)))
    t.true("shifts are random", moved >= 20, "most images moved", f"{moved} of 40 moved",
           "draw dx, dy for each image with rng.integers(-2, 3, size=2)")


def check_wand_cnn(t: Checker) -> None:
    import tensorflow as tf

    from tinymlkit.course.datasets import stroke_images
    from tinymlkit.convert.quantize import to_int8
    from tinymlkit.runtime.tflm import TFLMModel

    build = t.function("build_wand_cnn")
    tf.keras.utils.set_random_seed(int(t.rng.integers(1 << 30)))
    ok, model = t.call("builds a model", build, hint="return the compiled model")
    if not ok or not t.true("returns a Keras model", isinstance(model, tf.keras.Model), "a tf.keras.Model",
                            type(model).__name__, "return model at the end of the function"):
        return
    if not t.equal("takes 32x32 RGB images", tuple(model.input_shape), (None, 32, 32, 3),
                   "tf.keras.Input(shape=(32, 32, 3))"):
        return
    if not t.equal("outputs 5 class scores", tuple(model.output_shape), (None, 5), "end with Dense(5, activation='softmax')"):
        return
    convs = [layer for layer in model.layers if isinstance(layer, tf.keras.layers.Conv2D)]
    if not t.true("has convolution layers", len(convs) >= 2, "at least 2 Conv2D layers", str(len(convs)),
                  "a CNN: Conv2D + MaxPooling2D blocks before Flatten"):
        return
    seed = int(t.rng.integers(10, 1 << 20))
    x, y = stroke_images(users=40, repetitions=3, seed=seed)
    x_test, y_test = stroke_images(users=10, repetitions=2, seed=seed + 1)
    model.fit(x / 255.0, y, epochs=12, batch_size=32, verbose=0)
    tflm = TFLMModel(to_int8(model, x / 255.0), arena_size=ARENA)
    accuracy = float(np.mean(tflm.predict(x_test / 255.0).argmax(axis=1) == y_test))
    t.at_least("int8 accuracy in TFLM on gestures of unseen users", accuracy, 0.85,
               "two or three Conv2D+MaxPooling2D blocks with 16-64 filters, softmax output, the adam optimizer")


CHECKS = {"convolve": check_convolve, "max-pool": check_max_pool, "augment": check_augment, "wand-cnn": check_wand_cnn}
