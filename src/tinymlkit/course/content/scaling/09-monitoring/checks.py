"""Checks of the lab c4-federated."""

import numpy as np

from tinymlkit.course.checks import Checker


def _psi(expected, actual, bins=10):
    expected, actual = np.ravel(expected), np.ravel(actual)
    cuts = np.quantile(expected, np.arange(1, bins) / bins)
    e = np.bincount(np.searchsorted(cuts, expected, side="right"), minlength=bins) / len(expected)
    a = np.bincount(np.searchsorted(cuts, actual, side="right"), minlength=bins) / len(actual)
    e, a = np.clip(e, 1e-4, None), np.clip(a, 1e-4, None)
    return float(np.sum((a - e) * np.log(a / e)))


def _number(got):
    try:
        return float(got)
    except (TypeError, ValueError):
        return got


def check_psi(t: Checker) -> None:
    fn = t.function("psi")
    hint = ("cuts = np.quantile(expected, np.arange(1, bins) / bins); shares of each set per bin from "
            "np.searchsorted(cuts, values, side='right'); clip at 1e-4; sum((a - e) * np.log(a / e))")
    expected = t.rng.gamma(2.0, 1.0, int(t.rng.integers(800, 2000)))
    actual = t.rng.gamma(2.0, 1.0, int(t.rng.integers(800, 2000))) * t.rng.uniform(1.1, 1.6) + t.rng.uniform(0, 0.5)
    ok, got = t.call("runs on two random samples", fn, expected.copy(), actual.copy(), hint=hint)
    if ok:
        t.close("PSI of two random samples", _number(got), _psi(expected, actual), hint, rtol=1e-6)
    bins = int(t.rng.integers(4, 8))
    ok, got = t.call(f"runs with {bins} bins", fn, expected.copy(), actual.copy(), bins, hint=hint)
    if ok:
        t.close(f"PSI with {bins} bins", _number(got), _psi(expected, actual, bins), "use the bins argument",
                rtol=1e-6)
    narrow = t.rng.uniform(np.quantile(expected, 0.4), np.quantile(expected, 0.6), 500)  # most bins stay empty
    ok, got = t.call("runs when the field fills few bins", fn, expected.copy(), narrow.copy(), hint=hint)
    if ok:
        t.close("PSI with empty bins", _number(got), _psi(expected, narrow),
                "clip both sets' shares below at 1e-4, or an empty bin makes the logarithm infinite", rtol=1e-6)


def check_drifted(t: Checker) -> None:
    fn = t.function("drifted_channels")
    hint = ("pool every clip's frames per channel (train[..., ch].ravel()), psi(train channel, field channel) "
            "and keep the channels above the threshold, sorted")
    while True:  # until the two channels shifted most are both over 0.2, so that the second threshold matters
        channels = int(t.rng.integers(8, 16))
        train = t.rng.normal(0, 1, (int(t.rng.integers(20, 40)), 12, channels))
        field = t.rng.normal(0, 1, (int(t.rng.integers(20, 40)), 12, channels))
        shifted = t.rng.choice(channels, size=int(t.rng.integers(2, 5)), replace=False)
        shift = np.concatenate([t.rng.uniform(0.6, 1.0, 2), t.rng.uniform(0.15, 0.6, len(shifted) - 2)])
        field[..., shifted] += shift  # two far over 0.2, the others near it
        scores = [_psi(train[..., ch], field[..., ch]) for ch in range(channels)]
        if sorted(scores)[-2] > 0.2:
            break
    top = sorted(scores)[-2:]
    for threshold in (0.2, float(np.mean(top))):  # the second keeps only the channel that moved most
        expected = [ch for ch in range(channels) if scores[ch] > threshold]
        ok, got = t.call("runs on random features", fn, train.copy(), field.copy(), threshold, hint=hint)
        if ok:
            got = [int(v) for v in got] if isinstance(got, list | tuple | np.ndarray) else got
            t.equal(f"drifted channels at threshold {threshold:.2f} (PSI per channel {np.round(scores, 2).tolist()})",
                    got, expected, hint)


def _random_weights(rng, shapes):
    return [rng.normal(0, 1, shape).astype(np.float32) for shape in shapes]


