# %% [markdown]
# # Lab: a competition entry that keeps the contract
#
# The course project ends with an entry in one of the toolkit's competitions. Before the scorer runs a model in
# TFLM, it checks the entry's label order and the challenge's input contract. You will write both checks, run
# them on real int8 models for the `magic-wand` challenge and compare them with the scorer's own
# (`tinymlkit.compete`), which rejects a broken entry with one line naming the fix.
#
# Cells marked **Exercise** are graded: `tinyml course check c3-project`.

# %%
# Everything from TinyML Kit this lab uses, in one place.
import math
import os

import keras
import numpy as np

import tinymlkit as tm
from tinymlkit.compete.challenge import load_challenges
from tinymlkit.compete.score import check_upload
from tinymlkit.runtime.model_file import read_model

FAST = os.environ.get("TINYML_COURSE_FAST") == "1"

# %% [markdown]
# ## The challenges
# `tinyml compete list` shows the same table.

# %%
challenges = load_challenges()
for c in challenges.values():
    shapes = " or ".join(str(list(s)) for s in c.input.shapes)
    print(f"{c.name:17} board {c.board:10} input {shapes:38} labels {', '.join(c.labels)}")
wand = challenges["magic-wand"]

# %% [markdown]
# ## Exercise `labels`
# A model trained with its classes in another order (sorted as strings, say) gives its scores in that order.
# Write `label_mapping(model_labels, challenge_labels)`: for each of your model's outputs, the index of its
# label among the challenge's labels; `ValueError` unless your labels are the challenge's, each exactly once.

# %% exercise="labels"
def label_mapping(model_labels, challenge_labels):
    raise NotImplementedError  # your code here


# %%
mine = sorted(wand.labels, key=lambda label: -int(label))  # a model whose outputs run from "9" down to "0"
mapping = label_mapping(mine, wand.labels)
print("model outputs:", mine)
print("challenge index of each output:", mapping)
scores = np.random.default_rng(0).normal(size=(5, len(mine)))  # five predictions of that model
print("predicted labels:", [wand.labels[mapping[i]] for i in scores.argmax(axis=1)],
      "=", [mine[i] for i in scores.argmax(axis=1)])
for wrong in (mine[:-1], [*mine[:-1], mine[0]]):
    try:
        label_mapping(wrong, wand.labels)
        print("accepted (it should not be):", wrong)
    except ValueError as exc:
        print("rejected:", exc)

# %% [markdown]
# ## Exercise `contract`
# Write `contract_problems(input_shape, input_dtype, output_shape, output_dtype, challenge)`: the list of
# problems, in the order "input dtype", "output dtype", "input shape", "output shape"; empty when the model
# keeps the contract. The input shape must be one of `challenge.input.shapes` (batch dimension included); the
# output must be batch 1 with one score per label.

# %% exercise="contract"
def contract_problems(input_shape, input_dtype, output_shape, output_dtype, challenge):
    raise NotImplementedError  # your code here


# %% [markdown]
# ## Two real entries
# A small stroke classifier built for the contract, and one built for 28 x 28 strokes by mistake. Both are
# converted to int8; their weights are untrained, since the contract is about shapes and types.

# %%
keras.utils.set_random_seed(0)
rng = np.random.default_rng(0)


def stroke_model(side, classes):
    inputs = keras.Input((side, side, 3))
    x = keras.layers.Conv2D(8, 3, strides=2, activation="relu")(inputs)
    x = keras.layers.GlobalAveragePooling2D()(x)
    model = keras.Model(inputs, keras.layers.Dense(classes, activation="softmax")(x))
    return tm.to_int8(model, rng.uniform(0, 1, (8, side, side, 3)).astype(np.float32))


entries = {"built for the contract": stroke_model(32, 10), "built for 28 x 28 strokes": stroke_model(28, 10)}
for name, model in entries.items():
    info = read_model(model)
    x, y = info.input_tensors[0], info.output_tensors[0]
    problems = contract_problems(tuple(x.shape), x.dtype, tuple(y.shape), y.dtype, wand)
    try:
        check_upload(model, wand, labels=mine)
        verdict = "accepted"
    except tm.TinyMLError as exc:
        verdict = f"rejected: {exc}"
    print(f"{name}: {len(model):,} bytes, input {tuple(x.shape)} {x.dtype}, output {tuple(y.shape)} {y.dtype}")
    print(f"  your problems: {problems or 'none'}; the scorer: {verdict}")

# %% [markdown]
# ## Enter the competition
# Save the entry and score it on the public part of the hidden set, as the platform does:
#
#     tinyml compete submit magic-wand entry.tflite --labels 9,8,7,6,5,4,3,2,1,0
#
# The scorer makes the hidden strokes with the toolkit's synthesizer (the first time takes a while), runs the
# model in TFLM, and prints its accuracy, flash, arena, latency on the Nano 33 BLE Sense and its fit. This
# untrained entry scores near chance (10 %): train it on `tinyml wand` data first.
#
# **Try it**: train a stroke model with `tinyml wand`, convert it, check its contract here, then submit it.
