# %% exercise="psi" variant=1 expect="PSI of two random samples"
def psi(expected, actual, bins=10):  # equal-width bins between the minimum and the maximum: not quantiles
    expected, actual = np.ravel(expected), np.ravel(actual)
    edges = np.linspace(expected.min(), expected.max(), bins + 1)[1:-1]
    e = np.bincount(np.searchsorted(edges, expected, side="right"), minlength=bins) / len(expected)
    a = np.bincount(np.searchsorted(edges, actual, side="right"), minlength=bins) / len(actual)
    e, a = np.clip(e, 1e-4, None), np.clip(a, 1e-4, None)
    return float(np.sum((a - e) * np.log(a / e)))


# %% exercise="psi" variant=2 expect="PSI of two random samples"
def psi(expected, actual, bins=10):  # the Kullback-Leibler divergence: a * log(a / e), not (a - e) * log(a / e)
    expected, actual = np.ravel(expected), np.ravel(actual)
    cuts = np.quantile(expected, np.arange(1, bins) / bins)
    e = np.bincount(np.searchsorted(cuts, expected, side="right"), minlength=bins) / len(expected)
    a = np.bincount(np.searchsorted(cuts, actual, side="right"), minlength=bins) / len(actual)
    e, a = np.clip(e, 1e-4, None), np.clip(a, 1e-4, None)
    return float(np.sum(a * np.log(a / e)))


# %% exercise="psi" variant=3 expect="PSI with empty bins"
def psi(expected, actual, bins=10):  # no floor on the shares: an empty bin gives an infinite or NaN PSI
    expected, actual = np.ravel(expected), np.ravel(actual)
    cuts = np.quantile(expected, np.arange(1, bins) / bins)
    e = np.bincount(np.searchsorted(cuts, expected, side="right"), minlength=bins) / len(expected)
    a = np.bincount(np.searchsorted(cuts, actual, side="right"), minlength=bins) / len(actual)
    with np.errstate(divide="ignore", invalid="ignore"):
        return float(np.sum((a - e) * np.log(a / e)))


# %% exercise="drifted" variant=1 expect="drifted channels at threshold"
def drifted_channels(train, field, threshold=0.2, bins=10):  # compares each clip's mean, not the pooled frames
    train, field = np.asarray(train).mean(axis=1), np.asarray(field).mean(axis=1)
    return [ch for ch in range(train.shape[-1]) if psi(train[:, ch], field[:, ch], bins) > threshold]


# %% exercise="drifted" variant=2 expect="drifted channels at threshold"
def drifted_channels(train, field, threshold=0.2, bins=10):  # ignores the threshold argument
    train, field = np.asarray(train), np.asarray(field)
    return [ch for ch in range(train.shape[-1]) if psi(train[..., ch], field[..., ch], bins) > 0.2]


# %% exercise="fedavg" variant=1 expect="averaged over"
def fedavg(client_weights, client_sizes):  # every client counts the same, whatever its data
    return [np.mean([w[i] for w in client_weights], axis=0) for i in range(len(client_weights[0]))]


# %% exercise="fedavg" variant=2 expect="averaged over"
def fedavg(client_weights, client_sizes):  # weighted by the sizes but not divided by their total
    return [sum(n * np.asarray(w[i]) for n, w in zip(client_sizes, client_weights))
            for i in range(len(client_weights[0]))]


# %% exercise="round" variant=1 expect="every client starts from the global weights"
def federated_round(model, global_weights, clients, epochs):  # broadcasts once: clients train one after another
    model.set_weights(global_weights)
    weights, sizes = [], []
    for x, y in clients:
        model.fit(x, y, epochs=epochs, batch_size=16, verbose=0)
        weights.append(model.get_weights())
        sizes.append(len(y))
    return fedavg(weights, sizes)


# %% exercise="round" variant=2 expect="after one round"
def federated_round(model, global_weights, clients, epochs):  # keeps only the last client's model
    for x, y in clients:
        model.set_weights(global_weights)
        model.fit(x, y, epochs=epochs, batch_size=16, verbose=0)
    return model.get_weights()
