"""Recording gestures from a board's IMU into the layout the magic-wand loader reads.

    with BoardConnection("/dev/ttyACM0") as board:
        result = record_gestures(board, "my_wand", label="O", subject="subj01", count=10)

Each recording becomes ``<root>/<label>/<subject>_nohash_<n>.csv`` with the header ``t_ms,ax,ay,az,gx,gy,gz``
(t_ms since the recording started, accelerometer in g, gyroscope in degrees/s, whatever units the board
declared), and a row in ``metadata.csv``: path, label, subject, hand, device, imu, rate_hz,
measured_rate_hz, samples, lost, recorded_at. Recordings with too few samples, too many lost samples or no
movement are not kept.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from tinymlkit.apps.wand.data import MIN_SAMPLES, write_recording
from tinymlkit.capture.protocol import ACCEL_UNITS, GYRO_UNITS, IMU_AXES
from tinymlkit.capture.serial_link import BoardConnection, Recording
from tinymlkit.capture.session import ExampleSession, SessionResult, Take, auto_review, split_counts
from tinymlkit.data.split import SPLITS
from tinymlkit.errors import TinyMLError

MAX_LOST = 0.05  # share of samples that may fail their checks before a recording is redone
MIN_MOTION_DPS = 30.0  # the gyroscope must swing at least this far from its resting value
RECORD_SECONDS = 3.0


def imu_table(recording: Recording) -> np.ndarray:
    """(n, 7) rows t_ms, ax, ay, az, gx, gy, gz in g and degrees/s (the rows of
    :func:`tinymlkit.apps.wand.data.write_recording`) from a board's recording, whatever its axis order and units."""
    header = recording.header
    missing = [a for a in IMU_AXES if a not in header.axes]
    if missing:
        raise TinyMLError(
            f"the board's IMU stream has no {missing[0]} axis (axes={','.join(header.axes)}); "
            "use the capture sketch from 'tinyml record sketch imu'"
        )
    out = np.empty((len(recording.data), 7))
    out[:, 0] = recording.data[:, 0]
    for i, axis in enumerate(IMU_AXES):
        j = header.axes.index(axis)
        unit = header.units[j] if header.units else ("g" if axis[0] == "a" else "dps")
        table = ACCEL_UNITS if axis[0] == "a" else GYRO_UNITS
        if unit not in table:
            raise TinyMLError(f"the board sends {axis} in '{unit}'; supported: {', '.join(table)}")
        out[:, 1 + i] = recording.data[:, 1 + j] * table[unit]
    return out


def gesture_take(recording: Recording, number: int, attempt: int) -> Take:
    """A :class:`Take` of one IMU recording, with its problems."""
    rows = imu_table(recording)
    header = recording.header
    span_s = (rows[-1, 0] - rows[0, 0]) / 1000.0 if len(rows) > 1 else 0.0
    info = {
        "device": header.board,
        "imu": header.fields.get("imu", ""),
        "rate_hz": f"{header.rate_hz:g}",
        "measured_rate_hz": round((len(rows) - 1) / span_s, 2) if span_s > 0 else "",
        "samples": len(rows),
        "lost": recording.lost,
    }
    take = Take(number, attempt, rows, raw=recording, info=info)
    if len(rows) < MIN_SAMPLES:
        take.problems.append(f"only {len(rows)} samples arrived; a recording needs {MIN_SAMPLES}")
    if recording.expected and recording.lost / recording.expected > MAX_LOST:
        take.problems.append(f"{recording.lost} of {recording.expected} samples arrived damaged (noisy cable or port?)")
    if len(rows):
        gyro = rows[:, 4:7]
        swing = float(np.max(np.linalg.norm(gyro - np.median(gyro, axis=0), axis=1)))
        take.info["peak_dps"] = round(swing, 1)
        if swing < MIN_MOTION_DPS:
            take.problems.append(f"the board hardly moved (peak {swing:.0f} deg/s): draw the gesture while it records")
    return take


def record_gestures(
    board: BoardConnection,
    root: str | Path,
    label: str,
    subject: str,
    count: int,
    seconds: float = RECORD_SECONDS,
    hand: str = "",
    trigger: str = "host",
    review: Callable[[Take], str] = auto_review,
    before_take: Callable[[int, int], None] | None = None,
    wait_seconds: float = 30.0,
) -> SessionResult:
    """Record ``count`` gestures ``label`` by ``subject`` into ``root``.

    ``trigger="host"`` asks the board for each recording of ``seconds``; ``"board"`` waits (up to
    ``wait_seconds``) for recordings the board starts itself (button or motion trigger).
    """
    session = ExampleSession(root, label, subject, "--subject", ".csv")
    if hand not in ("", "left", "right"):
        raise TinyMLError(f"--hand must be left or right, not '{hand}'")
    if trigger not in ("host", "board"):
        raise TinyMLError(f"--trigger must be host or board, not '{trigger}'")
    if not 0.2 <= seconds <= 30:
        raise TinyMLError(f"--seconds {seconds:g} is out of range; record 0.2 to 30 s per gesture")
    if board.header is None or board.header.sensor != "imu":
        board.wait_header("imu")

    def take(number: int, attempt: int) -> Take:
        if trigger == "host":
            rec = board.record(int(seconds * 1000), label)
        else:
            rec = board.next_recording(wait_seconds)
        return gesture_take(rec, number, attempt)

    return session.run(count, take, write_recording, {"hand": hand}, review, before_take)


@dataclass
class ImuStatus:
    """Recordings per gesture and split, and what is still missing before training."""

    counts: dict[str, dict[str, int]]
    subjects: dict[str, int]
    missing: list[str] = field(default_factory=list)
    advice: list[str] = field(default_factory=list)


def imu_status(root: str | Path) -> ImuStatus:
    """Count the recordings under ``root`` the way the wand loader splits them (by subject)."""
    root = Path(root)
    if not root.is_dir():
        raise TinyMLError(f"data folder {root} not found; record into it with 'tinyml record imu --data {root}'")
    status = ImuStatus(*split_counts(root, ".csv"))
    counts = status.counts
    if len(counts) < 2:
        status.missing.append("record at least two gestures to tell apart")
    for label, c in counts.items():
        for split in SPLITS:
            if c[split] == 0:
                status.missing.append(
                    f"'{label}' has no {split} recordings: subjects are split by a hash of their name, so record "
                    "more subjects (or the same person under another --subject name)"
                )
                break
    small = [g for g, c in counts.items() if sum(c.values()) < 20]
    if small:
        status.advice.append(f"few recordings of {', '.join(small)}: aim for 20+ per gesture from several people")
    return status
