"""Your own examples mixed with the built-in ones: the course's way to a model for your voice or your hand.

A folder you recorded (``tinyml record kws|imu``: ``<label>/<you>_nohash_<n>.<ext>``) holds one or two
people: too few to learn other people from, and often without the examples a model needs besides (other words,
silence). Mixed with the application's built-in data set of the same labels, a run learns those from the built-in
examples and your labels from both, your training examples repeated until they make :data:`OWN_SHARE` of their
label's training examples (augmentation then varies each copy).

One person is one group, so your examples are split by example, not by person (:func:`split_by_example`): a
quarter of them are held out. They are kept out of the run's test split (built-in examples only, as without
yours) and measured on their own, as the report's real-world section.
"""

from pathlib import Path

import numpy as np

from tinymlkit.data.dataset import Dataset
from tinymlkit.data.split import speaker_of, split_of
from tinymlkit.errors import TinyMLError

FEW_PEOPLE = 3
"""A folder whose examples come from fewer people than this is mixed by default."""
OWN_SHARE = 0.3
"""Your examples' share of their label's training examples (by repetition)."""
OWN_SPLIT = (10.0, 25.0)
"""Validation and test percent of your examples: a quarter held out for the report's measure of you."""
SOURCE, YOURS, BUILT_IN = "source", "yours", "built-in"  # the metadata column saying whose each example is


def check_mix(mix: bool | None, data: str | None) -> None:
    """Mixing needs a folder of your own examples."""
    if mix and not data:
        raise TinyMLError("--mix mixes your examples with the built-in ones: give your folder with --data DIR")


def should_mix(mix: bool | None, root: str | Path, labels: list[str] | None, suffixes: tuple[str, ...]) -> bool:
    """``mix`` as given, or, by default, whether the files with one of ``suffixes`` in ``root``'s label folders
    (``labels``, or all) come from fewer than :data:`FEW_PEOPLE` people (a recording session); no folder (or a
    single file): no."""
    if mix is not None:
        return mix
    root = Path(root)
    if not root.is_dir():
        return False
    folders = [root / label for label in labels] if labels else [p for p in root.iterdir() if p.name[0] not in "._"]
    people = {speaker_of(f.name) for d in folders if d.is_dir() for f in d.iterdir() if f.suffix.lower() in suffixes}
    return 0 < len(people) < FEW_PEOPLE


def split_by_example(data: Dataset) -> Dataset:
    """``data`` with each example that has a path split by a stable hash of that path (:data:`OWN_SPLIT`)."""
    out = data.take(np.arange(len(data)))
    paths = data.meta.get("path", np.array([""] * len(data), dtype=object))
    out.split = np.array([split_of(p, *OWN_SPLIT) if p else s for p, s in zip(paths, data.split, strict=True)], object)
    return out


def mixed(
    own: Dataset, builtin: Dataset, weighted: list[int], share: float = OWN_SHARE
) -> tuple[Dataset, Dataset, int]:
    """``own`` examples (split by :func:`split_by_example`) and the ``builtin`` set (same labels) as one training
    set, your held-out examples, and how many times each of your training examples of the ``weighted`` labels is
    repeated (your other examples, if any, count once)."""
    if list(own.labels) != list(builtin.labels):
        raise TinyMLError(
            f"your labels ({', '.join(own.labels)}) are not the built-in data's ({', '.join(builtin.labels)}); "
            "train on your folder alone with --no-mix"
        )
    own = split_by_example(own)
    # Only the weighted labels you have examples of set the share: a label you did not record leaves the others'.
    weighted = [label for label in weighted if np.any((own.split == "train") & (own.y == label))]
    train = (own.split == "train") & np.isin(own.y, weighted)
    if not np.any(train):
        raise TinyMLError("none of your examples is left for training; record more of each (at least 5)")
    built_train = np.sum((builtin.split == "train") & np.isin(builtin.y, weighted))
    repeats = max(1, int(round(share / (1 - share) * built_train / np.sum(train))))
    once = np.flatnonzero((own.split != "test") & ~train)
    yours = own.take(np.concatenate([np.repeat(np.flatnonzero(train), repeats), once]))
    return concatenate(tagged(yours, YOURS), tagged(builtin, BUILT_IN)), tagged(own.part("test"), YOURS), repeats


def tagged(data: Dataset, source: str) -> Dataset:
    """``data`` with a metadata column saying whose examples they are."""
    out = data.take(np.arange(len(data)))
    out.meta = {**data.meta, SOURCE: np.array([source] * len(data), dtype=object)}
    return out


def concatenate(a: Dataset, b: Dataset) -> Dataset:
    """The examples of ``a`` then ``b`` (same labels); metadata columns of either, blank where one has none;
    both sets' notes, extras and background noise."""
    columns = sorted(set(a.meta) | set(b.meta))

    def column(d: Dataset, c: str) -> np.ndarray:
        return d.meta.get(c, np.array([""] * len(d), dtype=object))

    def noise(d: Dataset) -> list:
        return list(d.extras.get("background_noise", []))

    x = np.empty(len(a) + len(b), dtype=object) if a.x.dtype == object or b.x.dtype == object else None
    if x is not None:  # variable-length examples (IMU recordings): an object array of arrays
        x[: len(a)], x[len(a) :] = list(a.x), list(b.x)
    return Dataset(
        x=x if x is not None else np.concatenate([a.x, b.x]),
        y=np.concatenate([a.y, b.y]),
        labels=list(a.labels),
        split=np.concatenate([a.split, b.split]),
        group=np.concatenate([a.group, b.group]),
        meta={c: np.concatenate([column(a, c), column(b, c)]) for c in columns},
        notes={**b.notes, **a.notes},
        extras={**a.extras, **b.extras, "background_noise": noise(a) + noise(b)},
    )
