"""Checks of the lab c4-compression."""

import numpy as np

from tinymlkit.course.checks import Checker


def _log_softmax(z):
    z = z - z.max(axis=-1, keepdims=True)
    return z - np.log(np.exp(z).sum(axis=-1, keepdims=True))


def _distill(labels, teacher, student, temperature, alpha):
    hard = -np.mean(_log_softmax(student)[np.arange(len(labels)), labels])
    log_t, log_s = _log_softmax(teacher / temperature), _log_softmax(student / temperature)
    soft = np.mean(np.sum(np.exp(log_t) * (log_t - log_s), axis=-1))
    return alpha * hard + (1 - alpha) * temperature**2 * soft


def _number(got):
    try:
        return float(np.asarray(got))
    except (TypeError, ValueError):
        return got


def check_distill(t: Checker) -> None:
    import tensorflow as tf

    fn = t.function("distillation_loss")
    hint = ("alpha * mean cross-entropy(labels, softmax(student)) + (1 - alpha) * T**2 * mean over the batch of "
            "sum(p_t * (log p_t - log p_s)), both softmaxes of logits / T")
    batch, classes = int(t.rng.integers(4, 12)), int(t.rng.integers(3, 8))
    labels = t.rng.integers(0, classes, batch)
    teacher = (t.rng.normal(0, 3, (batch, classes))).astype(np.float32)
    student = (t.rng.normal(0, 2, (batch, classes))).astype(np.float32)
    ok, got = t.call("runs with the default temperature and alpha", fn, labels, teacher, student, hint=hint)
    if ok:
        t.close("value on random logits (T=4, alpha=0.1)", _number(got),
                _distill(labels, teacher.astype(np.float64), student.astype(np.float64), 4.0, 0.1), hint, rtol=1e-4)
    temperature, alpha = float(t.rng.choice([2.0, 3.0, 8.0])), float(t.rng.uniform(0.2, 0.8))
    ok, got = t.call("runs with another temperature and alpha", fn, labels, teacher, student, temperature, alpha,
                     hint=hint)
    if ok:
        t.close(f"value on random logits (T={temperature:g}, alpha={alpha:.2f})", _number(got),
                _distill(labels, teacher.astype(np.float64), student.astype(np.float64), temperature, alpha),
                "use the temperature and alpha arguments", rtol=1e-4)
    variable = tf.Variable(student)
    try:
        with tf.GradientTape() as tape:
            loss = fn(tf.constant(labels), tf.constant(teacher), variable)
        grad = tape.gradient(loss, variable)
        ok = grad is not None and bool(np.all(np.isfinite(np.asarray(grad))))
        t.true("gives gradients for the student's logits", ok, "a finite gradient inside tf.GradientTape",
               "no gradient", "write it with keras.ops (not NumPy): NumPy breaks the chain of gradients")
    except Exception as exc:  # noqa: BLE001 - the learner's code may raise anything
        t.record("gives gradients for the student's logits", False,
                 f"expected a loss tensor, got an error ({type(exc).__name__}: {str(exc)[:120]})",
                 "write it with keras.ops (not NumPy) so it also works on tensors inside tf.GradientTape")


def check_prune(t: Checker) -> None:
    fn = t.function("prune")
    hint = "zero the round(sparsity * size) entries of smallest np.abs over the whole array; keep the others"
    shape = (int(t.rng.integers(8, 30)), int(t.rng.integers(8, 30)))
    weights = t.rng.normal(0, 0.2, shape).astype(np.float32)
    original = weights.copy()
    sparsity = float(np.round(t.rng.uniform(0.3, 0.9), 3))
    count = int(round(sparsity * weights.size))
    ok, got = t.call(f"runs at sparsity {sparsity}", fn, weights, sparsity, hint=hint)
    if not ok:
        return
    t.true("leaves the input unchanged", np.array_equal(weights, original), "the input array as it was",
           "an array changed in place", "work on a copy (weights.copy())")
    if not t.is_array("returns an array of the same shape", got, shape=shape, hint=hint):
        return
    zeros = int(np.sum(got == 0))
    if not t.equal(f"number of zeros at sparsity {sparsity} of {weights.size} weights", zeros, count, hint):
        return
    kept = got != 0
    t.true("kept weights unchanged", np.array_equal(got[kept], original[kept]), "the surviving weights as they were",
           "changed values", "only set entries to 0; do not rescale or round the others")
    pruned_max = float(np.abs(original[~kept]).max()) if count else 0.0
    t.true("pruned the smallest magnitudes", pruned_max <= float(np.abs(original[kept]).min()),
           "every pruned |w| at most every kept |w|", f"a pruned |w| of {pruned_max:.4f} above a kept one",
           "order by np.abs(weights), not by the signed value, over the whole array (not per row)")
    ok, got = t.call("runs at sparsity 0", fn, original.copy(), 0.0, hint=hint)
    if ok:
        t.equal("sparsity 0 keeps every weight", np.asarray(got), original, hint)


def _cluster(weights, k, iterations):
    values = weights.ravel().astype(np.float64)
    centroids = np.linspace(values.min(), values.max(), k)
    for _ in range(iterations):
        nearest = np.abs(values[:, None] - centroids).argmin(1)
        for c in range(k):
            if np.any(nearest == c):
                centroids[c] = values[nearest == c].mean()
    return centroids[np.abs(values[:, None] - centroids).argmin(1)].reshape(weights.shape)


def check_cluster(t: Checker) -> None:
    fn = t.function("cluster")
    hint = ("centroids = np.linspace(min, max, k); `iterations` times: nearest centroid of every weight, each "
            "centroid to the mean of its weights; finally every weight becomes its nearest centroid")
    shape = (int(t.rng.integers(6, 20)), int(t.rng.integers(6, 20)))
    weights = np.concatenate([t.rng.normal(-0.3, 0.05, shape[0] * shape[1] // 2),
                              t.rng.normal(0.2, 0.1, shape[0] * shape[1] - shape[0] * shape[1] // 2)])
    weights = t.rng.permutation(weights).reshape(shape).astype(np.float32)
    k, iterations = int(t.rng.integers(3, 9)), int(t.rng.integers(5, 25))
    ok, got = t.call(f"runs with k={k}", fn, weights.copy(), k, iterations, hint=hint)
    if not ok or not t.is_array("returns an array of the same shape", got, shape=shape, hint=hint):
        return
    distinct = len(np.unique(got))
    if not t.true(f"at most {k} distinct values", distinct <= k, f"at most {k}", str(distinct),
                  "replace every weight by its centroid"):
        return
    t.close(f"clustered weights (k={k}, {iterations} iterations)", got, _cluster(weights, k, iterations), hint,
            rtol=1e-5, atol=1e-6)


CHECKS = {"distill": check_distill, "prune": check_prune, "cluster": check_cluster}
