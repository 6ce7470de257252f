"""Load a keyword data set in the Speech Commands folder layout.

    <root>/<word>/<speaker>_nohash_<n>.wav     one folder per word, 1 s 16 kHz mono clips
    <root>/_background_noise_/*.wav            longer noise recordings for augmentation and silence
    <root>/validation_list.txt, testing_list.txt   optional: relative paths of the held-out clips
    <root>/metadata.csv                        optional: extra per-clip columns (path, speaker, voice, ...)

The labels are ``silence``, ``unknown`` and then the keywords, as in TensorFlow's speech_commands recipe and the
TFLM micro_speech example. Folders of other words become ``unknown`` (sampled down to ``unknown_percent`` of
the keyword clips per split); a ``silence`` folder is used as is, or silence clips are cut from the background
noise when there is none. Without the two list files, clips are split by a stable hash of the speaker. The
built-in synthesized data set is written in this same layout.
"""

import csv
from pathlib import Path

import numpy as np

from tinymlkit.data.audio import SAMPLE_RATE, AudioFixes, fit_length, read_audio
from tinymlkit.data.dataset import Dataset
from tinymlkit.data.split import SPLITS, assigned_split, speaker_of
from tinymlkit.errors import TinyMLError
from tinymlkit.fileio import read_user_text
from tinymlkit.progress import ProgressCallback, silent, track

SILENCE, UNKNOWN = "silence", "unknown"
BACKGROUND_DIR = "_background_noise_"


def keyword_labels(words: list[str]) -> list[str]:
    """The label list of a keyword model: ``["silence", "unknown", *words]``."""
    return [SILENCE, UNKNOWN, *words]


def load_speech_commands(
    root: str | Path,
    words: list[str],
    unknown_percent: float = 100.0,
    silence_percent: float = 100.0,
    validation_percent: float = 10.0,
    test_percent: float = 10.0,
    seed: int = 0,
    progress: ProgressCallback = silent,
    check_classes: bool = True,
) -> Dataset:
    """Read the keyword clips under ``root`` into a :class:`Dataset` of 1 s clips at 16 kHz.

    ``unknown_percent`` and ``silence_percent`` size the two extra classes relative to the mean number of clips
    per keyword in each split (100 = as many as an average keyword), as the recipe's percentages do.
    ``check_classes`` False: a test-only folder, which need not hold training clips of every class.
    One function on purpose: it follows TensorFlow's speech_commands recipe step by step (list, hash into splits,
    size unknown and silence, read), so the two can be compared.
    """
    root = Path(root)
    if not root.is_dir():
        raise TinyMLError(f"data folder {root} not found; give a folder with one sub-folder of WAV clips per word")
    _check_words(words)
    folders = sorted(p for p in root.iterdir() if p.is_dir() and not p.name.startswith((".", "_")))
    names = {p.name for p in folders}
    for word in words:
        if word not in names:
            raise TinyMLError(f"no folder for keyword '{word}' in {root}; record clips into {root / word}/")
    rng = np.random.default_rng(seed)
    listed = {name: _read_list(root / f"{name}_list.txt") for name in ("validation", "testing")}
    fixes = AudioFixes()

    # Decide which files to read (unknown words are sampled before reading, to keep large sets fast).
    entries: list[tuple[Path, str, str]] = []  # (file, label, split)
    unknown_pool: dict[str, list[tuple[Path, str]]] = {s: [] for s in SPLITS}
    silence_files: list[tuple[Path, str]] = []
    for folder in folders:
        wavs, others = _wav_files(folder)
        if others:
            fixes.add("skipped non-WAV files", others)
        for f in wavs:
            rel = f"{folder.name}/{f.name}"
            split = _split(rel, listed, validation_percent, test_percent)
            if folder.name in words:
                entries.append((f, folder.name, split))
            elif folder.name == SILENCE:
                silence_files.append((f, split))
            else:
                unknown_pool[split].append((f, split))
    per_split = {s: sum(1 for e in entries if e[2] == s) / max(1, len(words)) for s in SPLITS}
    for split in SPLITS:
        pool = unknown_pool[split]
        n = min(len(pool), int(round(per_split[split] * unknown_percent / 100)))
        for i in sorted(rng.choice(len(pool), size=n, replace=False)) if n else []:
            entries.append((pool[i][0], UNKNOWN, split))
        files = [f for f, s in silence_files if s == split]
        n = min(len(files), int(round(per_split[split] * silence_percent / 100)))
        for i in sorted(rng.choice(len(files), size=n, replace=False)) if n else []:
            entries.append((files[i], SILENCE, split))

    labels = keyword_labels(words)
    clips, ys, splits, groups, paths = [], [], [], [], []
    rejected = []
    for f, label, split in track(entries, "Reading clips", progress):
        try:
            audio = read_audio(f, SAMPLE_RATE, fixes)
        except TinyMLError as exc:
            rejected.append(f"{f}: {exc}")
            continue
        clips.append(fit_length(audio, SAMPLE_RATE, fixes))
        ys.append(labels.index(label))
        splits.append(split)
        groups.append(speaker_of(f.name))
        paths.append(str(f.relative_to(root)))
    if rejected:
        fixes.add("rejected unreadable files", len(rejected))

    noise = _background(root, fixes)
    data = Dataset(
        x=np.stack(clips) if clips else np.zeros((0, SAMPLE_RATE), np.float32),
        y=np.array(ys, dtype=np.int64),
        labels=labels,
        split=np.array(splits, dtype=object),
        group=np.array(groups, dtype=object),
        meta={"path": np.array(paths, dtype=object)},
        notes=fixes.as_dict(),
        extras={"background_noise": noise, "rejected": rejected},
    )
    if not silence_files and silence_percent > 0:
        data = _with_noise_silence(data, noise, per_split, silence_percent, rng)
    attach_metadata(data, root)
    if check_classes:
        _check_classes(data, root)
    return data


