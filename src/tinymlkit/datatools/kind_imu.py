"""Gesture IMU recordings (the wand's CSV layout, :mod:`tinymlkit.apps.wand.data`) as a data-tools kind."""

from pathlib import Path

import numpy as np

from tinymlkit.apps.wand.data import read_recording, write_recording
from tinymlkit.datatools.augment import IMU_OPS
from tinymlkit.datatools.kinds import Clip, DataKind

STILL_DPS = 20.0  # the gyroscope never exceeds this: the wand did not move
GYRO_FULL_SCALE = 2000.0  # degrees/second, the Nano 33 BLE Sense's default range
ACCEL_FULL_SCALE = 4.0  # g
SATURATED_SAMPLES = 3
TRACE_POINTS = 24


def duration(path: Path) -> tuple[float, float]:
    """(seconds, samples per second) of one recording."""
    rec = read_recording(path)
    seconds = (rec[-1, 0] - rec[0, 0]) / 1000.0
    return seconds, (len(rec) - 1) / seconds if seconds > 0 else 0.0


def _traces(rec: np.ndarray, points: int = TRACE_POINTS) -> np.ndarray:
    """The six sensor channels resampled to ``points`` instants over the recording: (points, 6)."""
    t = np.linspace(rec[0, 0], rec[-1, 0], points)
    return np.stack([np.interp(t, rec[:, 0], rec[:, c]) for c in range(1, 7)], axis=1)


def inspect(path: Path) -> Clip:
    """Read one recording and judge it: no motion, saturated sensor."""
    rec = read_recording(path)
    seconds = (rec[-1, 0] - rec[0, 0]) / 1000.0
    accel, gyro = rec[:, 1:4], rec[:, 4:7]
    traces = _traces(rec)
    features = np.concatenate([rec[:, 1:].mean(axis=0), rec[:, 1:].std(axis=0), traces[:, 3:].ravel() / 100.0])
    v = traces[:, 3:].ravel() - traces[:, 3:].mean()
    norm = np.linalg.norm(v)
    problems = []
    top = float(np.max(np.abs(gyro)))
    if top < STILL_DPS:
        problems.append(("silent", f"no motion (gyroscope peak {top:.1f} deg/s)", "re-record the gesture"))
    saturated = int(np.sum(np.abs(gyro) >= 0.999 * GYRO_FULL_SCALE) + np.sum(np.abs(accel) >= 0.999 * ACCEL_FULL_SCALE))
    if saturated >= SATURATED_SAMPLES:
        problems.append(
            (
                "clipped",
                f"{saturated} samples at the sensor's full scale (+-{GYRO_FULL_SCALE:g} deg/s, "
                f"+-{ACCEL_FULL_SCALE:g} g)",
                "re-record the gesture more slowly",
            )
        )
    return Clip(
        seconds, (len(rec) - 1) / seconds if seconds > 0 else 0.0, features, v / norm if norm > 0 else v, problems
    )


def draw(ax, path: Path) -> None:
    """A recording's gyroscope traces (x, y, z) over time."""
    rec = read_recording(path)
    for c, name in zip(range(4, 7), ("gx", "gy", "gz"), strict=True):
        ax.plot(rec[:, 0] / 1000.0, rec[:, c], linewidth=0.8, label=name)


IMU = DataKind(
    name="imu",
    suffixes=(".csv",),
    group_word="subject",
    inspect=inspect,
    duration=duration,
    expected_duration_s=None,
    draw=draw,
    read=read_recording,
    write=write_recording,
    augmenters=IMU_OPS,
)
