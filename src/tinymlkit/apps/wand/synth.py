"""Built-in magic-wand data: IMU recordings of gestures drawn in the air by synthetic users.

Each synthetic user has a style that stays the same over their recordings: drawing speed, size, width,
slant, how the drawing plane is tilted, how they hold the board (roll and pitch of the wand), handedness (which
flips slant and roll habits), arm length, tremor, and the variant they use for some gestures (a zero drawn
clockwise...). Their board has its own IMU: sample rate (119 Hz LSM9DS1 on the Nano 33 BLE Sense, ~100 Hz
BMI270 on the Rev2), gyroscope bias that slowly wanders (drift), noise and scale errors. Each repetition
varies the shape, size and speed a little and starts and ends with the wand at rest.

The physics: the path of the gesture (with a speed profile that slows down in corners and curves, the
"two-thirds power law" of hand movements, smoothed by the arm's dynamics) gives the wand's pointing direction
(yaw, pitch) and roll over time. From that rotation the gyroscope measures the angular velocity in the
board's frame (degrees/s), and the accelerometer measures gravity plus the acceleration of the board at the
end of the arm, in g. Board frame: x along the wand (pointing forward), z out of the board's top face.

    synthesize_wand_dataset(root, gestures=["0", "1", "2"], users=40, repetitions=6)

writes ``<root>/<gesture>/<user>_nohash_<n>.csv`` and ``<root>/metadata.csv`` (see :mod:`tinymlkit.apps.wand.data`).
"""

from dataclasses import dataclass
from pathlib import Path

import numpy as np

from tinymlkit.apps.wand.data import write_recording
from tinymlkit.apps.wand.gestures import GESTURES, check_gestures
from tinymlkit.fileio import building_dir, check_output_dir, write_text
from tinymlkit.progress import ProgressCallback, ProgressEvent, silent
from tinymlkit.validate import SEED_MAX, check_number

SIM_RATE = 1000.0  # Hz, the rate the motion is simulated at before the IMU samples it
GRAVITY = 9.80665
RATES = (100.0, 119.0)  # BMI270 (Rev2) and LSM9DS1 (Rev1) sample rates


@dataclass(frozen=True)
class UserStyle:
    """How one synthetic user draws and which board they hold."""

    name: str
    hand: str
    speed: float  # path units (the gesture box is 2 x 2) per second
    size_deg: float  # half height of the drawing, degrees of wand rotation
    width: float  # width / height ratio factor
    slant: float  # x shear per unit of y
    tilt_deg: float  # rotation of the drawing in its plane
    roll_deg: float  # rotation of the board about the wand axis
    pitch_deg: float  # how far up the wand points
    roll_follow: float  # wrist roll (degrees) per degree of sideways movement
    arm_m: float  # distance from elbow to the board
    tremor_deg: float
    tremor_hz: float
    smooth_s: float  # arm dynamics: how much corners are rounded
    variant_seed: int
    rate_hz: float
    gyro_bias: tuple[float, float, float]  # degrees/s
    gyro_walk: float  # bias random walk, degrees/s per sqrt(s)
    gyro_noise: float  # degrees/s
    gyro_scale: tuple[float, float, float]
    accel_bias: tuple[float, float, float]  # g
    accel_noise: float  # g


def make_user(index: int, rng: np.random.Generator) -> UserStyle:
    """A random but plausible user style and IMU."""
    left = rng.random() < 0.15
    side = -1.0 if left else 1.0
    return UserStyle(
        name=f"user{index:03d}",
        hand="left" if left else "right",
        speed=float(rng.uniform(2.4, 5.0)),
        size_deg=float(rng.uniform(12.0, 30.0)),
        width=float(rng.uniform(0.75, 1.3)),
        slant=float(side * rng.uniform(-0.08, 0.25)),
        tilt_deg=float(rng.uniform(-12, 12)),
        roll_deg=float(side * rng.uniform(-25, 45)),
        pitch_deg=float(rng.uniform(-20, 35)),
        roll_follow=float(side * rng.uniform(0.0, 0.4)),
        arm_m=float(rng.uniform(0.25, 0.6)),
        tremor_deg=float(rng.uniform(0.005, 0.04)),
        tremor_hz=float(rng.uniform(7.0, 12.0)),
        smooth_s=float(rng.uniform(0.025, 0.07)),
        variant_seed=int(rng.integers(1 << 30)),
        rate_hz=float(RATES[int(rng.integers(2))]),
        gyro_bias=tuple(float(b) for b in rng.normal(0.0, 1.5, 3)),
        gyro_walk=float(rng.uniform(0.01, 0.1)),
        gyro_noise=float(rng.uniform(0.05, 0.3)),
        gyro_scale=tuple(float(s) for s in 1.0 + rng.normal(0.0, 0.015, 3)),
        accel_bias=tuple(float(b) for b in rng.normal(0.0, 0.015, 3)),
        accel_noise=float(rng.uniform(0.003, 0.012)),
    )


