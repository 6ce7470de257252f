"""Checks of the lab c1-first-neuron: random inputs drawn at check time, compared with a reference."""

import numpy as np

from tinymlkit.course.checks import ARENA, Checker


def check_loss(t: Checker) -> None:
    mse = t.function("mean_squared_error")
    y, p = t.rng.normal(size=25) * 3, t.rng.normal(size=25) * 3
    ok, got = t.call("runs on random vectors", mse, y, p, hint="take two arrays of the same length")
    if not ok:
        return
    t.true(
        "returns one number",
        np.ndim(got) == 0,
        "a single number",
        f"{type(got).__name__} {np.shape(got)}",
        "average over all examples: np.mean(...)",
    )
    t.close(
        "value on random vectors",
        got,
        np.mean((y - p) ** 2),
        hint="square each difference (y_true - y_pred) ** 2, then take the mean (not the sum, not abs)",
    )
    ok, zero = t.call("perfect guess", mse, y, y.copy())
    if ok:
        t.close("a perfect guess has zero loss", zero, 0.0, hint="the loss of identical arrays must be 0")


def _reference_step(w, b, x, y, lr):
    error = w * x + b - y
    return w - lr * np.mean(2 * error * x), b - lr * np.mean(2 * error)


def check_gradient_step(t: Checker) -> None:
    step = t.function("gradient_step")
    x = t.rng.uniform(-2, 4, size=12)
    y = t.rng.uniform(-3, 3) * x + t.rng.uniform(-2, 2)
    w, b, lr = t.rng.uniform(-5, 5), t.rng.uniform(-5, 5), t.rng.uniform(0.01, 0.1)
    ok, got = t.call("runs on random numbers", step, w, b, x, y, lr, hint="return a pair: (new_w, new_b)")
    if not ok:
        return
    if not t.true(
        "returns (w, b)",
        isinstance(got, (tuple, list)) and len(got) == 2,
        "a pair (w, b)",
        repr(got)[:80],
        "return new_w, new_b",
    ):
        return
    hint = "step against the gradient: w - learning_rate * dw (a + sign walks uphill)"
    t.close(
        "one step from random w, b",
        [float(got[0]), float(got[1])],
        _reference_step(w, b, x, y, lr),
        hint,
        rtol=1e-3,
        atol=1e-4,
    )
    xs = np.array([-1.0, 0.0, 1.0, 2.0, 3.0, 4.0])
    ys = 2 * xs - 1
    w, b = 10.0, 10.0
    for _ in range(50):
        ok, got = t.call("50 steps from (10, 10)", step, w, b, xs, ys, 0.09)
        if not ok:
            return
        w, b = float(got[0]), float(got[1])
    t.close(
        "50 steps from (10, 10) with lr 0.09 reach about (2, -1)",
        [w, b],
        [2.0, -1.0],
        "each step must use the learning rate and the gradient of the mean squared error",
        rtol=0,
        atol=0.35,
    )


def check_first_model(t: Checker) -> None:
    import tensorflow as tf

    from tinymlkit.convert.quantize import to_int8
    from tinymlkit.runtime.tflm import TFLMModel

    build = t.function("build_first_model")
    tf.keras.utils.set_random_seed(int(t.rng.integers(1 << 30)))
    ok, model = t.call("builds a model", build, hint="return the compiled model")
    if not ok:
        return
    if not t.true(
        "returns a Keras model",
        isinstance(model, tf.keras.Model),
        "a tf.keras.Model",
        type(model).__name__,
        "return model at the end of the function",
    ):
        return
    shape = tuple(model.input_shape) if not isinstance(model.input_shape, list) else None
    if not t.equal("takes one number in", shape, (None, 1), "tf.keras.Input(shape=(1,)): one number per example"):
        return
    t.equal("outputs one number", tuple(model.output_shape), (None, 1), "the Dense layer needs units=1")
    t.equal("has two parameters (one weight, one bias)", model.count_params(), 2, "one Dense layer with one unit")
    loss = getattr(model, "loss", None)
    name = loss if isinstance(loss, str) else getattr(loss, "name", getattr(loss, "__name__", repr(loss)))
    if not t.true(
        "compiled with the mean squared error loss",
        str(name).lower() in ("mean_squared_error", "mse"),
        "loss='mean_squared_error'",
        repr(name),
        "model.compile(optimizer='sgd', loss='mean_squared_error')",
    ):
        return
    slope, offset = t.rng.uniform(-3, 3), t.rng.uniform(-2, 2)
    # 20 batches per epoch: 300 small steps in 15 quick epochs; inputs centred on 0, so that plain SGD fits the
    # offset as fast as the slope (on [-1, 4] it was still 0.3 off for some lines)
    xs = t.rng.uniform(-2.5, 2.5, size=(640, 1))
    model.fit(xs, slope * xs + offset, epochs=15, batch_size=32, verbose=0)
    hidden = t.rng.uniform(-2.5, 2.5, size=(40, 1)).astype(np.float32)
    expected = slope * hidden + offset
    int8 = to_int8(model, xs.astype(np.float32))
    got = TFLMModel(int8, arena_size=ARENA).predict(hidden)
    error = float(np.max(np.abs(got - expected)))
    t.true(
        "int8 model in TFLM predicts a random line on hidden inputs (max error <= 0.3)",
        error <= 0.3,
        "max error <= 0.3",
        f"{error:.3f}",
        "use the SGD optimizer and one Dense unit; the checker trains 300 steps",
    )


CHECKS = {"loss": check_loss, "gradient-step": check_gradient_step, "first-model": check_first_model}
