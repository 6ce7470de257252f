# %% [markdown]
# # Lab: drift alerts and federated averaging
#
# A keyword model in the field meets recordings unlike its training data, and the recordings that could
# improve it stay on the users' devices. You write a drift alert from feature statistics (the population
# stability index per mel channel), then train a keyword model with federated averaging across simulated
# devices, each with its own few words, and compare it with training on all the data in one place.
#
# Cells marked **Exercise** are graded: `tinyml course check c4-federated`.

# %%
# Everything from TinyML Kit this lab uses, in one place.
import os
import time

import keras
import numpy as np
import scipy.signal
import scipy.stats

import tinymlkit as tm
from tinymlkit.apps.kws.frontend import micro_features
from tinymlkit.apps.kws.recipe import FEATURE_RANGE
from tinymlkit.course.datasets import spoken_words

FAST = os.environ.get("TINYML_COURSE_FAST") == "1"  # set by the course's automatic tests: less data, fewer rounds
keras.utils.set_random_seed(0)

# %% [markdown]
# ## The devices and their data
# Ten simulated devices (clients). Each owner says only two of the four words, in voices of their own: the data
# are **non-IID**, as they are in real federated learning. The test set is spoken by voices no client has.

# %%
WORDS = ["yes", "no", "up", "down"]
CLIENTS = 10
per_word = 8 if FAST else 30
clients = []
for c in range(CLIENTS):
    words = [c % 4, (c + 1 + c // 4) % 4]  # two of the four words, a different pair for most clients
    audio, labels = spoken_words([WORDS[i] for i in words], per_word, seed=100 + c, voices="even")
    clients.append((micro_features(audio) / FEATURE_RANGE[1], np.array(words)[labels]))
    print(f"client {c}: {len(labels)} clips of {[WORDS[i] for i in words]}")
x_test_audio, y_test = spoken_words(WORDS, 10 if FAST else 40, seed=7, voices="odd")
x_test = micro_features(x_test_audio) / FEATURE_RANGE[1]
x_all = np.concatenate([x for x, _ in clients])
y_all = np.concatenate([y for _, y in clients])
print(f"all clients together: {len(y_all)} clips; test: {len(y_test)} clips of unseen voices")

# %% [markdown]
# ## Exercise `psi`
# The population stability index compares the distribution of one number in the field (`actual`) with the
# training data (`expected`). Cut points: the quantiles `1/bins ... (bins-1)/bins` of `expected`; bin of each
# value: `np.searchsorted(cuts, values, side="right")` (0 .. bins-1); shares per bin clipped below at 1e-4;
# PSI = `sum((a - e) * np.log(a / e))`.

# %% exercise="psi"
def psi(expected, actual, bins=10):
    expected, actual = np.ravel(expected), np.ravel(actual)
    raise NotImplementedError  # your code here


# %%
rng = np.random.default_rng(0)
same, moved = rng.normal(0, 1, 5000), rng.normal(0.5, 1, 5000)
print(f"PSI of two samples of one distribution: {psi(rng.normal(0, 1, 5000), same):.3f}; "
      f"after a shift of half a standard deviation: {psi(rng.normal(0, 1, 5000), moved):.3f}")

# %% [markdown]
# ## Exercise `drifted`
# A device in the field keeps statistics of its 40 mel channels. Write `drifted_channels(train, field,
# threshold=0.2, bins=10)`: the PSI of each channel (all frames of all clips pooled, the training features as
# `expected`), and the sorted list of channels above the threshold.

# %% exercise="drifted"
def drifted_channels(train, field, threshold=0.2, bins=10):
    raise NotImplementedError  # your code here


# %% [markdown]
# New recordings from the field, twice: once with the microphone of the training data, once through a new
# housing that muffles everything above 2 kHz (a low-pass filter).

# %%
field_audio, field_labels = spoken_words(WORDS, 10 if FAST else 30, seed=11, voices="odd")
lowpass = scipy.signal.butter(4, 2000, fs=16000, output="sos")
muffled_audio = scipy.signal.sosfilt(lowpass, field_audio, axis=1).astype(np.float32)
field = micro_features(field_audio) / FEATURE_RANGE[1]
muffled = micro_features(muffled_audio) / FEATURE_RANGE[1]
for name, data in (("same microphone", field), ("muffled housing", muffled)):
    alert = drifted_channels(x_all, data)
    scores = [psi(x_all[..., ch], data[..., ch]) for ch in range(40)]
    print(f"{name}: largest channel PSI {max(scores):.2f}; alert on {len(alert)} channels {alert}")
ks = scipy.stats.ks_2samp(x_all[..., 35].ravel(), muffled[..., 35].ravel())
print(f"Kolmogorov-Smirnov on channel 35: statistic {ks.statistic:.3f}, p-value {ks.pvalue:.2g}")

# %% [markdown]
# ## Exercise `fedavg`
# Each client returns its weights (a list of arrays, one per layer variable) and its number of examples.
# Average every array over the clients, client k weighted by `n_k / sum(n)`.

# %% exercise="fedavg"
def fedavg(client_weights, client_sizes):
    raise NotImplementedError  # your code here


# %% [markdown]
# ## Exercise `round`
# One round: broadcast the global weights to every client, train locally for `epochs`, average. One Keras
# model object is reused for every client (set its weights before each client trains).

# %% exercise="round"
def federated_round(model, global_weights, clients, epochs):
    raise NotImplementedError  # your code here


# %% [markdown]
# ## Federated against central training
# The same small convolutional model is trained twice: on all clips pooled in one place (central), and by
# federated averaging, where no clip leaves its client. Both see every clip the same number of times.

# %%
ROUNDS, LOCAL_EPOCHS = (3, 1) if FAST else (60, 1)


def build_model():
    inputs = keras.Input((49, 40))
    x = keras.layers.Reshape((49, 40, 1))(inputs)
    x = keras.layers.Conv2D(8, 3, strides=2, activation="relu")(x)
    x = keras.layers.MaxPooling2D(2)(x)
    x = keras.layers.Flatten()(x)
    model = keras.Model(inputs, keras.layers.Dense(len(WORDS), activation="softmax")(x))
    model.compile(keras.optimizers.Adam(3e-3), "sparse_categorical_crossentropy", metrics=["accuracy"])
    return model


start = time.time()
central = build_model()
central.fit(x_all, y_all, epochs=ROUNDS * LOCAL_EPOCHS, batch_size=16, verbose=0)
central_accuracy = central.evaluate(x_test, y_test, verbose=0)[1]
print(f"central: test accuracy {central_accuracy:.3f} ({time.time() - start:.0f} s)")

start = time.time()
federated = build_model()
global_weights = federated.get_weights()
for r in range(ROUNDS):
    global_weights = federated_round(federated, global_weights, clients, LOCAL_EPOCHS)
    if (r + 1) % 10 == 0 or r + 1 == ROUNDS:
        federated.set_weights(global_weights)
        print(f"round {r + 1}: test accuracy {federated.evaluate(x_test, y_test, verbose=0)[1]:.3f}")
federated.set_weights(global_weights)
federated_accuracy = federated.evaluate(x_test, y_test, verbose=0)[1]
print(f"federated: test accuracy {federated_accuracy:.3f} ({time.time() - start:.0f} s); "
      f"central {central_accuracy:.3f}; gap {100 * (central_accuracy - federated_accuracy):.1f} points")

# %% [markdown]
# ## The federated model on the board, and the drift it meets
# The federated model is an ordinary Keras model: convert it to int8 and run it in TFLM. Then give it the
# muffled recordings the drift alert flagged.

# %%
tflm = tm.TFLMModel(tm.to_int8(federated, x_all))
for name, data in (("same microphone", field), ("muffled housing", muffled)):
    accuracy = float(np.mean(tflm.predict(data).argmax(1) == field_labels))
    print(f"int8 federated model in TFLM, {name}: accuracy {accuracy:.3f}")

# %% [markdown]
# **Try it**: give every client all four words (IID data) and compare the gap; then try `LOCAL_EPOCHS = 5`
# with fewer rounds. Which one makes client drift worse?
