"""Magic-wand strokes from IMU samples, computed exactly as the generated sketch computes them on the board.

The course's magic wand turns the gyroscope into a drawing: while the wand moves, its angular velocity (drift
removed) is integrated into an orientation, which is projected onto the plane facing the user, giving a 2-D
stroke. Here, per sample (``rate_hz``, the board's IMU rate; recordings at other rates are resampled first):

1. ``w = gyro - drift``; the motion energy is a moving average of ``|w|`` (degrees per second).
2. Waiting: while the energy is below ``rest_dps`` the wand is at rest, and the gyroscope drift and the
   gravity direction (from the accelerometer) are updated as moving averages. The last ``preroll_samples``
   values of ``w`` are kept. When the energy rises above ``start_dps`` a stroke starts with those samples.
3. Drawing: the orientation integrates ``w / rate_hz`` (degrees). It is projected using the gravity direction
   at the start (the board's roll about its long x axis, the wand axis): X is the turn about the vertical
   (right positive), Y the turn about the horizontal (up positive). The stroke ends after ``stop_samples``
   samples with energy below ``stop_dps`` (those are dropped) or at ``max_samples``; strokes shorter than
   ``min_samples`` are ignored.
4. :func:`stroke_points` keeps at most ``max_points`` points (every k-th), centres them on their bounding box,
   scales the larger side (at least ``min_extent_deg``) to [-127, 127] and rounds them to int8.

All arithmetic is IEEE double precision in the same order as the C++ in the sketch, and rounding is
``floor(v + 0.5)`` on both sides, so the board and training get the same stroke points. The constants of
:class:`StrokeConfig` are written into the sketch's ``model_settings.h``.
"""

import math
from dataclasses import dataclass

import numpy as np

WAITING, DRAWING = 0, 1


@dataclass(frozen=True)
class StrokeConfig:
    """Every constant of the stroke pipeline, shared by training and the sketch."""

    rate_hz: float = 100.0  # tracker sample rate: the BMI270 of the Nano 33 BLE Sense Rev2 runs at ~100 Hz
    energy_alpha: float = 0.25  # weight of each new |w| in the motion-energy moving average
    start_dps: float = 25.0  # energy (degrees/s) that starts a stroke
    stop_dps: float = 12.0  # energy below which the wand counts as still during a stroke
    rest_dps: float = 8.0  # energy below which drift and gravity are updated
    drift_alpha: float = 0.05  # weight of each new gyroscope sample in the drift estimate (at rest)
    gravity_alpha: float = 0.05  # weight of each new accelerometer sample in the gravity estimate (at rest)
    preroll_samples: int = 16  # samples before the start that belong to the stroke
    stop_samples: int = 15  # still samples that end a stroke (0.15 s)
    min_samples: int = 25  # shorter strokes are ignored
    max_samples: int = 320  # a stroke is ended after this many samples (3.2 s)
    max_points: int = 160  # stroke points kept for the image
    min_extent_deg: float = 15.0  # smaller strokes are not magnified beyond this size
    raster_size: int = 32  # the image is raster_size x raster_size x 3
    raster_margin: int = 2  # empty pixels around the stroke

    @property
    def shape(self) -> tuple[int, int, int]:
        return (self.raster_size, self.raster_size, 3)


WAND = StrokeConfig()


def resample(recording: np.ndarray, rate_hz: float) -> np.ndarray:
    """IMU samples (n, 6) at ``rate_hz`` from a recording (t_ms, ax, ay, az, gx, gy, gz), by linear interpolation.

    Output k is at ``t0 + k * (1000 / rate_hz)`` ms; it lies between input samples j-1 and j (``t[j-1] < tk <=
    t[j]``) and is ``v[j-1] + (v[j] - v[j-1]) * (tk - t[j-1]) / (t[j] - t[j-1])``, as the sketch's resampler.
    """
    rec = np.asarray(recording, dtype=np.float64)
    t, v = rec[:, 0], rec[:, 1:7]
    step = 1000.0 / rate_hz
    count = int(math.floor((t[-1] - t[0]) / step)) + 1
    tk = t[0] + np.arange(count, dtype=np.float64) * step
    while count > 1 and tk[-1] > t[-1]:  # guard against rounding in the count
        count -= 1
        tk = tk[:count]
    out = np.empty((count, 6), dtype=np.float64)
    out[0] = v[0]
    if count > 1:
        j = np.searchsorted(t, tk[1:], side="left")
        frac = (tk[1:] - t[j - 1]) / (t[j] - t[j - 1])
        out[1:] = v[j - 1] + (v[j] - v[j - 1]) * frac[:, None]
    return out


