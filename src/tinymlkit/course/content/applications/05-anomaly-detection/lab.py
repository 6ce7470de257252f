# %% [markdown]
# # Lab: k-means and an autoencoder find abnormal heartbeats
#
# You score heartbeats by their distance to k-means centres and by an autoencoder's reconstruction error,
# compare both with ROC curves, and train an autoencoder on data that is not perfectly clean. The autoencoder
# runs as int8 in TFLM at the end.
#
# Cells marked **Exercise** are graded: `tinyml course check c2-anomaly`.

# %%
# Everything from TinyML Kit this lab uses, in one place.
import os

import matplotlib.pyplot as plt
import numpy as np
import tensorflow as tf
from sklearn.cluster import KMeans

from tinymlkit.course.datasets import heartbeats
from tinymlkit.evaluate.roc import roc_curve
from tinymlkit.convert.quantize import to_int8
from tinymlkit.runtime.tflm import TFLMModel

FAST = os.environ.get("TINYML_COURSE_FAST") == "1"  # set by the course's automatic tests: less data, fewer epochs
tf.keras.utils.set_random_seed(0)

# %% [markdown]
# ## 1. Heartbeats
# 140 samples per beat. Training data: normal beats only. Test data: 20 % abnormal.

# %%
x_train, _ = heartbeats(400 if FAST else 2000, anomaly_fraction=0.0, seed=1)
x_test, y_test = heartbeats(200 if FAST else 1000, anomaly_fraction=0.2, seed=2)
plt.plot(x_test[y_test == 0][:5].T, color="tab:blue", alpha=0.6)
plt.plot(x_test[y_test == 1][:5].T, color="tab:red", alpha=0.6)
plt.title("normal (blue) and abnormal (red) beats")
plt.show()

# %% [markdown]
# ## Exercise `distances`
# For every beat, the distance to the closest centre. NumPy broadcasting does all pairs at once:
# `x[:, None, :] - centres[None, :, :]` has shape (n, k, d).

# %% exercise="distances"
def nearest_distance(x, centres):
    x, centres = np.asarray(x, dtype=float), np.asarray(centres, dtype=float)
    raise NotImplementedError  # your code here


# %%
kmeans = KMeans(n_clusters=8, n_init=4, random_state=0).fit(x_train)
train_distance = nearest_distance(x_train, kmeans.cluster_centers_)
test_distance = nearest_distance(x_test, kmeans.cluster_centers_)
kmeans_threshold = np.percentile(train_distance, 99)
flagged = test_distance > kmeans_threshold
print(f"k-means, 99th-percentile threshold: accuracy {np.mean(flagged == y_test):.3f}")

# %% [markdown]
# ## 2. An autoencoder

# %%
autoencoder = tf.keras.Sequential([
    tf.keras.Input(shape=(140,)),
    tf.keras.layers.Dense(32, activation="relu"),
    tf.keras.layers.Dense(8, activation="relu"),
    tf.keras.layers.Dense(32, activation="relu"),
    tf.keras.layers.Dense(140),
])
autoencoder.compile("adam", "mse")
autoencoder.fit(x_train, x_train, epochs=3 if FAST else 40, batch_size=32, verbose=0)


def reconstruction_error(model, x):
    return np.mean((model.predict(x, verbose=0) - x) ** 2, axis=1)


train_error, test_error = reconstruction_error(autoencoder, x_train), reconstruction_error(autoencoder, x_test)

# %% [markdown]
# ## Exercise `threshold`
# `mean + k * std` of the training errors, as a float.

# %% exercise="threshold"
def error_threshold(errors, k=1.0):
    errors = np.asarray(errors, dtype=float)
    raise NotImplementedError  # your code here


# %%
threshold = error_threshold(train_error)
print(f"autoencoder, mean + std threshold {threshold:.5f}: accuracy {np.mean((test_error > threshold) == y_test):.3f}")

# %% [markdown]
# ## Exercise `auc`
# Compare every anomalous score with every normal score: count 1 when the anomaly is higher, 0.5 for a tie,
# and divide by the number of pairs. (Broadcasting again: `a[:, None] > n[None, :]`.)

# %% exercise="auc"
def roc_auc(scores, labels):
    scores, labels = np.asarray(scores, dtype=float), np.asarray(labels)
    raise NotImplementedError  # your code here


# %%
for name, scores in [("k-means distance", test_distance), ("autoencoder error", test_error)]:
    fpr, tpr, _ = roc_curve(scores, y_test)
    plt.plot(fpr, tpr, label=f"{name}: AUC {roc_auc(scores, y_test):.3f}")
plt.plot([0, 1], [0, 1], ":", color="gray")
plt.xlabel("false positive rate")
plt.ylabel("true positive rate")
plt.legend()
plt.show()

# %% [markdown]
# ## Exercise `autoencoder` (assignment): contaminated training data
# Now 10 % of the training beats are abnormal, and nobody knows which. Build an autoencoder whose bottleneck
# is narrow enough not to learn them: `Input(shape=(140,))`, a few `Dense` layers down to a bottleneck
# (try 4 to 8), back up to `Dense(140)`, compiled with `"adam"` and `"mse"`.

# %% exercise="autoencoder"
def build_autoencoder():
    raise NotImplementedError  # your code here


# %%
x_dirty, _ = heartbeats(400 if FAST else 2000, anomaly_fraction=0.1, seed=3)
model = build_autoencoder()
model.fit(x_dirty, x_dirty, epochs=3 if FAST else 40, batch_size=32, verbose=0)
threshold = np.percentile(reconstruction_error(model, x_dirty), 90)  # leave out the expected 10 %

# %% [markdown]
# ## 3. As int8, in TFLM

# %%
tflm = TFLMModel(to_int8(model, x_dirty))
int8_error = np.mean((tflm.predict(x_test) - x_test) ** 2, axis=1)
flagged = int8_error > threshold
tp = np.sum(flagged & (y_test == 1))
print(f"int8 in TFLM: accuracy {np.mean(flagged == y_test):.3f}, precision {tp / max(1, flagged.sum()):.3f}, "
      f"recall {tp / max(1, y_test.sum()):.3f}, AUC {roc_auc(int8_error, y_test):.3f}")
