# %% exercise="distances"
def nearest_distance(x, centres):
    x, centres = np.asarray(x, dtype=float), np.asarray(centres, dtype=float)
    distances = np.sqrt(np.sum((x[:, None, :] - centres[None, :, :]) ** 2, axis=2))
    return distances.min(axis=1)


# %% exercise="threshold"
def error_threshold(errors, k=1.0):
    errors = np.asarray(errors, dtype=float)
    return float(errors.mean() + k * errors.std())


# %% exercise="auc"
def roc_auc(scores, labels):
    scores, labels = np.asarray(scores, dtype=float), np.asarray(labels)
    anomalous, normal = scores[labels == 1], scores[labels == 0]
    wins = (anomalous[:, None] > normal[None, :]).sum() + 0.5 * (anomalous[:, None] == normal[None, :]).sum()
    return float(wins / (len(anomalous) * len(normal)))


# %% exercise="autoencoder"
def build_autoencoder():
    model = tf.keras.Sequential([
        tf.keras.Input(shape=(140,)),
        tf.keras.layers.Dense(32, activation="relu"),
        tf.keras.layers.Dense(6, activation="relu"),
        tf.keras.layers.Dense(32, activation="relu"),
        tf.keras.layers.Dense(140),
    ])
    model.compile(optimizer="adam", loss="mse")
    return model
