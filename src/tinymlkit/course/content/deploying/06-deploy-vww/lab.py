# %% [markdown]
# # Lab: from camera frame to int8 input, and a keyword that wakes the camera
#
# Person detection as the board runs it: you turn the camera's 176 x 144 frame into the model's 96 x 96 int8
# input exactly as the sketch does, put a person detector and the yes/no keyword model into one shared arena
# with `tm.deploy_multi`, and write the schedule of the cascade in which a spoken "yes" wakes one detection.
#
# Cells marked **Exercise** are graded: `tinyml course check c3-vww`.

# %%
# Everything from TinyML Kit this lab uses, in one place.
import os
import tempfile
from pathlib import Path

import numpy as np

import tinymlkit as tm
from tinymlkit.apps.person.camera import camera_crop
from tinymlkit.apps.person.recipe import INPUT_RANGE, INPUT_SHAPE
from tinymlkit.apps.person.synth import render_scene
from tinymlkit.course.pretrained import KEYWORD_MODEL
from tinymlkit.models import build_model

FAST = os.environ.get("TINYML_COURSE_FAST") == "1"

# %% [markdown]
# ## Camera frames
# The toolkit draws camera scenes (a room, objects, sometimes a person in the central square) as the OV7675
# camera of the kit would deliver them: 176 x 144 grayscale.

# %%
scenes = [render_scene([7, i], person=bool(i % 2)) for i in range(4)]
for s in scenes:
    print(f"frame {s.frame.shape} {s.frame.dtype}, person: {s.person}, mean brightness {s.frame.mean():.0f}")

# %% [markdown]
# ## Exercise `crop`
# Write `frame_to_input(frame)`: keep the central 144 x 144 square of the (144, 176) frame, shrink it to
# 96 x 96 by area averaging (each 3 x 3 block becomes 2 x 2: output pixel (2i + a, 2j + b) is
# `(sum of block[r, c] * W[a][r] * W[b][c] + 4) // 9` with `W = [[2, 1, 0], [0, 1, 2]]`), and return the int8
# input `pixel - 128`.

# %% exercise="crop"
def frame_to_input(frame):
    raise NotImplementedError  # your code here


# %%
for s in scenes:
    mine = frame_to_input(s.frame)
    board = camera_crop(s.frame).astype(np.int16) - 128
    print(f"input {mine.shape} {mine.dtype} from {mine.min()} to {mine.max()}; equal to the board's: "
          f"{np.array_equal(mine, board)}")

# %% [markdown]
# ## Two models in one arena
# The person detector is MobileNet v1 at width 0.25, the architecture of the original course (`tinyml person
# train` trains it; its memory depends only on its shapes, so untrained weights do here). Next to it, the
# yes/no keyword model. `tm.deploy_multi` measures each model's arena in TFLM, sizes one shared arena and
# writes one sketch with one op resolver.

# %%
rng = np.random.default_rng(0)
detector = build_model("mobilenet_v1", INPUT_SHAPE, 2, 0.25)
detector.set_weights([w if w.ndim > 1 else w + rng.normal(0, 0.05, w.shape).astype(w.dtype)
                      for w in detector.get_weights()])  # non-zero biases: all-zero ones trip the host interpreter
person = tm.to_int8(detector, rng.uniform(0, 1, (8, *INPUT_SHAPE)).astype(np.float32), input_range=INPUT_RANGE)
folder = Path(tempfile.mkdtemp()) / "cascade"
pair = tm.deploy_multi([KEYWORD_MODEL.read_bytes(), person], folder, names=["kws", "person"])
print(f"flash: person {len(person):,} bytes, keywords {len(KEYWORD_MODEL.read_bytes()):,} bytes")
print(f"arena: shared {pair.shared_arena_bytes:,} bytes instead of {pair.separate_arena_bytes:,} "
      f"(saving {pair.saving_bytes:,}); on the 32-bit board about {pair.shared_arena_32bit:,}")
print("one op resolver for both:", pair.ops)

# %% [markdown]
# ## Exercise `tenancy`
# Frame i arrives at `i * frame_ms`. Each "yes" asks for one person detection on the first frame arriving at
# or after it; the detection holds the arena for `busy_ms` from its frame's arrival, and a "yes" arriving
# before it ends is ignored. Write `person_runs(yes_times, frame_ms, busy_ms)`: the frame indices on which the
# person model runs.

# %% exercise="tenancy"
def person_runs(yes_times, frame_ms, busy_ms):
    raise NotImplementedError  # your code here


# %% [markdown]
# How long does one detection hold the arena? `tm.check_model` estimates the latency on the Nano 33 BLE Sense
# from the model's operations.

# %%
gates = tm.check_model(person, "nano33ble", max_latency_ms=1e6).gates
latency = next(g.measured for g in gates if "latency" in g.name)
busy_ms = int(np.ceil(latency))
print(f"person detection on the board: about {latency:.0f} ms")
yes_times = [300, 900, 2500, 2600, 6000, 6100, 6200]
runs = person_runs(yes_times, frame_ms=200, busy_ms=busy_ms)
print(f"'yes' at {yes_times} ms -> detections on frames {runs} (at {[r * 200 for r in runs]} ms); "
      f"{len(yes_times) - len(runs)} requests ignored while the detector held the arena")

# %% [markdown]
# **Try it**: halve the detector's width (0.125) and compare the shared arena and the number of ignored requests.
