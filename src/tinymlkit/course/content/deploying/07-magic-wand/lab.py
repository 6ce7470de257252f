# %% [markdown]
# # Lab: your own gestures, from the IMU to a 32 x 32 x 3 image
#
# You record gestures of your own choosing from simulated boards (each one a different person), find the
# strokes in the IMU recordings, and write the firmware's steps from a stroke to the model's picture:
# centring and scaling, colour by time, rasterization. Each is compared with the toolkit's code, which is the
# same integer arithmetic as the board's C++.
#
# Cells marked **Exercise** are graded: `tinyml course check c3-wand`.

# %%
# Everything from TinyML Kit this lab uses, in one place.
import os
import tempfile
from pathlib import Path

import numpy as np

from tinymlkit.apps.wand.data import load_imu_recordings
from tinymlkit.apps.wand.raster import rasterize
from tinymlkit.apps.wand.recipe import to_strokes
from tinymlkit.apps.wand.stroke import stroke_points
from tinymlkit.capture.board_sim import SimulatedBoard
from tinymlkit.capture.imu import imu_status, record_gestures
from tinymlkit.capture.serial_link import BoardConnection

FAST = os.environ.get("TINYML_COURSE_FAST") == "1"

# %% [markdown]
# ## Record your gestures
# Pick your gestures (letters the synthesizer knows, such as O, W, L, Z, S; another name is drawn as one of
# its gestures). Each simulated board is one person, with their own drawing style and sensor noise; it answers
# exactly like the capture sketch on a real Nano 33 BLE Sense (`tinyml device simulate`, `tinyml record imu`).

# %%
GESTURES = ["O", "W", "L"]
PEOPLE = 3 if FAST else 8
root = Path(tempfile.mkdtemp()) / "my_wand"
for person in range(PEOPLE):
    with SimulatedBoard("imu", speed=float("inf"), seed=person) as board, BoardConnection(board.port) as conn:
        for gesture in GESTURES:
            record_gestures(conn, root, gesture, f"person{person}", count=2, seconds=2.0)
status = imu_status(root)
print(f"recorded {sum(1 for _ in root.glob('*/*.csv'))} gestures of {PEOPLE} people into {root}")
for gesture, splits in status.counts.items():
    print(f"  {gesture}: {splits}")
print("what the recorder advises:", (status.missing + status.advice)[:2])

# %%
data = to_strokes(load_imu_recordings(root))
stroke = data.x[0]
print(f"{len(data.x)} strokes; the first ({data.labels[data.y[0]]}) has {len(stroke)} points, "
      f"spanning {np.ptp(stroke[:, 0]):.0f} x {np.ptp(stroke[:, 1]):.0f} degrees")

# %% [markdown]
# ## Exercise `points`
# Write `stroke_to_points(stroke, max_points=160, min_extent=15.0)`: keep every `stride`-th point with
# `stride = ceil(m / max_points)`, centre on the middle of the kept points' bounding box, scale by
# `254 / extent` (the larger side of the box, at least `min_extent` degrees), round as `floor(v + 0.5)`, clip
# to [-127, 127] and return int8 points (k, 2).

# %% exercise="points"
def stroke_to_points(stroke, max_points=160, min_extent=15.0):
    raise NotImplementedError  # your code here


# %%
same = [np.array_equal(stroke_to_points(s), stroke_points(s)) for s in data.x]
points = stroke_to_points(stroke)
print(f"your points equal the firmware's for {sum(same)} of {len(same)} strokes; the first: {len(points)} points "
      f"from {points.min(axis=0)} to {points.max(axis=0)}")

# %% [markdown]
# ## Exercise `colour`
# Write `segment_colour(k, segments)`: segment `k` of `segments` from red through green to blue, with
# `q = k * 510 // max(1, segments - 1)`: `(255 - q, q, 0)` while `q <= 255`, else `(0, 510 - q, q - 255)`.

# %% exercise="colour"
def segment_colour(k, segments):
    raise NotImplementedError  # your code here


# %%
print("start, middle, end of 100 segments:", segment_colour(0, 100), segment_colour(50, 100), segment_colour(99, 100))

# %% [markdown]
# ## Exercise `raster`
# Write `rasterize_points(points, size=32, margin=2)`: a (size, size, 3) uint8 image, zero background. A
# coordinate v in [-127, 127] lies at `margin + (v + 127) * (size - 1 - 2 * margin) / 254`; x gives the column,
# -y the row (y points up, rows count down). Draw segment k between points k and k + 1 as
# `max(round(|dcol|), round(|drow|)) + 1` evenly spaced pixels (rounded) in `segment_colour(k, len(points) - 1)`;
# later segments paint over earlier ones. The firmware does the same in fixed-point integers, so a pixel here
# and there may differ.

# %% exercise="raster"
def rasterize_points(points, size=32, margin=2):
    raise NotImplementedError  # your code here


# %%
def ascii_image(image):
    """One character per pixel: the strongest colour (r, g, b) of the stroke, '.' for the background."""
    return "\n".join("".join(".rgb"[0 if not px.any() else 1 + int(np.argmax(px))] for px in row) for row in image)


for i in range(len(GESTURES)):
    k = int(np.flatnonzero(data.y == i)[0])
    mine, firmware = rasterize_points(stroke_to_points(data.x[k])), rasterize(stroke_points(data.x[k]))
    lit, want = mine.any(axis=2), firmware.any(axis=2)
    print(f"gesture {data.labels[i]}: {want.sum()} lit pixels, {(lit & want).sum() / (lit | want).sum():.0%} "
          "shared with the firmware's image")
    print(ascii_image(mine))

# %% [markdown]
# ## Train on your recordings
# The folder is exactly what `tinyml wand train --data <folder>` reads (in Python:
# `tm.run(tm.wand, tm.wand.config(data=...))`): it finds the strokes, rasterizes them with the code you just
# matched, trains, converts to int8, checks the model in TFLM and writes the sketch. Record more people first:
# the split is by person, and a model is only as general as the hands it has seen.
#
# **Try it**: add a gesture of your own to `GESTURES` (say "Z") and look at its picture. Which of your
# gestures share the most pixels, and does the colour tell them apart?
