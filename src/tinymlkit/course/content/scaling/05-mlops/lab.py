# %% [markdown]
# # Lab: data validation, CI gates and a model per device
#
# Three steps of a TinyML pipeline: validate recordings before they reach training, decide a model's CI gates
# from measured figures (and compare with the toolkit's `tm.check_model`), and choose for every board the
# largest model of a family that fits it.
#
# Cells marked **Exercise** are graded: `tinyml course check c4-mlops`.

# %%
# Everything from TinyML Kit this lab uses, in one place.
import os

import keras
import numpy as np

import tinymlkit as tm
from tinymlkit.course.datasets import spoken_words
from tinymlkit.profile import load_boards

FAST = os.environ.get("TINYML_COURSE_FAST") == "1"
keras.utils.set_random_seed(0)

# %% [markdown]
# ## Exercise `validate`
# A batch of uploaded recordings: most are fine, some are broken the way field data break. Write
# `bad_clips(clips, length=16000)`: the indices of the clips to reject.

# %% exercise="validate"
def bad_clips(clips, length=16000):
    raise NotImplementedError  # your code here


# %%
clips = list(spoken_words(["yes", "no"], 4, seed=3)[0])
clips[1] = clips[1][:12000]  # cut short by the upload
clips[3] = np.zeros(16000, np.float32) + np.random.default_rng(0).normal(0, 1e-4, 16000)  # muted microphone
clips[5] = np.clip(clips[5] * 40, -1, 1)  # gain far too high
clips[6] = clips[6].copy()
clips[6][100] = np.nan  # a broken converter
rejected = bad_clips(clips)
print(f"rejected {rejected} of {len(clips)} clips; {len(clips) - len(rejected)} go on to training")

# %% [markdown]
# ## Exercise `gates`
# `tm.check_model` measures a model and compares each figure with its limit. Write `gate_results(measured,
# limits)` that decides the gates from the figures alone, then compare with the toolkit's decisions.

# %% exercise="gates"
def gate_results(measured, limits):
    raise NotImplementedError  # your code here


# %%
def keyword_model(width):
    inputs = keras.Input((49, 40, 1))
    x = keras.layers.Conv2D(width, (10, 4), strides=2, padding="same", activation="relu")(inputs)
    x = keras.layers.DepthwiseConv2D(3, padding="same", activation="relu")(x)
    x = keras.layers.Conv2D(width, 1, activation="relu")(x)
    x = keras.layers.GlobalAveragePooling2D()(x)
    model = keras.Model(inputs, keras.layers.Dense(4, activation="softmax")(x))
    return tm.to_int8(model, np.random.default_rng(0).uniform(0, 26, (16, 49, 40, 1)).astype(np.float32))


candidate = keyword_model(48)
result = tm.check_model(candidate, "nano33ble", max_flash=20_000, max_arena=40_000, max_latency_ms=150)
for gate in result.gates:
    print(gate.line())
numbered = [g for g in result.gates if g.limit is not None]
mine = gate_results({g.name: g.measured for g in numbered}, {g.name: (g.comparison, g.limit) for g in numbered})
print("your decisions:", mine)
print("the same as tinyml check:", all(mine[g.name] == g.passed for g in numbered))

# %% [markdown]
# ## Exercise `per-device`
# A family of the same keyword model at several widths. For each board of the catalogue, choose the largest
# width that fits what the board leaves for the model: `board.model_flash_budget` bytes of flash and
# `board.arena_budget` bytes of RAM for the arena (the arena as the board's 32-bit build needs it).

# %% exercise="per-device"
def largest_fitting(candidates, board):
    raise NotImplementedError  # your code here


# %%
widths = (16, 64, 256) if FAST else (16, 32, 64, 128, 256, 384)
family = []
for width in widths:
    model = keyword_model(width)
    profile = tm.profile(model)
    family.append((width, len(model), profile.arena_bytes_32bit))
    print(f"width {width:>3}: {len(model):>8,} B flash, {profile.arena_bytes_32bit:>8,} B arena, "
          f"{profile.macs:>12,} MACs")
for board in load_boards().values():
    width = largest_fitting(family, board)
    latency = f"{tm.profile(keyword_model(width), board=board.id).latency_ms:.0f} ms" if width else "-"
    print(f"{board.id:<15} arena budget {board.arena_budget:>9,} B -> width {width} ({latency})")

# %% [markdown]
# **Try it**: add an accuracy column (train each width on `spoken_words` for a few epochs) and choose the
# most accurate model that fits instead of the widest: is it the same choice?
