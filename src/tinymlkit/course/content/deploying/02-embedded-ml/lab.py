# %% [markdown]
# # Lab: bytes, peak activations and which board a model fits
#
# Before a model goes to a board, two numbers decide whether it can: the flash its file takes and the RAM its
# activations need. You will count a tensor's bytes, a sequential model's peak activation memory and the
# models that fit each board of the toolkit's catalogue, then compare with what TFLM and the profiler measure.
#
# Cells marked **Exercise** are graded: `tinyml course check c3-embedded`.

# %%
# Everything from TinyML Kit this lab uses, in one place.
import math
import os

import keras
import numpy as np

import tinymlkit as tm
from tinymlkit.profile import load_boards, profile_model

FAST = os.environ.get("TINYML_COURSE_FAST") == "1"

# %% [markdown]
# ## Exercise `tensor-bytes`
# Write `tensor_bytes(shape, dtype)`: the number of elements (the product of the dimensions) times the bytes
# of one element: 1 for int8 and uint8, 2 for int16 and float16, 4 for int32 and float32
# (`np.dtype(dtype).itemsize` knows them all).

# %% exercise="tensor-bytes"
def tensor_bytes(shape, dtype):
    raise NotImplementedError  # your code here


# %%
for shape, dtype in [((1, 96, 96, 1), "int8"), ((1, 96, 96, 1), "float32"), ((1, 49, 40, 1), "int16")]:
    print(f"{str(shape):16} {dtype:8} {tensor_bytes(shape, dtype):7,} bytes; NumPy says "
          f"{np.zeros(shape, dtype=dtype).nbytes:7,}")

# %% [markdown]
# ## A small image model
# A person-detector-like model for 48 x 48 grey images, converted to int8. Its weights are untrained: memory
# depends on the shapes only.

# %%
keras.utils.set_random_seed(0)
bias = keras.initializers.RandomNormal(stddev=0.1)
inputs = keras.Input((48, 48, 1))
x = keras.layers.Conv2D(8, 3, strides=2, padding="same", activation="relu", bias_initializer=bias)(inputs)
x = keras.layers.DepthwiseConv2D(3, padding="same", activation="relu", bias_initializer=bias)(x)
x = keras.layers.Conv2D(16, 1, activation="relu", bias_initializer=bias)(x)
x = keras.layers.MaxPooling2D(2)(x)
x = keras.layers.Flatten()(x)
outputs = keras.layers.Dense(2, activation="softmax", bias_initializer=bias)(x)
model = keras.Model(inputs, outputs)
shapes = [(1, *inputs.shape[1:])] + [(1, *layer.output.shape[1:]) for layer in model.layers[1:]]
for layer, shape in zip(model.layers, shapes, strict=True):
    print(f"{layer.name:24} {str(shape):18} {math.prod(shape):6,} values")
model_int8 = tm.to_int8(model, np.random.default_rng(0).uniform(0, 1, (16, 48, 48, 1)).astype(np.float32))

# %% [markdown]
# ## Exercise `peak-activation`
# While a layer runs, its input and its output are in RAM together; earlier tensors can be overwritten. Write
# `peak_activation_bytes(shapes, dtype="int8")`: the largest input + output bytes over the layers (`shapes`
# holds the input, then each layer's output).

# %% exercise="peak-activation"
def peak_activation_bytes(shapes, dtype="int8"):
    raise NotImplementedError  # your code here


# %%
peak = peak_activation_bytes(shapes)
profile = profile_model(model_int8, "nano33ble", measure=True)
print(f"your peak: {peak:,} bytes of int8 activations; as float32: {peak_activation_bytes(shapes, 'float32'):,}")
print(f"profiler's peak of live activations: {profile.peak_activation_bytes:,} bytes "
      f"(layer {profile.peak_layer}); TFLM's measured arena: {profile.arena_bytes:,} bytes")
print(f"the arena adds the interpreter's records and scratch buffers: {profile.arena_bytes - peak:,} bytes here")

# %% [markdown]
# ## Exercise `fits`
# Each board of the catalogue has `model_flash_budget` (flash minus what the sketch's code takes) and
# `arena_budget` (RAM minus the sketch's own memory). Write `models_that_fit(models, board)`: the sorted names
# of the models whose `(flash_bytes, arena_bytes)` fit both budgets.

# %% exercise="fits"
def models_that_fit(models, board):
    raise NotImplementedError  # your code here


# %%
models = {  # this lab's model as measured, and three planned sizes to weigh against the boards
    "this model": (len(model_int8), profile.arena_bytes),
    "plan A: 300 KB file, 100 KB arena": (300_000, 100_000),
    "plan B: 900 KB file, 150 KB arena": (900_000, 150_000),
    "plan C: 1.2 MB file, 400 KB arena (float32)": (1_200_000, 400_000),
}
print("(flash, arena) bytes:", models)
for board in load_boards().values():
    fit = models_that_fit(models, board)
    print(f"{board.name:34} flash {board.model_flash_budget // 1024:5} KB, arena {board.arena_budget // 1024:4} KB: "
          f"{', '.join(fit) or 'none'}")
print("profiler's verdict for this model on the Nano 33 BLE Sense:", profile.fit.verdict)

# %% [markdown]
# **Try it**: give the first convolution 32 filters. Which layer holds the peak now, and on which boards does
# the float32 version of the model still fit?
