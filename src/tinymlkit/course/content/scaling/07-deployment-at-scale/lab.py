# %% [markdown]
# # Lab: delta updates and a staged rollout
#
# A keyword model is on the devices (version 1). Version 2 learns from new voices, made twice: fine-tuning
# only the last layer, and retraining every layer. You count the flash blocks each update must send, then
# decide a rollout in waves that stops when too many devices fail.
#
# Cells marked **Exercise** are graded: `tinyml course check c4-ota`.

# %%
# Everything from TinyML Kit this lab uses, in one place.
import os
import zlib

import keras
import numpy as np

import tinymlkit as tm
from tinymlkit.apps.kws.frontend import micro_features
from tinymlkit.apps.kws.recipe import FEATURE_RANGE
from tinymlkit.course.datasets import spoken_words

FAST = os.environ.get("TINYML_COURSE_FAST") == "1"
keras.utils.set_random_seed(0)

# %% [markdown]
# ## Version 1, and two ways to make version 2

# %%
WORDS = ["yes", "no", "up"]
per_word, epochs = (10, 1) if FAST else (60, 20)
x1, y1 = spoken_words(WORDS, per_word, seed=1, voices="even")
x2, y2 = spoken_words(WORDS, per_word, seed=2, voices="odd")  # new voices from the field
x_test, y_test = spoken_words(WORDS, per_word // 2, seed=3, voices="odd")
f1, f2, f_test = (micro_features(x) / FEATURE_RANGE[1] for x in (x1, x2, x_test))
representative = f1[:100]

inputs = keras.Input((49, 40))
x = keras.layers.Reshape((49, 40, 1))(inputs)
x = keras.layers.Conv2D(8, 3, strides=2, activation="relu")(x)
x = keras.layers.MaxPooling2D(2)(x)
x = keras.layers.Flatten()(x)
x = keras.layers.Dense(32, activation="relu")(x)
v1 = keras.Model(inputs, keras.layers.Dense(len(WORDS), activation="softmax")(x))
v1.compile(keras.optimizers.Adam(3e-3), "sparse_categorical_crossentropy", metrics=["accuracy"])
v1.fit(f1, y1, epochs=epochs, batch_size=16, verbose=0)


def as_deployed(model):
    tflite = tm.to_int8(model, representative)
    return tflite, float(np.mean(tm.TFLMModel(tflite).predict(f_test).argmax(1) == y_test))


def fine_tuned(last_layer_only):
    model = keras.models.clone_model(v1)
    model.set_weights(v1.get_weights())
    for layer in model.layers[:-1]:
        layer.trainable = not last_layer_only
    model.compile(keras.optimizers.Adam(1e-3), "sparse_categorical_crossentropy", metrics=["accuracy"])
    model.fit(np.concatenate([f1, f2]), np.concatenate([y1, y2]), epochs=max(1, epochs // 2), batch_size=16,
              verbose=0)
    return model


images = {"v1": as_deployed(v1), "v2, last layer only": as_deployed(fine_tuned(True)),
          "v2, every layer": as_deployed(fine_tuned(False))}
for name, (tflite, accuracy) in images.items():
    print(f"{name:<20} {len(tflite):>7,} bytes, int8 accuracy in TFLM on new voices {accuracy:.3f}")

# %% [markdown]
# ## Exercise `delta`
# Flash is written in blocks. Write `changed_blocks(old, new, block=4096)`: the blocks of the new image that
# differ from what flash holds there now (the old image, then erased `0xFF` bytes).

# %% exercise="delta"
def changed_blocks(old, new, block=4096):
    raise NotImplementedError  # your code here


# %%
old = images["v1"][0]
for name in ("v2, last layer only", "v2, every layer"):
    new = images[name][0]
    for size in (4096, 256):
        blocks = changed_blocks(old, new, size)
        total = -(-len(new) // size)
        sent = sum(len(new[i * size:(i + 1) * size]) for i in blocks)
        print(f"{name:<20} blocks of {size:>4}: {len(blocks):>3} of {total:>3} changed, {sent:>7,} bytes to send "
              f"(the whole image zlib-compressed: {len(zlib.compress(new, 9)):,})")

# %% [markdown]
# ## Exercise `rollout`
# The update goes out in waves; each wave reports failures (a device that fails its self-test after the
# switch). Write `rollout(waves, failures, max_rate)`.

# %% exercise="rollout"
def rollout(waves, failures, max_rate):
    raise NotImplementedError  # your code here


# %%
waves = [20, 200, 2000, 17_780]  # 0.1 %, 1 %, 10 %, the rest of a 20,000-device fleet
rng = np.random.default_rng(0)
for name, rate in (("a good update", 0.001), ("a bad update", 0.04)):
    failures = [int(f) for f in rng.binomial(waves, rate)]
    print(f"{name}: failures per wave {failures} -> {rollout(waves, failures, max_rate=0.02)}")

# %% [markdown]
# **Try it**: fine-tune only the last layer for twice as many epochs: does the delta grow? And what does a
# 256-byte block cost the device instead of a 4 KB one (hint: a longer list of blocks, and flash that erases
# whole sectors anyway)?
