"""Machine-sound data sets for anomaly detection: the MIMII and ToyADMOS (DCASE) folder layouts.

MIMII::

    <root>/<snr>/<machine>/id_XX/{normal,abnormal}/*.wav     e.g. 6_dB_fan/fan/id_00/normal/00000000.wav
    <root>/<machine>/id_XX/{normal,abnormal}/*.wav           (one SNR, or the built-in data)
    <root>/id_XX/{normal,abnormal}/*.wav, or the id folder itself (one machine)

ToyADMOS as packed for DCASE 2020 task 2 (and the MLPerf Tiny anomaly benchmark)::

    <root>/<machine>/{train,test}/{normal,anomaly}_id_XX_*.wav

Splits (labels ``normal`` and ``anomaly``): training and validation hold normal recordings only. MIMII: per
machine id, every abnormal recording goes to the test split with as many normal ones (at most half the normal
recordings); the rest are split 85/15 into train and validation by a stable hash of the file name. DCASE: the
``test`` folder is the test split, ``train`` is split 85/15. Audio is read as 16 kHz mono; other rates are
resampled and stereo (MIMII has 8 channels) averaged, both counted in the notes.
"""

import hashlib
import re
from pathlib import Path

import numpy as np

from tinymlkit.data.audio import SAMPLE_RATE, AudioFixes, read_audio
from tinymlkit.data.dataset import Dataset
from tinymlkit.errors import TinyMLError
from tinymlkit.progress import ProgressCallback, track

LABELS = ["normal", "anomaly"]
_ID = re.compile(r"^id_\d+$")
_DCASE = re.compile(r"^(normal|anomaly)_(id_\d+)_.*\.wav$", re.IGNORECASE)


def _stable_fraction(name: str) -> float:
    return int(hashlib.sha1(name.encode()).hexdigest()[:8], 16) / 0xFFFFFFFF


def _train_or_validation(name: str, validation_fraction: float = 0.15) -> str:
    return "validation" if _stable_fraction(name) < validation_fraction else "train"


def _wavs(folder: Path) -> list[Path]:
    """The .wav files of a folder; any other file is an error (a one-line message naming it)."""
    files = sorted(p for p in folder.iterdir() if p.is_file() and not p.name.startswith("."))
    for p in files:
        if p.suffix.lower() != ".wav":
            raise TinyMLError(f"{p} is not a .wav file; machine-sound folders hold only WAV recordings")
    return files


def _mimii_ids(root: Path) -> list[tuple[str, Path]]:
    """(machine/id name, id folder) of every MIMII id folder: ``root`` itself or at depth 1, 2 or 3 below it."""
    if _ID.match(root.name):
        return [(f"{root.parent.name}/{root.name}", root)]
    found = []
    for depth in range(3):
        for folder in sorted(root.glob("/".join(["*"] * (depth + 1)))):
            if folder.is_dir() and _ID.match(folder.name):
                parts = folder.relative_to(root).parts
                machine = parts[-2] if len(parts) >= 2 else root.name
                prefix = f"{parts[0]}/" if len(parts) == 3 else ""  # the SNR folder
                found.append((f"{prefix}{machine}/{folder.name}", folder))
        if found:
            return found
    return found


def _dcase_machines(root: Path) -> list[Path]:
    """Machine folders in the DCASE layout: ``root`` itself or its subfolders that have a ``train`` folder."""
    if (root / "train").is_dir():
        return [root]
    return sorted(p for p in root.iterdir() if p.is_dir() and (p / "train").is_dir())


def find_recordings(root: str | Path) -> list[tuple[Path, str, str, str]]:
    """Every recording as (path, group "machine/id_XX", "normal"/"anomaly", split), checking the layout."""
    root = Path(root)
    if not root.is_dir():
        raise TinyMLError(f"data folder {root} not found; give a MIMII or ToyADMOS folder (see docs/anomaly.md)")
    items: list[tuple[Path, str, str, str]] = []
    ids = _mimii_ids(root)
    if ids:
        for group, folder in ids:
            if not (folder / "normal").is_dir():
                raise TinyMLError(f"{folder} has no 'normal' folder; MIMII ids hold normal/ and abnormal/ folders")
            normal = _wavs(folder / "normal")
            abnormal = _wavs(folder / "abnormal") if (folder / "abnormal").is_dir() else []
            if not normal:
                raise TinyMLError(f"no normal recordings in {folder / 'normal'}; training needs normal .wav clips")
            n_test = min(len(abnormal), len(normal) // 2)
            for i, p in enumerate(normal):
                split = "test" if i < n_test else _train_or_validation(f"{group}/{p.name}")
                items.append((p, group, "normal", split))
            items += [(p, group, "anomaly", "test") for p in abnormal]
        return items
    machines = _dcase_machines(root)
    if not machines:
        raise TinyMLError(
            f"no machine recordings found in {root}; expected <machine>/id_XX/normal/*.wav (MIMII) "
            "or <machine>/train/normal_id_XX_*.wav (ToyADMOS/DCASE)"
        )
    for machine in machines:
        for part in ("train", "test"):
            if not (machine / part).is_dir():
                continue
            for p in _wavs(machine / part):
                m = _DCASE.match(p.name)
                if not m:
                    raise TinyMLError(f"{p}: expected a name like normal_id_01_00000000.wav or anomaly_id_01_...wav")
                condition, mid = m.group(1).lower(), m.group(2)
                if part == "train" and condition != "normal":
                    raise TinyMLError(f"{p}: the train folder must hold normal recordings only")
                split = "test" if part == "test" else _train_or_validation(f"{machine.name}/{p.name}")
                items.append((p, f"{machine.name}/{mid}", condition, split))
        if not any(g.startswith(f"{machine.name}/") and c == "normal" and s != "test" for _, g, c, s in items):
            raise TinyMLError(f"no normal recordings in {machine / 'train'}; training needs normal .wav clips")
    return items


def load_machine_sounds(root: str | Path, progress: ProgressCallback) -> Dataset:
    """Read a MIMII or ToyADMOS folder as a :class:`Dataset` of float32 16 kHz clips (see the module docstring)."""
    items = find_recordings(root)
    fixes = AudioFixes()
    clips = np.empty(len(items), dtype=object)
    for i, (path, _, _, _) in enumerate(track(items, "Reading recordings", progress)):
        clips[i] = read_audio(path, SAMPLE_RATE, fixes)
    short = [p for (p, *_), c in zip(items, clips, strict=True) if len(c) < SAMPLE_RATE // 4]
    if short:
        raise TinyMLError(f"{short[0]} is shorter than 0.25 s; machine recordings should last a second or more")
    data = Dataset(
        x=clips,
        y=np.array([LABELS.index(c) for _, _, c, _ in items], dtype=np.int64),
        labels=list(LABELS),
        split=np.array([s for *_, s in items]),
        group=np.array([g for _, g, _, _ in items]),
        meta={"path": np.array([str(p) for p, *_ in items])},
        notes=fixes.as_dict(),
    )
    if not np.any(data.y == 1):
        raise TinyMLError(f"{root} has no abnormal recordings to test with; add abnormal/*.wav (or anomaly_id_*)")
    for s in ("train", "validation", "test"):
        if not np.any(data.split == s):
            raise TinyMLError(f"{root} gives no {s} recordings; add normal recordings (at least 20 per machine id)")
    return data
