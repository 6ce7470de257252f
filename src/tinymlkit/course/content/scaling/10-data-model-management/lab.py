# %% [markdown]
# # Lab: a data folder's fingerprint and a model registry
#
# You fingerprint a small folder of recordings, see which changes alter the fingerprint, and record two
# models in a registry: each entry ties the model's hash to the data's, its figures and its parent.
#
# Cells marked **Exercise** are graded: `tinyml course check c4-versions`.

# %%
# Everything from TinyML Kit this lab uses, in one place.
import hashlib
import json
import os
import shutil
import tempfile
from pathlib import Path

import keras
import numpy as np

import tinymlkit as tm

FAST = os.environ.get("TINYML_COURSE_FAST") == "1"
keras.utils.set_random_seed(0)

# %% [markdown]
# ## A data folder
# Twelve short synthetic clips in two label folders, saved as `.npy` files.

# %%
data = Path(tempfile.mkdtemp()) / "clips"
rng = np.random.default_rng(0)
for label in ("yes", "no"):
    (data / label).mkdir(parents=True)
    for i in range(6):
        np.save(data / label / f"clip{i:02d}.npy", rng.normal(0, 0.1, 1600).astype(np.float32))
print(sorted(p.relative_to(data).as_posix() for p in data.rglob("*") if p.is_file()))

# %% [markdown]
# ## Exercise `folder-hash`
# Write `folder_hash(root)`: SHA-256 of the `sha256sum`-style listing of every file, sorted by relative path.

# %% exercise="folder-hash"
def folder_hash(root):
    raise NotImplementedError  # your code here


# %%
version = folder_hash(data)
print(f"data version: {version[:16]}...")
shutil.move(data / "yes" / "clip00.npy", data / "no" / "clip99.npy")  # a clip relabelled
moved = folder_hash(data)
shutil.move(data / "no" / "clip99.npy", data / "yes" / "clip00.npy")  # and back
print(f"after moving one clip to no/: {moved[:16]}...; moved back: {folder_hash(data) == version}")

# %% [markdown]
# ## Exercise `registry-entry`
# Write `registry_entry(model_bytes, data_hash, metrics, parent=None)`.

# %% exercise="registry-entry"
def registry_entry(model_bytes, data_hash, metrics, parent=None):
    raise NotImplementedError  # your code here


# %% [markdown]
# ## Two models in a registry
# A first model, then a wider one derived from it. Their figures come from `tm.profile`.

# %%
def keyword_model(width):
    inputs = keras.Input((49, 40, 1))
    x = keras.layers.Conv2D(width, (10, 4), strides=2, padding="same", activation="relu")(inputs)
    x = keras.layers.GlobalAveragePooling2D()(x)
    return keras.Model(inputs, keras.layers.Dense(2, activation="softmax")(x))


registry = []
calibration = np.random.default_rng(0).uniform(0, 26, (8, 49, 40, 1)).astype(np.float32)
for width in (4, 8) if FAST else (4, 8, 16):
    tflite = tm.to_int8(keyword_model(width), calibration)
    p = tm.profile(tflite, board="nano33ble")
    figures = {"flash_bytes": len(tflite), "macs": p.macs, "latency_ms": round(p.latency_ms, 2)}
    registry.append(registry_entry(tflite, version, figures, registry[-1] if registry else None))
print(json.dumps(registry, indent=1)[:1200])

# %% [markdown]
# ## Lineage
# Follow the parent links from the newest model back to the first.

# %%
by_hash = {entry["model_sha256"]: entry for entry in registry}
entry, chain = registry[-1], []
while entry is not None:
    chain.append(entry["model_sha256"][:12])
    entry = by_hash.get(entry["parent"])
print(" <- ".join(chain))
print(f"hash of the newest model file: {hashlib.sha256(tflite).hexdigest()[:12]}")

# %% [markdown]
# **Try it**: add a file to the data folder and register a retrained model: which fields tell you why it
# differs from its parent?