def user_variant(user: UserStyle, gesture: str) -> int:
    """Which variant of ``gesture`` this user draws (the common one four times out of five)."""
    variants = len(GESTURES[gesture])
    if variants == 1:
        return 0
    r = np.random.default_rng([user.variant_seed, sum(map(ord, gesture))]).random()
    return 0 if r < 0.8 else 1 + int((r - 0.8) / 0.2 * (variants - 1))


def gesture_path(path: np.ndarray, user: UserStyle, rng: np.random.Generator) -> np.ndarray:
    """The user's rendition of a gesture path in degrees (x right, y up): jittered, shaped, scaled."""
    p = np.asarray(path, dtype=np.float64)
    p = p + rng.normal(0.0, 0.04, p.shape) + rng.normal(0.0, 0.03, 2)
    x, y = p[:, 0] * user.width * rng.uniform(0.9, 1.1), p[:, 1]
    x = x + (user.slant + rng.normal(0.0, 0.04)) * y
    a = np.radians(user.tilt_deg + rng.normal(0.0, 4.0))
    x, y = x * np.cos(a) - y * np.sin(a), x * np.sin(a) + y * np.cos(a)
    return np.stack([x, y], axis=1) * user.size_deg * rng.uniform(0.88, 1.12)


def timed_path(points: np.ndarray, speed: float, smooth_s: float) -> np.ndarray:
    """Positions (n, 2) at SIM_RATE for drawing ``points`` (in degrees) at a human speed profile."""
    seg = np.linalg.norm(np.diff(points, axis=0), axis=1)
    keep = np.concatenate([[True], seg > 1e-9])
    points = points[keep]
    s = np.concatenate([[0.0], np.cumsum(np.linalg.norm(np.diff(points, axis=0), axis=1))])
    dense = np.linspace(0.0, s[-1], 400)
    xy = np.stack([np.interp(dense, s, points[:, i]) for i in range(2)], axis=1)
    d = np.diff(xy, axis=0)
    heading = np.unwrap(np.arctan2(d[:, 1], d[:, 0]))
    ds = dense[1] - dense[0]
    curvature = np.abs(np.diff(heading, prepend=heading[0])) / ds
    curvature = np.convolve(curvature, np.ones(9) / 9, mode="same")
    size = max(np.ptp(points[:, 0]), np.ptp(points[:, 1]), 1.0)
    v = (1.0 + curvature * size / 4.0) ** (-1.0 / 3.0)  # slower where the path bends
    t = np.concatenate([[0.0], np.cumsum(ds / v)])[: len(dense)]
    duration = float(np.clip(s[-1] / (speed * size / 2.0), 0.5, 2.8))
    t = t / t[-1] * duration
    ts = np.arange(0.0, duration, 1.0 / SIM_RATE)
    out = np.stack([np.interp(ts, t, xy[:, i]) for i in range(2)], axis=1)
    return _smooth(out, smooth_s * SIM_RATE)


def _smooth(x: np.ndarray, sigma: float) -> np.ndarray:
    from scipy.ndimage import gaussian_filter1d

    return gaussian_filter1d(x, sigma, axis=0, mode="nearest")


def _rotations(yaw: np.ndarray, pitch: np.ndarray, roll: np.ndarray) -> np.ndarray:
    """R = Rz(yaw) Ry(-pitch) Rx(roll) per sample, angles in radians: board frame to world frame."""
    cy, sy, cp, sp, cr, sr = np.cos(yaw), np.sin(yaw), np.cos(pitch), np.sin(pitch), np.cos(roll), np.sin(roll)
    r = np.empty((len(yaw), 3, 3))
    r[:, 0, 0], r[:, 0, 1], r[:, 0, 2] = cy * cp, -sy * cr - cy * sp * sr, sy * sr - cy * sp * cr
    r[:, 1, 0], r[:, 1, 1], r[:, 1, 2] = sy * cp, cy * cr - sy * sp * sr, -cy * sr - sy * sp * cr
    r[:, 2, 0], r[:, 2, 1], r[:, 2, 2] = sp, cp * sr, cp * cr
    return r


