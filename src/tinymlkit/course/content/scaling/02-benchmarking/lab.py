# %% [markdown]
# # Lab: latency, energy and fit, by hand and by the profiler
#
# You rebuild the toolkit's latency estimate for a keyword model layer by layer, read a latency off an
# MLPerf Tiny-style run, turn latency and power into battery life, and decide on which boards the model
# fits, then compare every answer with `tm.profile`.
#
# Cells marked **Exercise** are graded: `tinyml course check c4-benchmark`.

# %%
# Everything from TinyML Kit this lab uses, in one place.
import os

import keras
import numpy as np

import tinymlkit as tm
from tinymlkit.profile import load_boards
from tinymlkit.profile.latency import core_model

FAST = os.environ.get("TINYML_COURSE_FAST") == "1"
keras.utils.set_random_seed(0)

# %% [markdown]
# ## A keyword model to measure
# A depthwise-separable convolutional network for 49 x 40 micro-frontend features, converted to int8.
# Latency and memory depend on the shapes, not on the trained values, so its weights stay untrained.

# %%
def keyword_model(width):
    inputs = keras.Input((49, 40, 1))
    x = keras.layers.Conv2D(width, (10, 4), strides=2, padding="same", activation="relu")(inputs)
    for _ in range(2):
        x = keras.layers.DepthwiseConv2D(3, padding="same", activation="relu")(x)
        x = keras.layers.Conv2D(width, 1, activation="relu")(x)
    x = keras.layers.GlobalAveragePooling2D()(x)
    return keras.Model(inputs, keras.layers.Dense(4, activation="softmax")(x))


tflite = tm.to_int8(keyword_model(32), np.random.default_rng(0).uniform(0, 26, (16, 49, 40, 1)).astype(np.float32))
profile = tm.profile(tflite, board="nano33ble")
print(f"{len(tflite):,} bytes, {profile.macs:,} MACs; on the Nano 33 BLE: {profile.latency_ms:.1f} ms "
      f"({profile.latency_basis})")
for layer in profile.layers:
    print(f"  {layer.op:<20} {layer.kind:<16} {layer.macs:>9,} MACs {layer.latency_ms:7.2f} ms")

# %% [markdown]
# ## Exercise `layer-latency`
# `core_model(core, kernels)` holds the latency model's figures for a core: `.costs` (cycles per MAC or per
# element for each kind of layer, and `op_overhead`, cycles per operator call) and `.scale`, the factor fitted
# to published measurements. Write `layer_latency_ms(kind, work, costs, scale, clock_mhz)`.

# %% exercise="layer-latency"
def layer_latency_ms(kind, work, costs, scale, clock_mhz):
    raise NotImplementedError  # your code here


# %% [markdown]
# Now the whole model, layer by layer. CMSIS-NN has no int8 kernel for some operators: those run TFLM's
# reference kernel (the profile does the same and says so in the layer's notes).

# %%
board = load_boards()["nano33ble"]
optimized, reference = core_model(board.core, "optimized"), core_model(board.core, "reference")
mine = 0.0
for layer in profile.layers:
    model = optimized if layer.kind == "shape" or layer.op in optimized.optimized_ops else reference
    mine += layer_latency_ms(layer.kind, layer.macs, model.costs, model.scale, board.clock_mhz)
print(f"your estimate: {mine:.2f} ms; the profile's: {profile.latency_ms:.2f} ms "
      f"(cycles per conv MAC on the {board.core}: {optimized.scale * optimized.costs['conv']:.1f})")

# %% [markdown]
# ## Exercise `mlperf`
# An MLPerf Tiny performance run: the board runs inferences back to back for at least ten seconds, five
# times. Write `mlperf_latency_ms(run_seconds, inferences)`: median throughput over the runs, as a latency.

# %% exercise="mlperf"
def mlperf_latency_ms(run_seconds, inferences):
    raise NotImplementedError  # your code here


# %%
# Five runs as a board might report them (simulated around the profile's estimate); the fourth was disturbed.
rng = np.random.default_rng(1)
counts = np.full(5, int(np.ceil(10_000 / profile.latency_ms)))
seconds = counts * profile.latency_ms / 1000 * rng.normal(1.0, 0.01, 5)
seconds[3] *= 1.4
print(f"runs: {np.round(seconds, 2).tolist()} s for {counts.tolist()} inferences")
print(f"MLPerf-style latency: {mlperf_latency_ms(seconds, counts):.2f} ms; the mean of the runs would say "
      f"{1000 * np.mean(seconds / counts):.2f} ms")

# %% [markdown]
# ## Exercise `battery`
# The device listens once a second for a keyword (3,600 inferences an hour). Write `battery_days(...)`.

# %% exercise="battery"
def battery_days(capacity_mah, volts, active_mw, sleep_mw, latency_ms, per_hour):
    raise NotImplementedError  # your code here


# %%
ACTIVE_MW, SLEEP_MW = 20.0, 0.5  # assumed figures for an nRF52840 board: measure your own with a power monitor
print(f"energy per inference: {ACTIVE_MW * profile.latency_ms / 1000:.3f} mJ")
for per_hour in (60, 600, 3600):  # at most 3,600,000 ms / latency an hour
    days = battery_days(1000, 3.7, ACTIVE_MW, SLEEP_MW, profile.latency_ms, per_hour)
    print(f"{per_hour:>6} inferences an hour: {days:6.1f} days on a 1,000 mAh, 3.7 V battery")

# %% [markdown]
# ## Exercise `fit`
# `profile.arena_bytes_32bit` is the arena measured in TFLM on this computer, less what the board's 32-bit
# pointers save. Write `fit_verdict(model_bytes, arena_bytes, board)` with the board's reserved figures.

# %% exercise="fit"
def fit_verdict(model_bytes, arena_bytes, board):
    raise NotImplementedError  # your code here


# %%
widths = (32,) if FAST else (32, 128, 256)
for width in widths:
    model = tflite if width == 32 else tm.to_int8(
        keyword_model(width), np.random.default_rng(0).uniform(0, 26, (16, 49, 40, 1)).astype(np.float32))
    for board_id in ("nano33ble", "pico", "esp32s3"):
        p = tm.profile(model, board=board_id)
        verdict = fit_verdict(len(model), p.arena_bytes_32bit, load_boards()[board_id])
        print(f"width {width:>3} on {board_id:<10} {p.latency_ms:8.1f} ms  yours: {verdict:<13} "
              f"profile: {p.fit.verdict}")

# %% [markdown]
# **Try it**: at which width does the keyword model stop fitting the Nano 33 BLE? And how many inferences an
# hour can it run before the battery lasts less than a month?
