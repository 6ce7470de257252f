"""Checks of the lab c1-digits-dnn."""

import numpy as np

from tinymlkit.course.checks import ARENA, Checker


def check_forward_pass(t: Checker) -> None:
    fn = t.function("forward_pass")
    n_in, n_hidden, n_out, batch = (int(v) for v in t.rng.integers(2, 9, size=4))
    x = t.rng.normal(size=(batch, n_in)).astype(np.float32)
    w1, b1 = t.rng.normal(size=(n_in, n_hidden)), t.rng.normal(size=n_hidden)
    w2, b2 = t.rng.normal(size=(n_hidden, n_out)), t.rng.normal(size=n_out)
    ok, got = t.call("runs on random weights", fn, x, w1, b1, w2, b2,
                     hint="x @ w1 has shape (batch, hidden): multiply in that order")
    if ok:
        expected = np.maximum(0, x @ w1 + b1) @ w2 + b2
        t.close(f"output for a random {n_in}-{n_hidden}-{n_out} network", got, expected,
                "hidden = np.maximum(0, x @ w1 + b1); then hidden @ w2 + b2 (no ReLU on the output)", rtol=1e-4)


def check_normalise(t: Checker) -> None:
    fn = t.function("normalise")
    images = t.rng.integers(0, 17, size=(int(t.rng.integers(3, 9)), 8, 8)).astype(np.float64)
    images[0, 0, 0] = 16
    ok, got = t.call("runs on random images", fn, images.copy())
    if not ok:
        return
    if t.is_array("float32 array of the same shape", got, images.shape, np.float32,
                  "return np.asarray(images, dtype=np.float32) / 16"):
        t.close("values from 0 to 1 (pixel / 16)", got, images / 16.0, "divide by 16, the largest pixel value")


def check_digits_model(t: Checker) -> None:
    import tensorflow as tf

    from tinymlkit.course.datasets import digits
    from tinymlkit.convert.quantize import to_int8
    from tinymlkit.runtime.tflm import TFLMModel

    build = t.function("build_digits_model")
    tf.keras.utils.set_random_seed(int(t.rng.integers(1 << 30)))
    ok, model = t.call("builds a model", build, hint="return the compiled model")
    if not ok:
        return
    if not t.true("returns a Keras model", isinstance(model, tf.keras.Model), "a tf.keras.Model",
                  type(model).__name__, "return model at the end of the function"):
        return
    if not t.equal("takes 8x8 images", tuple(model.input_shape), (None, 8, 8), "tf.keras.Input(shape=(8, 8))"):
        return
    if not t.equal("outputs 10 class scores", tuple(model.output_shape), (None, 10),
                   "the last layer is Dense(10, activation='softmax'): one score per digit"):
        return
    loss = model.loss if isinstance(model.loss, str) else getattr(model.loss, "name", repr(model.loss))
    if not t.true("compiled with the sparse categorical cross-entropy loss",
                  "sparse_categorical_crossentropy" in str(loss), "'sparse_categorical_crossentropy'", repr(loss),
                  "labels are class numbers 0..9: loss='sparse_categorical_crossentropy'"):
        return
    data = digits(seed=int(t.rng.integers(1, 1 << 30)))
    model.fit(data.x_train / 16.0, data.y_train, epochs=30, batch_size=32, verbose=0)
    tflm = TFLMModel(to_int8(model, data.x_train / 16.0), arena_size=ARENA)
    accuracy = float(np.mean(tflm.predict(data.x_test / 16.0).argmax(axis=1) == data.y_test))
    t.at_least("int8 accuracy in TFLM on hidden digits", accuracy, 0.90,
               "use softmax on the output and ReLU hidden layers of 20 or more units; check the loss", unit="")


def check_early_stopping(t: Checker) -> None:
    import tensorflow as tf

    fn = t.function("early_stopping")
    ok, cb = t.call("returns a callback", fn)
    if not ok:
        return
    if not t.true("is an EarlyStopping callback", isinstance(cb, tf.keras.callbacks.EarlyStopping),
                  "tf.keras.callbacks.EarlyStopping", type(cb).__name__, "return tf.keras.callbacks.EarlyStopping(...)"):
        return
    t.equal("watches the validation loss", cb.monitor, "val_loss",
            "monitor='val_loss': the training loss keeps falling while the network overfits")
    t.equal("waits 3 epochs", cb.patience, 3, "patience=3")
    t.equal("restores the best weights", cb.restore_best_weights, True, "restore_best_weights=True")


CHECKS = {
    "forward-pass": check_forward_pass,
    "normalise": check_normalise,
    "digits-model": check_digits_model,
    "early-stopping": check_early_stopping,
}
