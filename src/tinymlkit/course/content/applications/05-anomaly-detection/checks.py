"""Checks of the lab c2-anomaly."""

import numpy as np

from tinymlkit.course.checks import ARENA, Checker


def check_distances(t: Checker) -> None:
    fn = t.function("nearest_distance")
    n, k, d = (int(v) for v in t.rng.integers(3, 12, size=3))
    x, centres = t.rng.normal(size=(n, d)), t.rng.normal(size=(k, d))
    ok, got = t.call("runs on random points", fn, x, centres)
    if ok:
        expected = np.sqrt(((x[:, None] - centres[None]) ** 2).sum(-1)).min(1)
        t.close(f"distances of {n} random points to {k} centres", got, expected,
                "Euclidean distance (square root of the summed squares) to each centre, then the smallest per point")


def check_threshold(t: Checker) -> None:
    fn = t.function("error_threshold")
    errors = t.rng.gamma(2.0, t.rng.uniform(0.001, 0.01), size=200)
    for k in (1.0, 2.5):
        ok, got = t.call(f"k = {k}", fn, errors, k) if k != 1.0 else t.call("default k", fn, errors)
        if ok:
            t.close(f"threshold with k = {k}", got, errors.mean() + k * errors.std(),
                    "mean(errors) + k * std(errors); k defaults to 1")


def _auc(scores, labels):
    a, n = scores[labels == 1], scores[labels == 0]
    return ((a[:, None] > n[None]).sum() + 0.5 * (a[:, None] == n[None]).sum()) / (len(a) * len(n))


def check_auc(t: Checker) -> None:
    fn = t.function("roc_auc")
    labels = (t.rng.random(120) < 0.3).astype(int)
    scores = np.round(t.rng.normal(labels * t.rng.uniform(0.5, 1.5), 1.0), 1)  # rounding makes ties
    ok, got = t.call("runs on random scores", fn, scores, labels)
    if ok:
        t.close("AUC of random scores with ties", got, _auc(scores, labels),
                "fraction of (anomaly, normal) pairs where the anomaly scores higher; a tie counts 0.5")
    ok, got = t.call("perfect scores", fn, labels.astype(float), labels)
    if ok:
        t.close("perfect scores give AUC 1", got, 1.0, "anomalies all above normals: every pair counts 1")


def check_autoencoder(t: Checker) -> None:
    import tensorflow as tf

    from tinymlkit.course.datasets import heartbeats
    from tinymlkit.convert.quantize import to_int8
    from tinymlkit.runtime.tflm import TFLMModel

    build = t.function("build_autoencoder")
    tf.keras.utils.set_random_seed(int(t.rng.integers(1 << 30)))
    ok, model = t.call("builds a model", build, hint="return the compiled model")
    if not ok or not t.true("returns a Keras model", isinstance(model, tf.keras.Model), "a tf.keras.Model",
                            type(model).__name__, "return model at the end of the function"):
        return
    if not t.true("140 samples in and out", tuple(model.input_shape) == (None, 140) and
                  tuple(model.output_shape) == (None, 140), "(None, 140) -> (None, 140)",
                  f"{model.input_shape} -> {model.output_shape}", "Input(shape=(140,)) ... Dense(140)"):
        return
    narrowest = min(int(layer.units) for layer in model.layers if isinstance(layer, tf.keras.layers.Dense))
    if not t.true("has a bottleneck narrower than 32", narrowest < 32, "a Dense layer of fewer than 32 units",
                  f"narrowest {narrowest}", "squeeze through a few units (4 to 8) so it cannot copy anomalies"):
        return
    seed = int(t.rng.integers(10, 1 << 20))
    x, _ = heartbeats(2000, 0.1, seed)
    x_test, y_test = heartbeats(600, 0.2, seed + 1)
    model.fit(x, x, epochs=40, batch_size=32, verbose=0)
    tflm = TFLMModel(to_int8(model, x), arena_size=ARENA)
    from tinymlkit.evaluate.roc import roc_auc

    threshold = np.percentile(np.mean((tflm.predict(x) - x) ** 2, axis=1), 90)
    errors = np.mean((tflm.predict(x_test) - x_test) ** 2, axis=1)
    hint = "a narrower bottleneck (4-8 units) and hidden layers of 16-64 ReLU units; mse loss"
    t.at_least("int8 ROC AUC in TFLM on hidden beats", float(roc_auc(errors, y_test)), 0.9, hint)
    t.at_least("int8 accuracy at the 90th-percentile threshold", float(np.mean((errors > threshold) == y_test)), 0.85,
               hint)


CHECKS = {"distances": check_distances, "threshold": check_threshold, "auc": check_auc, "autoencoder": check_autoencoder}
