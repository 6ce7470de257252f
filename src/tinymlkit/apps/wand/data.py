"""Magic-wand data on disk: IMU recordings of gestures (CSV), or strokes collected the course's way (JSON).

IMU recordings, one CSV file per gesture (the format the capture sketch writes)::

    <root>/<label>/<subject>_nohash_<n>.csv     one recording of one gesture by one subject ("user")
        t_ms,ax,ay,az,gx,gy,gz                  header; t_ms = milliseconds since the recording started
        0.0,0.02,-0.51,0.86,1.2,-0.4,0.3        (increasing), ax..az accelerometer in g, gx..gz gyroscope
        ...                                     in degrees/second, in the board's own axes
    <root>/metadata.csv                         optional: columns path (label/file.csv), then any of
                                                subject, hand, device, rate_hz, ...

A recording holds the wand at rest, the gesture, and rest again. Subjects never straddle splits: a subject's
split is a stable hash of its name (:func:`tinymlkit.data.split.split_of`), or the folder's
``validation_list.txt`` / ``testing_list.txt`` when it has them (``tinyml data split`` writes them).

Strokes, as the course's magic-wand website saved them over BLE::

    {"strokes": [{"strokePoints": [{"x": 0.12, "y": -0.3}, ...], "label": "3"}, ...]}

x/y are the projected stroke in the course's units (1.0 = 90 degrees of rotation; the scale does not matter,
strokes are normalized). An optional "subject" (or "user") per stroke groups strokes for splitting; without it
each stroke is its own group.
"""

import json
from pathlib import Path

import numpy as np

from tinymlkit.apps.kws.data import attach_metadata
from tinymlkit.data.csv_table import read_numeric_csv, write_numeric_csv
from tinymlkit.data.dataset import Dataset
from tinymlkit.data.split import assigned_split, speaker_of, split_of
from tinymlkit.datatools.kinds import read_lists
from tinymlkit.errors import TinyMLError
from tinymlkit.fileio import write_text
from tinymlkit.progress import ProgressCallback, silent, track

COLUMNS = ("t_ms", "ax", "ay", "az", "gx", "gy", "gz")
MIN_SAMPLES = 20
STROKES_FORMAT = '{"strokes": [{"strokePoints": [{"x": .., "y": ..}, ...], "label": ..}, ...]}'


def read_recording(path: str | Path) -> np.ndarray:
    """One recording as an (n, 7) float64 array (t_ms, ax, ay, az, gx, gy, gz), checked."""
    rows = read_numeric_csv(path, COLUMNS, what="a gesture recording", min_rows=MIN_SAMPLES)
    steps = np.diff(rows[:, 0])
    if np.any(steps <= 0):
        i = int(np.argmax(steps <= 0)) + 1
        raise TinyMLError(
            f"{path} line {i + 2}: t_ms must increase ({rows[i, 0]:g} after {rows[i - 1, 0]:g}); "
            "record with the capture sketch or fix the time column"
        )
    return rows


def write_recording(path: str | Path, recording: np.ndarray) -> Path:
    """Write one recording in the CSV format :func:`read_recording` reads (atomically)."""
    return write_text(path, write_numeric_csv(COLUMNS, recording, decimals=4))


def load_imu_recordings(
    root: str | Path,
    labels: list[str] | None = None,
    validation_percent: float = 10.0,
    test_percent: float = 10.0,
    progress: ProgressCallback = silent,
) -> Dataset:
    """Read the recordings under ``root`` into a :class:`Dataset`; ``x`` holds (n, 7) arrays (object array).

    ``labels`` picks and orders the classes (default: every label folder, sorted).
    """
    root = Path(root)
    if not root.is_dir():
        raise TinyMLError(
            f"data folder {root} not found; give a folder with one sub-folder of CSV recordings per "
            "gesture (see 'tinyml wand data')"
        )
    folders = {p.name: p for p in sorted(root.iterdir()) if p.is_dir() and not p.name.startswith((".", "_"))}
    if not folders:
        raise TinyMLError(f"no gesture folders in {root}; put each gesture's recordings in {root}/<gesture>/")
    labels = labels or sorted(folders)
    for label in labels:
        if label not in folders:
            raise TinyMLError(f"no folder for gesture '{label}' in {root}; record it into {root / label}/")
    entries = []
    for label in labels:
        files = sorted(p for p in folders[label].iterdir() if p.is_file() and p.suffix.lower() == ".csv")
        if not files:
            raise TinyMLError(f"gesture '{label}' has no recordings: {folders[label]} holds no .csv files")
        entries += [(f, label) for f in files]
    lists = read_lists(root)
    recordings, ys, groups, paths = [], [], [], []
    for f, label in track(entries, "Reading recordings", progress):
        recordings.append(read_recording(f))
        ys.append(labels.index(label))
        groups.append(speaker_of(f.name))
        paths.append(f"{label}/{f.name}")
    data = Dataset(
        x=_object_array(recordings),
        y=np.array(ys, dtype=np.int64),
        labels=list(labels),
        split=np.array(
            [assigned_split(p, lists, g, validation_percent, test_percent) for p, g in zip(paths, groups, strict=True)],
            dtype=object,
        ),
        group=np.array(groups, dtype=object),
        meta={"path": np.array(paths, dtype=object)},
        extras={"format": "imu"},
    )
    attach_metadata(data, root)
    return data


