# %% [markdown]
# # Lab: a hardware-aware search for a keyword model
#
# You count a candidate's MACs from its shapes (checked against the toolkit's profiler), reject candidates
# too slow for the board before training them, train the rest briefly, and keep the Pareto front of accuracy
# (int8, in TFLM, on unseen voices) against flash.
#
# Cells marked **Exercise** are graded: `tinyml course check c4-automl`.

# %%
# Everything from TinyML Kit this lab uses, in one place.
import itertools
import os

import keras
import numpy as np

import tinymlkit as tm
from tinymlkit.apps.kws.frontend import micro_features
from tinymlkit.apps.kws.recipe import FEATURE_RANGE
from tinymlkit.course.datasets import spoken_words
from tinymlkit.profile import load_boards
from tinymlkit.profile.latency import core_model

FAST = os.environ.get("TINYML_COURSE_FAST") == "1"
keras.utils.set_random_seed(0)

# %% [markdown]
# ## Exercise `conv-macs`
# The profiler counts a convolution's MACs as output elements x kernel rows x kernel columns x input channels
# (a depthwise convolution: x 1 instead of x input channels, one output channel per input channel).

# %% exercise="conv-macs"
def conv_macs(height, width, channels, filters, kernel, stride=1, padding="same", depthwise=False):
    raise NotImplementedError  # your code here


# %% [markdown]
# ## The search space
# DS-CNN-style keyword models: a first convolution of `filters` channels, 10 x 4, stride 2, then `blocks`
# depthwise-separable blocks (3 x 3 depthwise + 1 x 1 convolution), global average pooling and a classifier.

# %%
WORDS = ["yes", "no", "up"]


def build(blocks, filters):
    inputs = keras.Input((49, 40))
    x = keras.layers.Reshape((49, 40, 1))(inputs)
    x = keras.layers.Conv2D(filters, (10, 4), strides=2, padding="same", activation="relu")(x)
    for _ in range(blocks):
        x = keras.layers.DepthwiseConv2D(3, padding="same", activation="relu")(x)
        x = keras.layers.Conv2D(filters, 1, activation="relu")(x)
    x = keras.layers.GlobalAveragePooling2D()(x)
    model = keras.Model(inputs, keras.layers.Dense(len(WORDS), activation="softmax")(x))
    model.compile(keras.optimizers.Adam(3e-3), "sparse_categorical_crossentropy", metrics=["accuracy"])
    return model


def candidate_macs(blocks, filters):
    """The convolutions' MACs, from the shapes alone (the pooling and classifier add a few hundred more)."""
    total = conv_macs(49, 40, 1, filters, (10, 4), stride=2)
    for _ in range(blocks):  # after the first convolution: 25 x 20 x filters
        total += conv_macs(25, 20, filters, filters, 3, depthwise=True)
        total += conv_macs(25, 20, filters, filters, 1)
    return total


tflite = tm.to_int8(build(2, 16), np.random.default_rng(0).uniform(0, 1, (8, 49, 40)).astype(np.float32))
counted = sum(layer.macs for layer in tm.profile(tflite).layers if layer.kind in ("conv", "depthwise"))
print(f"blocks=2, filters=16: your count {candidate_macs(2, 16):,} MACs, the profiler's {counted:,}")

# %% [markdown]
# ## Reject before training
# The Nano 33 BLE's latency model gives cycles per MAC; candidates whose estimate is over the budget are never
# trained.

# %%
BUDGET_MS = 150.0
board = load_boards()["nano33ble"]
cycles_per_mac = core_model(board.core).scale * core_model(board.core).costs["conv"]
space = list(itertools.product([1, 2, 3], [8, 16, 32, 64]))
rng = np.random.default_rng(1)
chosen = [space[i] for i in rng.choice(len(space), size=3 if FAST else 8, replace=False)]
survivors = []
for blocks, filters in chosen:
    estimate = candidate_macs(blocks, filters) * cycles_per_mac / (board.clock_mhz * 1e3)
    verdict = "train" if estimate <= BUDGET_MS else "rejected"
    print(f"blocks={blocks} filters={filters:>2}: {candidate_macs(blocks, filters):>9,} MACs, about {estimate:5.1f} ms"
          f" -> {verdict}")
    if estimate <= BUDGET_MS:
        survivors.append((blocks, filters))

# %% [markdown]
# ## Train the survivors briefly, measure them as they would run

# %%
per_word = 10 if FAST else 60
x, y = spoken_words(WORDS, per_word, seed=1, voices="even")
x_val, y_val = spoken_words(WORDS, per_word // 3, seed=2, voices="odd")
f, f_val = micro_features(x) / FEATURE_RANGE[1], micro_features(x_val) / FEATURE_RANGE[1]
points = []
for blocks, filters in survivors:
    model = build(blocks, filters)
    model.fit(f, y, epochs=1 if FAST else 50, batch_size=16, verbose=0)
    tflite = tm.to_int8(model, f[:100])
    accuracy = float(np.mean(tm.TFLMModel(tflite).predict(f_val).argmax(1) == y_val))
    points.append((f"b{blocks}-f{filters}", len(tflite), accuracy))
    print(f"b{blocks}-f{filters}: {len(tflite):,} B, int8 accuracy in TFLM {accuracy:.3f}")

# %% [markdown]
# ## Exercise `pareto`
# Cost: the flash of the `.tflite`; the higher the accuracy the better.

# %% exercise="pareto"
def pareto_front(points):
    raise NotImplementedError  # your code here


# %%
print("Pareto front (flash vs accuracy):", pareto_front(points))

# %% [markdown]
# **Try it**: add the first kernel size to the search space, or make the budget 60 ms. The accuracies here
# come from the validation voices the search looks at: measure the chosen model once more on new voices.