def _check_words(words: list[str]) -> None:
    if not words:
        raise TinyMLError("no keywords given; pass at least one, e.g. --words yes,no")
    if len(set(words)) != len(words):
        raise TinyMLError(f"keywords repeat in {','.join(words)}; give each word once")
    for w in words:
        if w in (SILENCE, UNKNOWN) or not w or "/" in w or w.startswith(("_", ".")):
            raise TinyMLError(f"'{w}' cannot be a keyword; 'silence' and 'unknown' are added for you")


def _wav_files(folder: Path) -> tuple[list[Path], int]:
    files = sorted(p for p in folder.iterdir() if p.is_file() and not p.name.startswith("."))
    wavs = [p for p in files if p.suffix.lower() == ".wav"]
    return wavs, len(files) - len(wavs)


def _read_list(path: Path) -> set[str]:
    if not path.is_file():
        return set()
    return {line.strip() for line in read_user_text(path).splitlines() if line.strip()}


def _split(rel: str, listed: dict[str, set[str]], validation_percent: float, test_percent: float) -> str:
    lists = {"validation": listed["validation"], "test": listed["testing"]}
    return assigned_split(rel, lists, speaker_of(rel), validation_percent, test_percent)


def _background(root: Path, fixes: AudioFixes) -> list[np.ndarray]:
    folder = root / BACKGROUND_DIR
    if not folder.is_dir():
        return []
    wavs, _ = _wav_files(folder)
    return [read_audio(f, SAMPLE_RATE, fixes) for f in wavs]


def _with_noise_silence(
    data: Dataset, noise: list[np.ndarray], per_split: dict[str, float], percent: float, rng: np.random.Generator
) -> Dataset:
    """Add silence clips cut from the background noise at a low random volume (the recipe's way)."""
    long_enough = [n for n in noise if len(n) >= SAMPLE_RATE]
    if not long_enough:
        return data
    clips, splits = [], []
    for split in SPLITS:
        for _ in range(int(round(per_split[split] * percent / 100))):
            n = long_enough[rng.integers(len(long_enough))]
            start = rng.integers(len(n) - SAMPLE_RATE + 1)
            clips.append(n[start : start + SAMPLE_RATE] * rng.uniform(0.0, 0.1))
            splits.append(split)
    if not clips:
        return data
    k = len(clips)
    return Dataset(
        x=np.concatenate([data.x, np.stack(clips).astype(np.float32)]),
        y=np.concatenate([data.y, np.zeros(k, np.int64)]),
        labels=data.labels,
        split=np.concatenate([data.split, np.array(splits, dtype=object)]),
        group=np.concatenate([data.group, np.array(["_noise_"] * k, dtype=object)]),
        meta={"path": np.concatenate([data.meta["path"], np.array([""] * k, dtype=object)])},
        notes={**data.notes, "silence clips cut from background noise": k},
        extras=data.extras,
    )


def attach_metadata(data: Dataset, root: Path) -> None:
    """Add the columns of ``metadata.csv`` (keyed by relative ``path``) to ``data.meta``."""
    data.meta.update(read_metadata(root, data.meta["path"]))


def read_metadata(root: Path, paths) -> dict[str, np.ndarray]:
    """The columns of ``<root>/metadata.csv`` (keyed by relative ``path``; blank where a path has no row) for
    ``paths``; no columns when there is no such file."""
    path = root / "metadata.csv"
    if not path.is_file():
        return {}
    try:
        with path.open(newline="", encoding="utf-8") as f:
            rows = {row["path"]: row for row in csv.DictReader(f)}
    except (KeyError, csv.Error, UnicodeDecodeError):
        raise TinyMLError(f"{path} is not a CSV file with a 'path' column; fix or remove it") from None
    columns = sorted({c for row in rows.values() for c in row if c} - {"path", "label"})
    return {c: np.array([rows.get(p, {}).get(c, "") or "" for p in paths], dtype=object) for c in columns}


def _check_classes(data: Dataset, root: Path) -> None:
    hints = {
        SILENCE: f"add a {root / SILENCE}/ folder or {BACKGROUND_DIR}/ noise recordings",
        UNKNOWN: "add folders of other (non-keyword) words",
    }
    counts = data.counts()
    for label in data.labels:
        if counts["train"][label] == 0:
            hint = hints.get(label, f"record clips into {root / label}/")
            raise TinyMLError(f"class '{label}' has no training clips in {root}; {hint}")
    if sum(counts["test"].values()) == 0:
        raise TinyMLError(f"no test clips in {root}: add more speakers or a testing_list.txt")