def check_fedavg(t: Checker) -> None:
    fn = t.function("fedavg")
    hint = "for each layer: sum over clients of (n_k / sum of n) * weights_k[layer]"
    shapes = [(int(t.rng.integers(2, 6)), int(t.rng.integers(2, 6))), (int(t.rng.integers(2, 6)),), (3, 3, 1, 2)]
    clients = int(t.rng.integers(3, 7))
    weights = [_random_weights(t.rng, shapes) for _ in range(clients)]
    sizes = [int(v) for v in t.rng.integers(5, 400, size=clients)]
    shares = np.array(sizes) / sum(sizes)
    expected = [sum(s * w[i].astype(np.float64) for s, w in zip(shares, weights)) for i in range(len(shapes))]
    ok, got = t.call("runs on random client weights", fn, [list(w) for w in weights], list(sizes), hint=hint)
    if not ok:
        return
    length = len(got) if hasattr(got, "__len__") else "?"
    if not t.true("one array per layer", isinstance(got, list | tuple) and len(got) == len(shapes),
                  f"a list of {len(shapes)} arrays", f"{type(got).__name__} of length {length}",
                  "return a list with one averaged array per entry of a client's weights"):
        return
    for i, (g, e) in enumerate(zip(got, expected)):
        if not t.close(f"layer {i} averaged over {clients} clients with sizes {sizes}", g, e, hint, rtol=1e-5,
                       atol=1e-5):
            return
    ok, got = t.call("runs on one client", fn, [weights[0]], [sizes[0]], hint=hint)
    if ok and isinstance(got, list | tuple) and len(got) == len(shapes):
        t.close("one client gives its own weights", got[0], weights[0][0], hint, rtol=1e-5, atol=1e-5)


class _FakeModel:
    """Stands in for a Keras model: ``fit`` moves the weights half-way towards a point set by the client's data."""

    def __init__(self, shapes):
        self.weights = [np.zeros(s) for s in shapes]
        self.starts = []  # the weights each fit started from

    def get_weights(self):
        return [w.copy() for w in self.weights]

    def set_weights(self, weights):
        self.weights = [np.array(w, dtype=np.float64).copy() for w in weights]

    def fit(self, x, y, epochs=1, batch_size=None, verbose=0, **kwargs):
        self.starts.append(self.get_weights())
        target = float(np.mean(x)) + 0.1 * float(np.mean(y))
        for _ in range(int(epochs)):
            self.weights = [0.5 * w + 0.5 * target for w in self.weights]


def _local(weights, x, y, epochs):
    target = float(np.mean(x)) + 0.1 * float(np.mean(y))
    for _ in range(epochs):
        weights = [0.5 * w + 0.5 * target for w in weights]
    return weights


def check_round(t: Checker) -> None:
    fn = t.function("federated_round")
    hint = ("for each client: model.set_weights(global_weights), model.fit(x, y, epochs=epochs, ...), keep "
            "model.get_weights() and len(y); return fedavg(weights, sizes)")
    shapes = [(3, 2), (2,)]
    global_weights = _random_weights(t.rng, shapes)
    clients = [(t.rng.normal(float(t.rng.normal(0, 2)), 1, (n, 4)), t.rng.integers(0, 4, n))
               for n in t.rng.integers(3, 60, size=int(t.rng.integers(3, 6)))]
    epochs = int(t.rng.integers(1, 4))
    model = _FakeModel(shapes)
    ok, got = t.call("runs one round", fn, model, [w.copy() for w in global_weights], clients, epochs, hint=hint)
    if not ok:
        return
    fits = len(model.starts)
    if not t.equal("trains every client once", fits, len(clients), hint):
        return
    broadcast = all(np.allclose(s, g) for start in model.starts for s, g in zip(start, global_weights))
    if not t.true("every client starts from the global weights", broadcast,
                  "each fit to start from global_weights", "a client that started from another client's weights",
                  "call model.set_weights(global_weights) before each client's fit (the broadcast)"):
        return
    locals_ = [_local([w.astype(np.float64) for w in global_weights], x, y, epochs) for x, y in clients]
    sizes = np.array([len(y) for _, y in clients], dtype=np.float64)
    expected = [sum(s / sizes.sum() * w[i] for s, w in zip(sizes, locals_)) for i in range(len(shapes))]
    good = isinstance(got, list | tuple) and len(got) == len(shapes)
    if t.true("returns one array per layer", good, f"a list of {len(shapes)} arrays", type(got).__name__, hint):
        for i in range(len(shapes)):
            if not t.close(f"layer {i} after one round, {len(clients)} clients of sizes {sizes.astype(int).tolist()}",
                           got[i], expected[i], "average the clients' trained weights with fedavg, weighted by len(y)",
                           rtol=1e-5, atol=1e-6):
                return


CHECKS = {"psi": check_psi, "drifted": check_drifted, "fedavg": check_fedavg, "round": check_round}
