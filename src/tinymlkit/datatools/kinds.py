"""The kinds of data set folder the data tools (stats, audit, split, augment) understand, in one registry.

Every kind uses the same layout, one folder per label and the group (speaker, subject) in the file name::

    <root>/<label>/<group>_nohash_<n>.<suffix>     e.g. yes/speaker01_nohash_0.wav, O/user03_nohash_2.csv
    <root>/validation_list.txt, testing_list.txt  optional: the held-out files (else a stable hash of the group)
    <root>/metadata.csv                           optional: per-file columns (path, speaker, device, consent...)

Folders starting with ``_`` or ``.`` (``_background_noise_``, ``_quarantine``, ``_reports``) are not labels.
A kind says how to read one file and judge it: :class:`DataKind` (audio clips, IMU recordings and images; another
kind is one module and one more entry in :data:`KINDS`).
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from tinymlkit.data.split import assigned_split, speaker_of
from tinymlkit.errors import TinyMLError
from tinymlkit.fileio import read_user_text


@dataclass
class Clip:
    """What the tools need to know about one file: its length, level and two fixed-length vectors.

    ``features`` (summary statistics) feed the outlier and label checks, ``fingerprint`` (a coarse normalized
    picture of the whole example) the near-duplicate search.
    """

    duration_s: float
    rate: float  # samples per second
    features: np.ndarray
    fingerprint: np.ndarray
    problems: list[tuple[str, str, str]] = field(default_factory=list)  # (check, detail, suggested fix)


@dataclass(frozen=True)
class DataKind:
    """One kind of example file and how to read, judge, draw and augment it."""

    name: str
    suffixes: tuple[str, ...]
    group_word: str  # what the name before _nohash_ is: speaker, subject...
    inspect: Callable[[Path], Clip]  # read and judge one file (raises TinyMLError when unreadable)
    duration: Callable[[Path], tuple[float, float]] | None  # cheap (seconds, rate) of one file; None: untimed
    expected_duration_s: float | None  # None: judge lengths against the median of the data set
    draw: Callable[[object, Path], None]  # draw one example on a matplotlib axis
    quiet_labels: tuple[str, ...] = ()  # labels whose examples are silent by design
    read: Callable[[Path], np.ndarray] | None = None  # one example, for augmentation
    write: Callable[[Path, np.ndarray], Path] | None = None
    augmenters: dict[str, Callable] = field(default_factory=dict)  # name -> (example, rng, context) -> (new, params)


def entry_group(rel: str) -> str:
    """The group (speaker, subject) of a file: the part of its name before ``_nohash_``."""
    return speaker_of(rel)


@dataclass
class Entry:
    """One example file of a data set folder."""

    path: str  # relative to the root, with forward slashes
    label: str
    split: str
    group: str


def read_lists(root: Path) -> dict[str, set[str]]:
    """The relative paths in ``validation_list.txt`` and ``testing_list.txt`` (empty sets when absent)."""
    out = {}
    for split, name in (("validation", "validation_list.txt"), ("test", "testing_list.txt")):
        path = root / name
        out[split] = {ln.strip() for ln in read_user_text(path).splitlines() if ln.strip()} if path.is_file() else set()
    return out


def scan(
    root: str | Path,
    kind: "DataKind",
    validation_percent: float = 10.0,
    test_percent: float = 10.0,
    group_column: str | None = None,
) -> list[Entry]:
    """Every example file under ``root`` with its label, split (the list files, else a hash of the group) and
    group (``group_column`` of metadata.csv, else the file name's)."""
    root = check_folder(root)
    lists = read_lists(root)
    groups = metadata_column(root, group_column) if group_column else {}
    entries = []
    for folder in label_folders(root):
        for f in sorted(p for p in folder.iterdir() if p.is_file() and p.suffix.lower() in kind.suffixes):
            rel = f"{folder.name}/{f.name}"
            group = groups.get(rel) or entry_group(rel)
            entries.append(
                Entry(rel, folder.name, assigned_split(rel, lists, group, validation_percent, test_percent), group)
            )
    if not entries:
        raise TinyMLError(
            f"no {'/'.join(kind.suffixes)} files in the label folders of {root}; expected "
            f"{root}/<label>/<{kind.group_word}>_nohash_<n>{kind.suffixes[0]}"
        )
    return entries


def check_folder(root: str | Path) -> Path:
    root = Path(root)
    if not root.is_dir():
        raise TinyMLError(f"data folder {root} not found; give a folder with one sub-folder of examples per label")
    return root


def label_folders(root: Path) -> list[Path]:
    """The label folders of a data set: sub-folders not starting with ``_`` or ``.``."""
    return sorted(p for p in root.iterdir() if p.is_dir() and not p.name.startswith(("_", ".")))


def metadata_column(root: Path, column: str) -> dict[str, str]:
    """``path -> value`` of one column of ``<root>/metadata.csv``."""
    import csv

    path = root / "metadata.csv"
    if not path.is_file():
        raise TinyMLError(f"--by {column} needs {path}; leave --by out to group by the name before _nohash_")
    with path.open(newline="", encoding="utf-8") as f:
        reader = csv.DictReader(f)
        if "path" not in (reader.fieldnames or []) or column not in (reader.fieldnames or []):
            raise TinyMLError(
                f"{path} has no 'path' and '{column}' columns; pick one of: {', '.join(reader.fieldnames or [])}"
            )
        return {row["path"]: row[column] for row in reader if row.get(column)}


KINDS: dict[str, str] = {
    "audio": "tinymlkit.datatools.kind_audio:AUDIO",
    "imu": "tinymlkit.datatools.kind_imu:IMU",
    "image": "tinymlkit.datatools.kind_image:IMAGE",
}
"""The registered kinds: name -> ``module:attribute`` of its :class:`DataKind` (imported when used)."""


def get_kind(name: str) -> "DataKind":
    """The registered kind called ``name``."""
    import importlib

    if name not in KINDS:
        raise TinyMLError(f"unknown data kind '{name}'; use one of: {', '.join(KINDS)}")
    module, attr = KINDS[name].split(":")
    return getattr(importlib.import_module(module), attr)


def detect_kind(root: str | Path, name: str | None = None) -> "DataKind":
    """The kind named ``name``, or the registered kind whose files fill the label folders of ``root``."""
    if name is not None:
        return get_kind(name)
    root = check_folder(root)
    kinds = [get_kind(k) for k in KINDS]
    counts = dict.fromkeys(KINDS, 0)
    for folder in label_folders(root):
        for f in folder.iterdir():
            for k in kinds:
                counts[k.name] += f.suffix.lower() in k.suffixes
    best = max(counts, key=lambda k: counts[k])
    if counts[best] == 0:
        raise TinyMLError(
            f"no example files in {root}: expected <label>/ folders of "
            + " or ".join(f"{'/'.join(k.suffixes)} ({k.name})" for k in kinds)
            + " files"
        )
    return get_kind(best)
