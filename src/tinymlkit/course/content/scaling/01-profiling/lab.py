# %% [markdown]
# # Lab: the bottleneck layer and the largest activation
#
# You profile a small image model with `tm.profile`, find the layer that takes the most time and the layer
# whose output takes the most memory, and compare with what the profiler reports.
#
# Cells marked **Exercise** are graded: `tinyml course check c4-profiling`.

# %%
# Everything from TinyML Kit this lab uses, in one place.
import os

import keras
import numpy as np

import tinymlkit as tm

FAST = os.environ.get("TINYML_COURSE_FAST") == "1"
keras.utils.set_random_seed(0)

# %% [markdown]
# ## A model to profile
# A small convolutional network for 32 x 32 grey images, converted to int8. Profiles depend on the shapes,
# not on the trained values, so the weights stay untrained.

# %%
def image_model(width):
    inputs = keras.Input((32, 32, 1))
    x = keras.layers.Conv2D(width, 3, padding="same", activation="relu")(inputs)
    x = keras.layers.MaxPooling2D()(x)
    x = keras.layers.DepthwiseConv2D(3, padding="same", activation="relu")(x)
    x = keras.layers.Conv2D(2 * width, 1, activation="relu")(x)
    x = keras.layers.GlobalAveragePooling2D()(x)
    return keras.Model(inputs, keras.layers.Dense(3, activation="softmax")(x))


calibration = np.random.default_rng(0).uniform(0, 1, (16, 32, 32, 1)).astype(np.float32)
tflite = tm.to_int8(image_model(8), calibration)
profile = tm.profile(tflite, board="nano33ble")
print(f"{len(tflite):,} bytes, {profile.macs:,} MACs, {profile.latency_ms:.2f} ms on the Nano 33 BLE")
for layer in profile.layers:
    shapes = ", ".join(str(t) for t in layer.outputs)
    print(f"  {layer.index:>2} {layer.op:<18} {layer.macs:>9,} MACs {layer.latency_ms:7.3f} ms  out: {shapes}")

# %% [markdown]
# ## Exercise `bottleneck`
# Write `bottleneck(layers)`: the index of the slowest layer and its share of the total latency.

# %% exercise="bottleneck"
def bottleneck(layers):
    raise NotImplementedError  # your code here


# %%
index, share = bottleneck(profile.layers)
by_macs = max(profile.layers, key=lambda layer: layer.macs)
print(f"slowest layer: {index} ({profile.layers[index].op}), {share:.0%} of the time; "
      f"most MACs: {by_macs.index} ({by_macs.op})")

# %% [markdown]
# ## Exercise `largest-output`
# Write `largest_output(layers)`: the layer whose outputs take the most bytes, and how many.

# %% exercise="largest-output"
def largest_output(layers):
    raise NotImplementedError  # your code here


# %%
index, size = largest_output(profile.layers)
print(f"largest output: layer {index} ({profile.layers[index].op}), {size:,} bytes; the profiler's peak of live "
      f"activations: layer {profile.peak_layer}, {profile.peak_activation_bytes:,} bytes")

# %% [markdown]
# ## What a wider model changes
# Double the width and profile again: which layer becomes the bottleneck, and how does the peak move?

# %%
for width in (8,) if FAST else (8, 16, 32):
    p = tm.profile(tm.to_int8(image_model(width), calibration), board="nano33ble")
    slow, share = bottleneck(p.layers)
    big, size = largest_output(p.layers)
    print(f"width {width:>2}: {p.latency_ms:7.2f} ms, bottleneck {p.layers[slow].op} ({share:.0%}), "
          f"largest output {p.layers[big].op} ({size:,} B)")

# %% [markdown]
# **Try it**: add `strides=2` to the first convolution. Which figures fall, and by how much?