def track_strokes(samples: np.ndarray, config: StrokeConfig = WAND, finish: bool = True) -> list[np.ndarray]:
    """Run the stroke tracker over IMU samples (n, 6: ax, ay, az in g, gx, gy, gz in degrees/s at ``rate_hz``).

    Returns every completed stroke as an (m, 2) float64 array of projected orientation (degrees). With
    ``finish`` a stroke still being drawn when the samples end is completed too (recordings may stop early).
    """
    c = config
    dt = 1.0 / c.rate_hz
    strokes: list[np.ndarray] = []
    rows = np.asarray(samples, dtype=np.float64).tolist()
    if not rows:
        return strokes
    ax0, ay0, az0, gx0, gy0, gz0 = rows[0]
    drift = [gx0, gy0, gz0]
    gravity = [ax0, ay0, az0]
    energy = 0.0
    state = WAITING
    still = 0
    preroll: list[tuple[float, float, float]] = []
    points: list[tuple[float, float]] = []
    ox = oy = oz = 0.0
    ny = nz = 0.0

    def add_point(wx: float, wy: float, wz: float) -> None:
        nonlocal ox, oy, oz
        ox = ox + wx * dt
        oy = oy + wy * dt
        oz = oz + wz * dt
        points.append((-(oy * ny + oz * nz), oz * ny - oy * nz))

    for ax, ay, az, gx, gy, gz in rows:
        wx, wy, wz = gx - drift[0], gy - drift[1], gz - drift[2]
        speed = math.sqrt(wx * wx + wy * wy + wz * wz)
        energy = energy + c.energy_alpha * (speed - energy)
        if state == WAITING:
            if energy < c.rest_dps:
                drift[0] = drift[0] + c.drift_alpha * (gx - drift[0])
                drift[1] = drift[1] + c.drift_alpha * (gy - drift[1])
                drift[2] = drift[2] + c.drift_alpha * (gz - drift[2])
                gravity[0] = gravity[0] + c.gravity_alpha * (ax - gravity[0])
                gravity[1] = gravity[1] + c.gravity_alpha * (ay - gravity[1])
                gravity[2] = gravity[2] + c.gravity_alpha * (az - gravity[2])
            preroll.append((wx, wy, wz))
            if len(preroll) > c.preroll_samples:
                preroll.pop(0)
            if energy > c.start_dps:
                state, still, ox, oy, oz, points = DRAWING, 0, 0.0, 0.0, 0.0, []
                ny, nz = roll_axes(gravity[1], gravity[2])
                for p in preroll:
                    add_point(*p)
                preroll = []
            continue
        add_point(wx, wy, wz)
        still = still + 1 if energy < c.stop_dps else 0
        if still >= c.stop_samples or len(points) >= c.max_samples:
            state = WAITING
            kept = len(points) - still
            if kept >= c.min_samples:
                strokes.append(np.array(points[:kept], dtype=np.float64))
    if finish and state == DRAWING and len(points) - still >= c.min_samples:
        strokes.append(np.array(points[: len(points) - still], dtype=np.float64))
    return strokes


def roll_axes(gy: float, gz: float) -> tuple[float, float]:
    """The gravity direction in the board's y-z plane, normalized (the board's roll about the wand axis)."""
    mag = math.sqrt(gy * gy + gz * gz)
    if mag < 1e-6:  # wand pointing straight up or down: roll unknown, assume the board faces up
        return 0.0, 1.0
    return gy / mag, gz / mag


def longest_stroke(recording: np.ndarray, config: StrokeConfig = WAND) -> np.ndarray | None:
    """The longest stroke the tracker finds in a recording (t_ms + 6 axes), or None if the wand never moved."""
    strokes = track_strokes(resample(recording, config.rate_hz), config)
    return max(strokes, key=len) if strokes else None


def stroke_points(stroke: np.ndarray, config: StrokeConfig = WAND) -> np.ndarray:
    """A float stroke (m, 2) as the int8 points (k, 2) that are rasterized: subsampled, centred, scaled to +-127."""
    xy = np.asarray(stroke, dtype=np.float64)
    n = len(xy)
    stride = (n + config.max_points - 1) // config.max_points
    xy = xy[::stride]
    lo, hi = xy.min(axis=0), xy.max(axis=0)
    centre = (lo + hi) * 0.5
    extent = max(float(hi[0] - lo[0]), float(hi[1] - lo[1]), config.min_extent_deg)
    scale = 254.0 / extent
    q = np.floor((xy - centre) * scale + 0.5)
    return np.clip(q, -127, 127).astype(np.int8)
