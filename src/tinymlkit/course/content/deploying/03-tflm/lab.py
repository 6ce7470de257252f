# %% [markdown]
# # Lab: size the arena, write the op resolver, share one arena
#
# A sketch hands TensorFlow Lite for Microcontrollers (TFLM) one block of RAM, the tensor arena, and a list of
# kernels, the op resolver. You will find a model's arena by asking the real TFLM interpreter, write the op
# resolver's list from the model file, and put two models in one arena, then compare your answers with the
# toolkit's `deploy_multi` and `check_model`.
#
# Cells marked **Exercise** are graded: `tinyml course check c3-arena`.

# %%
# Everything from TinyML Kit this lab uses, in one place.
import os
import tempfile
from pathlib import Path

import keras
import numpy as np

import tinymlkit as tm
from tinymlkit.runtime.model_file import read_model
from tinymlkit.runtime.ops import RESOLVER_METHODS
from tinymlkit.runtime.tflm import check_runs

FAST = os.environ.get("TINYML_COURSE_FAST") == "1"

# %% [markdown]
# ## Two models
# A small always-on "wake" model (40 numbers in, 2 classes out) and a larger image "detector" (32 x 32 grey
# pixels in, 2 classes out), both converted to int8. Their weights are untrained: memory depends on the
# shapes, not on the values.

# %%
keras.utils.set_random_seed(0)
bias = keras.initializers.RandomNormal(stddev=0.1)
rng = np.random.default_rng(0)

inputs = keras.Input((40,))
x = keras.layers.Dense(16, activation="relu", bias_initializer=bias)(inputs)
wake = tm.to_int8(keras.Model(inputs, keras.layers.Dense(2, activation="softmax", bias_initializer=bias)(x)),
                  rng.uniform(-1, 1, (32, 40)).astype(np.float32))

inputs = keras.Input((32, 32, 1))
x = keras.layers.Conv2D(8, 3, strides=2, activation="relu", bias_initializer=bias)(inputs)
x = keras.layers.DepthwiseConv2D(3, activation="relu", bias_initializer=bias)(x)
x = keras.layers.Conv2D(16, 1, activation="relu", bias_initializer=bias)(x)
x = keras.layers.MaxPooling2D(2)(x)
x = keras.layers.Flatten()(x)
detector = tm.to_int8(keras.Model(inputs, keras.layers.Dense(2, activation="softmax", bias_initializer=bias)(x)),
                      rng.uniform(-1, 1, (32, 32, 32, 1)).astype(np.float32))
print(f"wake: {len(wake):,} bytes of flash; detector: {len(detector):,} bytes of flash")

# %% [markdown]
# ## Exercise `arena`
# `check_runs(model, size)` starts the TFLM interpreter in a separate process with an arena of `size` bytes,
# allocates the model and invokes it once; its first result says whether that worked. Write
# `smallest_arena(runs, start=1024)` that returns the smallest size for which `runs(size)` is True. Each call
# costs a fraction of a second, so double the size until it works, then bisect between the last size that
# failed and the first that worked.

# %% exercise="arena"
def smallest_arena(runs, start=1024):
    raise NotImplementedError  # your code here


# %%
tries = []


def detector_runs(size):
    tries.append(size)
    return check_runs(detector, size)[0]


mine = smallest_arena(detector_runs)
print(f"your arena: {mine:,} bytes after {len(tries)} tries; the toolkit's: {tm.measure_arena(detector):,} bytes")
print(f"runs with {mine:,}: {check_runs(detector, mine)[0]}; with {mine - 1:,}: {check_runs(detector, mine - 1)[0]}")

# %% [markdown]
# The figure comes from the 64-bit interpreter on this computer. The board's 32-bit processor stores the
# interpreter's records with 4-byte pointers, so it needs a little less: your figure is safe, not exact.
#
# ## Exercise `resolver`
# `read_model(model).ops` lists the layers of a model in the order they run; each has a `name` such as
# `"CONV_2D"`. `RESOLVER_METHODS` maps every operator TFLM has a kernel for to the resolver method that
# registers it (`"CONV_2D" -> "AddConv2D"`). Write `resolver_calls(layer_ops)`: the methods to call, each
# operator once, in order of first use; `ValueError` for an operator TFLM cannot run.

# %% exercise="resolver"
def resolver_calls(layer_ops):
    raise NotImplementedError  # your code here


# %%
layer_ops = [op.name for op in read_model(detector).ops]
calls = resolver_calls(layer_ops)
print("layers:", layer_ops)
print(f"tflite::MicroMutableOpResolver<{len(calls)}> resolver;")
for method in calls:
    print(f"resolver.{method}();")

# %% [markdown]
# ## Exercise `shared`
# The wake model runs all the time; the detector only when the wake model fires. They never run at the same
# moment, so the sketch can build each one's interpreter in the same arena just before it runs. Write
# `shared_arena(needs)`: from the measured arena of each model, return `(shared, saving)`: the size of the one
# shared arena, and the bytes it saves against one arena per model.

# %% exercise="shared"
def shared_arena(needs):
    raise NotImplementedError  # your code here


# %%
needs = [tm.measure_arena(wake), tm.measure_arena(detector)]
shared, saving = shared_arena(needs)
print(f"arenas measured: {needs}; shared: {shared:,} bytes, saving {saving:,} bytes")

# %% [markdown]
# ## Compare with the toolkit
# `tm.deploy_multi` does all three: it measures each model's arena in TFLM, takes the shared size, checks that
# every model allocates and runs at exactly that size, and writes one Arduino sketch with one arena and one op
# resolver for the union of the operators (`tinyml deploy multi` on the command line).

# %%
folder = Path(tempfile.mkdtemp()) / "pair"
pair = tm.deploy_multi([wake, detector], folder, names=["wake", "detector"])
print(f"deploy_multi: shared {pair.shared_arena_bytes:,} (yours {shared:,}), separate {pair.separate_arena_bytes:,}, "
      f"saving {pair.saving_bytes:,} (yours {saving:,})")
print("op resolver:", pair.ops)
print((folder / "multi_sketch" / "op_resolver.h").read_text())

# %% [markdown]
# ## Budgets as gates
# In a team, a model that grows past the board's budget should fail the build, not the field test.
# `tm.check_model` (`tinyml check` on the command line, exit status 1 when a gate fails) measures the model and
# compares it with each limit.

# %%
result = tm.check_model(detector, "nano33ble", max_flash=len(detector), max_arena=shared, max_latency_ms=0.05)
for gate in result.gates:
    print(gate)
print("all gates pass" if result.passed else f"failed: {[g.name for g in result.failed]}")

# %% [markdown]
# **Try it**: make the detector's first convolution wider (32 filters). Which gates fail, and how does the
# saving of the shared arena change?
