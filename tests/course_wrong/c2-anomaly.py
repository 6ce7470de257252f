# %% exercise="distances" variant=1 expect="distances of"
def nearest_distance(x, centres):  # squared distance
    x, centres = np.asarray(x, dtype=float), np.asarray(centres, dtype=float)
    return np.sum((x[:, None, :] - centres[None, :, :]) ** 2, axis=2).min(axis=1)


# %% exercise="distances" variant=2 expect="distances of"
def nearest_distance(x, centres):  # the farthest centre
    x, centres = np.asarray(x, dtype=float), np.asarray(centres, dtype=float)
    return np.sqrt(np.sum((x[:, None, :] - centres[None, :, :]) ** 2, axis=2)).max(axis=1)


# %% exercise="threshold" variant=1 expect="threshold with k = 2.5"
def error_threshold(errors, k=1.0):  # ignores k
    errors = np.asarray(errors, dtype=float)
    return float(errors.mean() + errors.std())


# %% exercise="threshold" variant=2 expect="threshold with k = 1.0"
def error_threshold(errors, k=1.0):  # variance instead of standard deviation
    errors = np.asarray(errors, dtype=float)
    return float(errors.mean() + k * errors.var())


# %% exercise="auc" variant=1 expect="AUC of random scores with ties"
def roc_auc(scores, labels):  # ties count as wins
    scores, labels = np.asarray(scores, dtype=float), np.asarray(labels)
    a, n = scores[labels == 1], scores[labels == 0]
    return float((a[:, None] >= n[None, :]).mean())


# %% exercise="auc" variant=2 expect="AUC of random scores with ties"
def roc_auc(scores, labels):  # accuracy at the median instead of AUC
    scores, labels = np.asarray(scores, dtype=float), np.asarray(labels)
    return float(np.mean((scores > np.median(scores)) == labels))


# %% exercise="autoencoder" variant=1 expect="has a bottleneck narrower than 32"
def build_autoencoder():  # no bottleneck: learns to copy anything
    model = tf.keras.Sequential([tf.keras.Input(shape=(140,)), tf.keras.layers.Dense(140, activation="relu"),
                                 tf.keras.layers.Dense(140)])
    model.compile(optimizer="adam", loss="mse")
    return model


# %% exercise="autoencoder" variant=2 expect="140 samples in and out"
def build_autoencoder():  # output of the bottleneck size
    model = tf.keras.Sequential([tf.keras.Input(shape=(140,)), tf.keras.layers.Dense(8, activation="relu")])
    model.compile(optimizer="adam", loss="mse")
    return model
