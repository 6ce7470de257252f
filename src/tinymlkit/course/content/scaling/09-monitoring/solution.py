# %% exercise="psi"
def psi(expected, actual, bins=10):
    expected, actual = np.ravel(expected), np.ravel(actual)
    cuts = np.quantile(expected, np.arange(1, bins) / bins)
    e = np.bincount(np.searchsorted(cuts, expected, side="right"), minlength=bins) / len(expected)
    a = np.bincount(np.searchsorted(cuts, actual, side="right"), minlength=bins) / len(actual)
    e, a = np.clip(e, 1e-4, None), np.clip(a, 1e-4, None)
    return float(np.sum((a - e) * np.log(a / e)))


# %% exercise="drifted"
def drifted_channels(train, field, threshold=0.2, bins=10):
    train, field = np.asarray(train), np.asarray(field)
    channels = train.shape[-1]
    scores = [psi(train[..., ch].ravel(), field[..., ch].ravel(), bins) for ch in range(channels)]
    return [ch for ch in range(channels) if scores[ch] > threshold]


# %% exercise="fedavg"
def fedavg(client_weights, client_sizes):
    shares = np.asarray(client_sizes, dtype=np.float64) / np.sum(client_sizes)
    return [sum(share * np.asarray(weights[i]) for share, weights in zip(shares, client_weights))
            for i in range(len(client_weights[0]))]


# %% exercise="round"
def federated_round(model, global_weights, clients, epochs):
    weights, sizes = [], []
    for x, y in clients:
        model.set_weights(global_weights)  # broadcast: every client starts from the global model
        model.fit(x, y, epochs=epochs, batch_size=16, verbose=0)
        weights.append(model.get_weights())
        sizes.append(len(y))
    return fedavg(weights, sizes)
