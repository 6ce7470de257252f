# %% [markdown]
# # Lab: NPU and CPU segments of a model
#
# You take the operator list of a small keyword model from `tm.profile`, split it into the segments a micro NPU
# and its CPU would run, count the fallbacks and handovers, and estimate the latency of the split.
#
# Cells marked **Exercise** are graded: `tinyml course check c4-npu`.

# %%
# Everything from TinyML Kit this lab uses, in one place.
import os

import keras
import numpy as np

import tinymlkit as tm

FAST = os.environ.get("TINYML_COURSE_FAST") == "1"
keras.utils.set_random_seed(0)

# %% [markdown]
# ## A model and its operators
# A small keyword model for 49 x 40 features. Its global average pooling becomes a `MEAN` operator in the
# `.tflite` file.

# %%
inputs = keras.Input((49, 40, 1))
x = keras.layers.Conv2D(16, (10, 4), strides=2, padding="same", activation="relu")(inputs)
x = keras.layers.DepthwiseConv2D(3, padding="same", activation="relu")(x)
x = keras.layers.Conv2D(16, 1, activation="relu")(x)
x = keras.layers.GlobalAveragePooling2D()(x)
model = keras.Model(inputs, keras.layers.Dense(4, activation="softmax")(x))
tflite = tm.to_int8(model, np.random.default_rng(0).uniform(0, 26, (16, 49, 40, 1)).astype(np.float32))
profile = tm.profile(tflite, board="nano33ble")
ops = [layer.op for layer in profile.layers]
print(ops)

# A simplified supported set for this lab (the real one depends on the NPU, its compiler's version and each
# operator's parameters: read the compiler's report).
NPU_OPS = {"CONV_2D", "DEPTHWISE_CONV_2D", "FULLY_CONNECTED", "MAX_POOL_2D", "AVERAGE_POOL_2D", "ADD", "MUL",
           "RESHAPE", "RELU", "LOGISTIC", "TANH", "CONCATENATION", "PAD", "QUANTIZE"}

# %% [markdown]
# ## Exercise `segments`
# Write `npu_segments(ops, supported)`: runs of consecutive operators on the same processor.

# %% exercise="segments"
def npu_segments(ops, supported):
    raise NotImplementedError  # your code here


# %%
print(npu_segments(ops, NPU_OPS))

# %% [markdown]
# ## Exercise `fallbacks`
# Write `fallback_summary(ops, supported)`: fallback calls, handovers and the unsupported names.

# %% exercise="fallbacks"
def fallback_summary(ops, supported):
    raise NotImplementedError  # your code here


# %%
fallbacks, handovers, names = fallback_summary(ops, NPU_OPS)
print(f"{fallbacks} fallback calls ({', '.join(names)}), {handovers} handovers")

# %% [markdown]
# ## What the split costs
# A rough estimate: the NPU runs its layers 20 times faster than the profile's Cortex-M4F estimate, the CPU
# runs the fallbacks at the profile's speed, and each handover costs 0.05 ms. Then the same model with the
# `MEAN` replaced by an average pooling over the whole map, which the NPU supports.

# %%
SPEEDUP, HANDOVER_MS = 20.0, 0.05


def split_latency(layers, supported):
    compute = sum(layer.latency_ms / SPEEDUP if layer.op in supported else layer.latency_ms for layer in layers)
    return compute + HANDOVER_MS * fallback_summary([layer.op for layer in layers], supported)[1]


print(f"CPU only: {profile.latency_ms:.2f} ms; NPU with fallbacks: {split_latency(profile.layers, NPU_OPS):.2f} ms; "
      f"everything on the NPU: {profile.latency_ms / SPEEDUP:.2f} ms")
if not FAST:
    pooled = keras.Model(inputs, keras.layers.Dense(4, activation="softmax")(
        keras.layers.Flatten()(keras.layers.AveragePooling2D(pool_size=(25, 20))(model.layers[3].output))))
    p = tm.profile(tm.to_int8(pooled, np.random.default_rng(0).uniform(0, 26, (16, 49, 40, 1)).astype(np.float32)),
                   board="nano33ble")
    print(f"with average pooling: {[layer.op for layer in p.layers]}, {split_latency(p.layers, NPU_OPS):.2f} ms")

# %% [markdown]
# **Try it**: remove `SOFTMAX` from the model's end (use logits): how many handovers are left?
