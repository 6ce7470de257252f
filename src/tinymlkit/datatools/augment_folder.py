"""``tinyml data augment``: a new data set folder with augmented copies of the training files, every change
recorded.

    result = augment_folder("my_words", "my_words_aug", copies=2)                 # all of the kind's operations
    result = augment_folder("my_wand", "my_wand_aug", ops=["rotate", "noise"])

The output holds every original file (and the list files, metadata and background noise) plus, for each
training file, ``copies`` new files named ``<name>_aug<k>``: the group (the part before ``_nohash_``) is kept,
so an augmented copy always lands in the training split, and validation and test files are never augmented.
``augment.csv`` lists each new file, its source and the parameters drawn; ``metadata.csv`` gets a row for it
(its source's columns plus ``augment``). The same seed gives the same files.
"""

import csv
import io
import json
import shutil
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from tinymlkit.datatools.kinds import detect_kind, scan
from tinymlkit.errors import TinyMLError
from tinymlkit.fileio import building_dir, check_output_dir, write_text
from tinymlkit.progress import ProgressCallback, silent, track
from tinymlkit.validate import SEED_MAX, check_number


@dataclass
class AugmentResult:
    """What :func:`augment_folder` wrote."""

    out: str
    kind: str
    ops: list[str]
    copies: int
    originals: int
    augmented: int  # new files
    held_out: int  # validation and test files, copied but not augmented
    skipped: list[str]  # unreadable training files (copied, not augmented; see 'tinyml data audit')


def augment_folder(
    root: str | Path,
    out: str | Path,
    copies: int = 1,
    ops: list[str] | None = None,
    kind: str | None = None,
    seed: int = 0,
    progress: ProgressCallback = silent,
    force: bool = False,
) -> AugmentResult:
    """Write ``out``: the data set ``root`` plus ``copies`` augmented versions of each training file, each made
    by applying every operation in ``ops`` (default: all of the kind's) with freshly drawn parameters."""
    root, out = Path(root), Path(out)
    data_kind = detect_kind(root, kind)
    if not data_kind.augmenters:
        raise TinyMLError(f"no augmentation for {data_kind.name} data yet")
    ops = ops or list(data_kind.augmenters)
    unknown = [o for o in ops if o not in data_kind.augmenters]
    if unknown:
        raise TinyMLError(
            f"unknown operation '{unknown[0]}' for {data_kind.name} data; use any of: {', '.join(data_kind.augmenters)}"
        )
    if not 1 <= copies <= 20:
        raise TinyMLError(f"--copies {copies} must be from 1 to 20")
    check_number("--seed", seed, 0, SEED_MAX, integer=True)
    check_output_dir(out, force)
    if out.resolve().is_relative_to(root.resolve()):
        raise TinyMLError(f"{out} is inside {root}; give a folder outside the data set")
    entries = scan(root, data_kind)
    train = [e for e in entries if e.split == "train"]
    context = {"noise": _background(root, data_kind)}
    rng = np.random.default_rng(seed)
    rows = []
    with building_dir(out, force) as tmp:
        for item in root.iterdir():
            if item.name.startswith(".") or item.name in ("_quarantine", "_reports"):
                continue
            if item.is_dir():
                shutil.copytree(item, tmp / item.name, symlinks=True)  # a link loop stays a link
            else:
                shutil.copy2(item, tmp / item.name, follow_symlinks=False)
        skipped = []
        for e in track(train, "Augmenting", progress):
            try:
                example = data_kind.read(root / e.path)
            except TinyMLError:
                skipped.append(e.path)
                continue
            stem, suffix = e.path.rsplit(".", 1)
            for k in range(1, copies + 1):
                new, params = example, {}
                for op in ops:
                    new, drawn = data_kind.augmenters[op](new, rng, context)
                    params[op] = drawn
                rel = str(data_kind.write(tmp / f"{stem}_aug{k}.{suffix}", new).relative_to(tmp))
                rows.append({"path": rel, "source": e.path, "augment": json.dumps(params, sort_keys=True)})
        write_text(tmp / "augment.csv", _csv(["path", "source", "augment"], rows))
        _extend_metadata(root, tmp, rows)
    return AugmentResult(
        str(out), data_kind.name, ops, copies, len(entries), len(rows), len(entries) - len(train), skipped
    )


def _background(root: Path, kind) -> list[np.ndarray]:
    folder = root / "_background_noise_"
    if kind.read is None or not folder.is_dir():
        return []
    return [kind.read(f) for f in sorted(folder.iterdir()) if f.suffix.lower() in kind.suffixes]


def _csv(columns: list[str], rows: list[dict]) -> str:
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=columns, restval="", lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return buf.getvalue()


def _extend_metadata(root: Path, out: Path, rows: list[dict]) -> None:
    """Add a metadata row per new file: its source's columns, its own path and the ``augment`` parameters."""
    path = root / "metadata.csv"
    if not path.is_file():
        return
    with path.open(newline="", encoding="utf-8") as f:
        reader = csv.DictReader(f)
        columns = list(reader.fieldnames or [])
        old = list(reader)
    by_path = {r.get("path"): r for r in old}
    columns += [c for c in ("augment",) if c not in columns]
    new = [{**by_path.get(r["source"], {}), "path": r["path"], "augment": r["augment"]} for r in rows]
    write_text(out / "metadata.csv", _csv(columns, old + new))