def load_strokes_json(
    path: str | Path, labels: list[str] | None = None, validation_percent: float = 10.0, test_percent: float = 10.0
) -> Dataset:
    """Read a strokes JSON file; ``x`` holds each stroke as an (m, 2) float64 array in degrees."""
    path = Path(path)
    if not path.is_file():
        raise TinyMLError(f"strokes file {path} not found; give a JSON file in the format {STROKES_FORMAT}")
    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise TinyMLError(
            f"{path} is not valid JSON ({str(exc).splitlines()[0][:60]}); expected {STROKES_FORMAT}"
        ) from None
    if not isinstance(doc, dict) or not isinstance(doc.get("strokes"), list) or not doc["strokes"]:
        raise TinyMLError(f"{path} is not a strokes file: expected {STROKES_FORMAT}")
    strokes, names, groups = [], [], []
    for i, stroke in enumerate(doc["strokes"]):
        points = stroke.get("strokePoints") if isinstance(stroke, dict) else None
        if not isinstance(points, list) or "label" not in stroke:
            raise TinyMLError(f"{path}: stroke {i} has no strokePoints list or no label; expected {STROKES_FORMAT}")
        try:
            xy = np.array([[float(p["x"]), float(p["y"])] for p in points], dtype=np.float64).reshape(-1, 2)
        except (KeyError, TypeError, ValueError):
            raise TinyMLError(
                f"{path}: stroke {i} has a point without numeric x and y; expected {STROKES_FORMAT}"
            ) from None
        if len(xy) < 2 or not np.all(np.isfinite(xy)):
            raise TinyMLError(f"{path}: stroke {i} needs at least 2 finite points, found {len(xy)}")
        strokes.append(xy * 90.0)
        names.append(str(stroke["label"]))
        groups.append(str(stroke.get("subject", stroke.get("user", f"{path.stem}-{i}"))))
    labels = labels or sorted(set(names))
    keep = [i for i, n in enumerate(names) if n in labels]
    missing = sorted(set(labels) - set(names))
    if missing:
        raise TinyMLError(f"{path} has no strokes labelled '{missing[0]}'; record some or leave it out")
    return Dataset(
        x=_object_array([strokes[i] for i in keep]),
        y=np.array([labels.index(names[i]) for i in keep], dtype=np.int64),
        labels=list(labels),
        split=np.array([split_of(groups[i], validation_percent, test_percent) for i in keep], dtype=object),
        group=np.array([groups[i] for i in keep], dtype=object),
        meta={"path": np.array([f"{path.name}#{i}" for i in keep], dtype=object)},
        extras={"format": "strokes"},
    )


def load_wand_data(path: str | Path, labels: list[str] | None = None, progress: ProgressCallback = silent) -> Dataset:
    """A folder of IMU recordings or a strokes .json file, whichever ``path`` is."""
    path = Path(path)
    if path.suffix.lower() == ".json":
        return load_strokes_json(path, labels)
    return load_imu_recordings(path, labels, progress=progress)


def check_splits(data: Dataset, source: str) -> None:
    """Every gesture needs training examples, and every split some examples."""
    data.check_splits(source, noun="recordings", fix="subjects are split by name: record more subjects")


def _object_array(items: list[np.ndarray]) -> np.ndarray:
    out = np.empty(len(items), dtype=object)
    for i, item in enumerate(items):
        out[i] = item
    return out
