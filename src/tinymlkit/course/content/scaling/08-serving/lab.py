# %% [markdown]
# # Lab: latency and energy of three ways to serve a prediction
#
# A keyword device can run its model itself, send features to a phone over Bluetooth Low Energy, or send raw
# audio to a cloud service over Wi-Fi. You compute each option's latency and energy per prediction from the
# profiler's estimate and assumed radio figures, and choose.
#
# Cells marked **Exercise** are graded: `tinyml course check c4-serving`.

# %%
# Everything from TinyML Kit this lab uses, in one place.
import os

import keras
import numpy as np

import tinymlkit as tm

FAST = os.environ.get("TINYML_COURSE_FAST") == "1"
keras.utils.set_random_seed(0)

# %% [markdown]
# ## On the device: the profiler's figures
# A small keyword model for 49 x 40 features, int8, profiled on the Nano 33 BLE. The board is assumed to draw
# 20 mW while it infers (measure your own).

# %%
inputs = keras.Input((49, 40, 1))
x = keras.layers.Conv2D(8, (10, 4), strides=2, padding="same", activation="relu")(inputs)
x = keras.layers.DepthwiseConv2D(3, padding="same", activation="relu")(x)
x = keras.layers.Conv2D(8, 1, activation="relu")(x)
x = keras.layers.GlobalAveragePooling2D()(x)
model = keras.Model(inputs, keras.layers.Dense(4, activation="softmax")(x))
tflite = tm.to_int8(model, np.random.default_rng(0).uniform(0, 26, (16, 49, 40, 1)).astype(np.float32))
profile = tm.profile(tflite, board="nano33ble")
ACTIVE_MW = 20.0
print(f"on the device: {profile.latency_ms:.1f} ms, {ACTIVE_MW * profile.latency_ms / 1000:.3f} mJ per inference")

# %% [markdown]
# ## The options
# Assumed figures, of the right order for each radio once protocol overhead and start-up are counted (yours
# will differ): the phone's and the server's compute time is what the device waits for; the device pays no
# energy for it.

# %%
OPTIONS = {
    "device": {"compute_ms": profile.latency_ms, "compute_mj": ACTIVE_MW * profile.latency_ms / 1000,
               "bytes": 1, "uj_per_byte": 0.5, "kbps": 1000.0, "network_ms": 8.0},  # one result byte over BLE
    "phone over BLE": {"compute_ms": 3.0, "compute_mj": 0.0, "bytes": 49 * 40 + 1, "uj_per_byte": 0.5,
                       "kbps": 1000.0, "network_ms": 8.0},  # int8 features up, the result back
    "cloud over Wi-Fi": {"compute_ms": 1.0, "compute_mj": 0.0, "bytes": 32_000 + 200, "uj_per_byte": 0.1,
                         "kbps": 20_000.0, "network_ms": 60.0},  # one second of 16-bit audio, a JSON reply
}

# %% [markdown]
# ## Exercise `budget`
# Write `serving_budget(option)`: `(latency_ms, energy_mj)` end to end.

# %% exercise="budget"
def serving_budget(option):
    raise NotImplementedError  # your code here


# %%
for name, option in OPTIONS.items():
    latency, energy = serving_budget(option)
    print(f"{name:<17} {latency:8.1f} ms {energy:8.3f} mJ")

# %% [markdown]
# ## Exercise `choose`
# Write `cheapest_option(options, max_latency_ms)`.

# %% exercise="choose"
def cheapest_option(options, max_latency_ms):
    raise NotImplementedError  # your code here


# %%
for bound in (20.0, 30.0, 100.0):
    print(f"bound {bound:6.0f} ms: {cheapest_option(OPTIONS, bound)}")

# %% [markdown]
# ## A larger model
# A model with eight times the work no longer answers quickly on the device. Which option wins now?

# %%
for factor in (1, 8) if FAST else (1, 2, 4, 8, 16):
    bigger = dict(OPTIONS["device"], compute_ms=profile.latency_ms * factor,
                  compute_mj=ACTIVE_MW * profile.latency_ms * factor / 1000)
    print(f"{factor:>2}x the work: device {serving_budget(bigger)[0]:7.1f} ms; cheapest within 100 ms: "
          f"{cheapest_option(dict(OPTIONS, device=bigger), 100.0)}")

# %% [markdown]
# **Try it**: at what radio energy per byte would the phone option cost less energy than the device?