def record_gesture(path: np.ndarray, user: UserStyle, rng: np.random.Generator) -> np.ndarray:
    """One IMU recording (n, 7: t_ms, ax, ay, az, gx, gy, gz) of ``user`` drawing ``path`` (unit box)."""
    moving = timed_path(gesture_path(path, user, rng), user.speed * rng.uniform(0.85, 1.15), user.smooth_s)
    before, after = int(rng.uniform(0.5, 1.1) * SIM_RATE), int(rng.uniform(0.35, 0.8) * SIM_RATE)
    xy = np.concatenate([np.repeat(moving[:1], before, 0), moving, np.repeat(moving[-1:], after, 0)])
    n = len(xy)
    t = np.arange(n) / SIM_RATE
    freqs, phases = rng.uniform(0.2, 1.0, (3, 3)), rng.uniform(0, 2 * np.pi, (3, 3))  # slow sway, ~0.1 degree
    sway = 0.06 * np.sin(2 * np.pi * t[:, None, None] * freqs + phases).sum(axis=2)
    phase = rng.uniform(0, 2 * np.pi, 3)
    tremor = user.tremor_deg * np.sin(2 * np.pi * user.tremor_hz * t[:, None] * [1.0, 1.07, 0.93] + phase)
    yaw = -xy[:, 0] + sway[:, 0] + tremor[:, 0]
    pitch = user.pitch_deg + rng.normal(0.0, 4.0) + xy[:, 1] + sway[:, 1] + tremor[:, 1]
    roll = user.roll_deg + rng.normal(0.0, 6.0) + user.roll_follow * xy[:, 0] + sway[:, 2] + tremor[:, 2]
    r = _rotations(*np.radians([yaw, pitch, roll]))

    # Angular velocity in the board frame: the small rotation between consecutive samples, R_k^T R_k+1.
    step = np.einsum("nji,njk->nik", r[:-1], r[1:])
    omega = (
        np.stack([step[:, 2, 1] - step[:, 1, 2], step[:, 0, 2] - step[:, 2, 0], step[:, 1, 0] - step[:, 0, 1]], axis=1)
        * 0.5
        * SIM_RATE
    )
    omega = np.degrees(np.concatenate([omega, omega[-1:]]))
    # Specific force in the board frame: (acceleration - gravity) / g, gravity pointing down.
    position = user.arm_m * r[:, :, 0]
    accel = np.gradient(np.gradient(position, 1.0 / SIM_RATE, axis=0), 1.0 / SIM_RATE, axis=0)
    accel = _smooth(accel, 0.01 * SIM_RATE) / GRAVITY + [0.0, 0.0, 1.0]
    specific = np.einsum("nji,nj->ni", r, accel)

    # The IMU samples the motion at its own rate, with its own errors.
    sample_t = np.arange(0.0, t[-1], 1.0 / user.rate_hz)
    gyro = np.stack([np.interp(sample_t, t, omega[:, i]) for i in range(3)], axis=1)
    acc = np.stack([np.interp(sample_t, t, specific[:, i]) for i in range(3)], axis=1)
    m = len(sample_t)
    walk = np.cumsum(rng.normal(0.0, user.gyro_walk / np.sqrt(user.rate_hz), (m, 3)), axis=0)
    bias = np.array(user.gyro_bias) + rng.normal(0.0, 0.3, 3) + walk
    gyro = gyro * user.gyro_scale + bias + rng.normal(0.0, user.gyro_noise, (m, 3))
    acc = acc + user.accel_bias + rng.normal(0.0, user.accel_noise, (m, 3))
    t_ms = sample_t * 1000.0 + rng.uniform(-0.2, 0.2, m) * (np.arange(m) > 0)
    return np.concatenate([t_ms[:, None], acc, gyro], axis=1)


def synthesize_wand_dataset(
    root: str | Path,
    gestures: list[str],
    users: int = 60,
    repetitions: int = 6,
    seed: int = 0,
    progress: ProgressCallback = silent,
    force: bool = False,
) -> str:
    """Write the data set under ``root`` in the IMU recording layout; returns a one-line summary.

    ``root`` is built under a temporary name and must be new, empty or an unchanged earlier output (``force``:
    written beside the user's files, which are kept)."""
    check_gestures(gestures)
    check_number("--users", users, 1, 10_000, integer=True, why="more users only slow synthesis")
    check_number("--repetitions", repetitions, 1, 1000, integer=True)
    check_number("--seed", seed, 0, SEED_MAX, integer=True)
    final = check_output_dir(Path(root), force)
    with building_dir(final, force) as root:
        summary = _write_recordings(root, gestures, users, repetitions, seed, progress)
    return f"{summary} in {final}"


def _write_recordings(
    root: Path, gestures: list[str], users: int, repetitions: int, seed: int, progress: ProgressCallback
) -> str:
    rng = np.random.default_rng(seed)
    styles = [make_user(i, rng) for i in range(users)]
    rows = ["path,subject,hand,device,rate_hz"]
    total, done = users * len(gestures) * repetitions, 0
    for user in styles:
        device = "nano33ble_rev2" if user.rate_hz == 100.0 else "nano33ble"
        for gesture in gestures:
            template = GESTURES[gesture][user_variant(user, gesture)]
            for rep in range(repetitions):
                rec_rng = np.random.default_rng([seed, int(user.name[4:]), sum(map(ord, gesture)), rep])
                rel = f"{gesture}/{user.name}_nohash_{rep}.csv"
                write_recording(root / rel, record_gesture(template, user, rec_rng))
                rows.append(f"{rel},{user.name},{user.hand},{device},{user.rate_hz:g}")
                done += 1
                if done % 50 == 0 or done == total:
                    progress(ProgressEvent("Synthesizing gestures", done, total))
    write_text(root / "metadata.csv", "\n".join(rows) + "\n")
    return f"{total} recordings of {len(gestures)} gestures by {users} synthetic users"
