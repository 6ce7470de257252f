# %% [markdown]
# # Lab: will it fit? Counting parameters, operations and memory
#
# Before training anything, a TinyML engineer checks that a model can fit on the board. You will count a
# network's parameters and operations by hand, then compare your numbers with the toolkit's profiler, which
# measures the real model in TensorFlow Lite for Microcontrollers (TFLM).
#
# Cells marked **Exercise** are graded: `tinyml course check c1-will-it-fit`.

# %%
# Everything from TinyML Kit this lab uses, in one place.
import os

import numpy as np

from tinymlkit.models.sine_mlp import build as build_sine_model
from tinymlkit.convert.quantize import to_int8
from tinymlkit.profile.boards import get_board
from tinymlkit.profile.profiler import profile_model

FAST = os.environ.get("TINYML_COURSE_FAST") == "1"

# %% [markdown]
# ## Exercise `parameters`
# A dense layer from `n_in` inputs to `n_out` units has `n_in * n_out` weights and `n_out` biases.
# `layer_sizes = [1, 16, 16, 1]` describes the hello-world network: 1 input, two hidden layers of 16, 1 output.

# %% exercise="parameters"
def dense_parameters(layer_sizes):
    raise NotImplementedError  # your code here


# %%
print("hello world network:", dense_parameters([1, 16, 16, 1]), "parameters (the course's figure: 321)")

# %% [markdown]
# ## Exercise `macs`
# One prediction multiplies each input by each weight once and adds it up: one multiply-accumulate per weight
# (the biases are added without a multiplication).

# %% exercise="macs"
def dense_macs(layer_sizes):
    raise NotImplementedError  # your code here


# %%
for sizes in ([1, 16, 16, 1], [49 * 40, 64, 4], [96 * 96, 128, 2]):
    print(sizes, f"{dense_parameters(sizes):,} parameters, {dense_macs(sizes):,} MACs")

# %% [markdown]
# ## Exercise `fits`
# A model fits when its file fits in the flash left for it **and** its tensor arena fits in the RAM left for it.

# %% exercise="fits"
def fits_on_board(model_bytes, arena_bytes, flash_budget, ram_budget):
    raise NotImplementedError  # your code here


# %% [markdown]
# ## Compare with the profiler
# Build the hello-world network, convert it to int8 and let the profiler measure it in TFLM.

# %%
model = build_sine_model((1,))
int8_model = to_int8(model, np.linspace(0, 2 * np.pi, 100, dtype=np.float32).reshape(-1, 1))
board = get_board("nano33ble")
profile = profile_model(int8_model, "nano33ble")
print(f"parameters {profile.parameters} (yours: {dense_parameters([1, 16, 16, 1])})")
print(f"MACs {profile.macs} (yours: {dense_macs([1, 16, 16, 1])})")
print(f"flash {profile.flash_bytes} bytes, tensor arena {profile.arena_bytes} bytes (host build, 64-bit pointers)")
print("fits on the", board.name, ":", fits_on_board(profile.flash_bytes, profile.arena_bytes,
                                                    board.model_flash_budget, board.arena_budget))

# %% [markdown]
# The file is larger than the parameters alone: it also stores the layers, the quantization scales and
# names. The arena is measured in TFLM on this computer, whose pointers are 64-bit; on the board's 32-bit
# processor it is a little smaller.
#
# **Try it**: how wide can a `[49 * 40, N, 4]` keyword network be before it stops fitting in the Nano's flash?
