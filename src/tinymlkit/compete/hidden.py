"""The hidden test sets of a challenge, made by the toolkit's own synthesizer and feature code for its application.

Each challenge has two parts, made from two seeds and never mixed:

- **public**: from the challenge's ``seed``. Anyone can make it (``tinyml compete submit`` scores against it
  locally) and the public leaderboard ranks on it.
- **private**: from a seed derived from the challenge's seed and a secret only the site knows (its secret
  key), so no one can make it elsewhere. The private leaderboard, shown after the deadline, ranks on it.

A part is made once and kept as ``hidden.npz`` (float model inputs ``x`` and label indices ``y``) in a checksummed
folder under ``folder`` (the platform's data folder, never its web root); a damaged copy is made again.
"""

from __future__ import annotations

import dataclasses
import hashlib
from pathlib import Path

import numpy as np

from tinymlkit.compete.challenge import Challenge
from tinymlkit.errors import TinyMLError
from tinymlkit.progress import ProgressCallback, silent

PARTS = ("public", "private")
SPLITS = ("train", "validation", "test")
VERSION = 1  # bump when the way a part is made changes, so cached parts are made again


def part_seed(challenge: Challenge, part: str, secret: str | None = None) -> int:
    """The seed of a part: the challenge's own for ``public``; for ``private`` one derived from it and ``secret``."""
    if part == "public":
        return challenge.seed
    if part != "private":
        raise TinyMLError(f"no part {part!r}; a challenge has a public and a private part")
    if not secret:
        raise TinyMLError("the private part needs the site's secret; only the platform scores against it")
    digest = hashlib.sha256(f"tinyml-compete:{challenge.name}:{challenge.seed}:{secret}".encode()).digest()
    return int.from_bytes(digest[:4], "big") % 1_000_000_000


def load_part(
    challenge: Challenge, part: str, folder: str | Path, secret: str | None = None, progress: ProgressCallback = silent
) -> tuple[np.ndarray, np.ndarray]:
    """``(x, y)`` of one part of the hidden set: float model inputs and label indices in the challenge's order."""
    from tinymlkit.cache import cached_dataset

    seed = part_seed(challenge, part, secret)
    settings = {
        "challenge": challenge.name,
        "app": challenge.app,
        "data": challenge.data,
        "seed": seed,
        "examples": challenge.examples,
        "labels": list(challenge.labels),
        "version": VERSION,
    }
    root = cached_dataset(
        f"{challenge.name}-{part}", settings, lambda path: _build(challenge, seed, path, progress), base=Path(folder)
    )
    with np.load(root / "hidden.npz") as f:
        return f["x"], f["y"]


def make_examples(
    challenge: Challenge, seed: int, progress: ProgressCallback = silent
) -> tuple[np.ndarray, np.ndarray]:
    """Synthesize the application's data with ``seed`` and compute the device's features for every split (no
    augmentation), then draw ``challenge.examples`` of them balanced over the labels."""
    from tinymlkit.apps import recipes

    recipe = recipes()[challenge.app]
    config = recipe.config(seed=seed)
    overrides = {}
    for key, value in challenge.data.items():
        current = getattr(config, key, None)
        if isinstance(value, dict) and dataclasses.is_dataclass(current):
            value = dataclasses.replace(current, **value)  # e.g. augment = { copies = 0 }
        overrides[key] = value
    config = recipe.config(config, **overrides)
    data, _ = recipe.load_data(config, progress)
    if list(data.labels) != list(challenge.labels):
        raise TinyMLError(
            f"challenge {challenge.name}: the {challenge.app} data has labels {data.labels}, not "
            f"{list(challenge.labels)}; fix the challenge's labels or data settings"
        )
    features = recipe.features(data, config, progress)
    x = np.concatenate([np.asarray(features[s][0], dtype=np.float32) for s in SPLITS])
    y = np.concatenate([np.asarray(features[s][1], dtype=np.int64) for s in SPLITS])
    x = x.reshape(len(x), *challenge.input.shapes[0][1:])
    rng = np.random.default_rng(seed)
    per_label = max(1, challenge.examples // len(challenge.labels))
    chosen = []
    for label in range(len(challenge.labels)):
        where = np.flatnonzero(y == label)
        chosen.append(rng.permutation(where)[:per_label])
    order = rng.permutation(np.concatenate(chosen))
    if len(order) == 0:
        raise TinyMLError(f"challenge {challenge.name}: the synthesizer made no examples; raise the data settings")
    return x[order], y[order]


def _build(challenge: Challenge, seed: int, root: Path, progress: ProgressCallback) -> None:
    from tinymlkit.fileio import building_dir

    x, y = make_examples(challenge, seed, progress)
    with building_dir(root) as tmp:
        np.savez(tmp / "hidden.npz", x=x, y=y)
