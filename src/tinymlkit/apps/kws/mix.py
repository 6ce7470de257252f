"""Your own keyword clips mixed with the built-in voices: the course's way to a keyword model for your voice.

A folder of your recordings (``tinyml record kws``: ``<word>/<you>_nohash_<n>.wav``) teaches the keywords in
one or two voices, and few or no other words and silence. Mixed with the built-in data set of the same words, a
run learns other voices, ``unknown`` and ``silence`` from the built-in voices and noise too, your training clips
repeated until they make :data:`OWN_SHARE` of each keyword's training clips.

One speaker is one group, so your clips are split by clip, not by speaker: a quarter of them
are held out. Those are kept out of the run's test split (built-in voices only, as without your clips) and
measured on their own, as the report's real-world section.
"""

from pathlib import Path

import numpy as np

from tinymlkit.apps.kws.data import SILENCE, UNKNOWN
from tinymlkit.data.dataset import Dataset
from tinymlkit.data.split import speaker_of
from tinymlkit.errors import TinyMLError

FEW_SPEAKERS = 3
"""A folder whose keywords have fewer speakers than this is mixed by default."""
OWN_SHARE = 0.3
"""Your clips' share of each keyword's training clips (by repetition; augmentation then varies each copy)."""
OWN_SPLIT = {"validation_percent": 10.0, "test_percent": 25.0}
"""How your clips are split (by clip): a quarter held out for the report's measure of your voice."""
SOURCE = "source"  # the metadata column saying whose clip each is
YOURS, BUILT_IN = "yours", "built-in"


def should_mix(mix: bool | None, root: Path, words: list[str]) -> bool:
    """``mix`` as given, or, by default, whether folder ``root``'s keywords are spoken by fewer than
    :data:`FEW_SPEAKERS` speakers: a recording session, too few voices to learn from alone."""
    if mix is not None:
        return mix
    speakers = {
        speaker_of(f.name) for w in words if (root / w).is_dir() for f in (root / w).iterdir() if f.suffix == ".wav"
    }
    return 0 < len(speakers) < FEW_SPEAKERS


def mixed(own: Dataset, builtin: Dataset, share: float = OWN_SHARE) -> tuple[Dataset, Dataset, int]:
    """The training set of ``own`` clips and the ``builtin`` set (same labels), your held-out test clips, and how
    many times each of your keyword training clips is repeated (your other clips, if any, count once)."""
    if list(own.labels) != list(builtin.labels):
        raise ValueError("own and built-in clips must have the same labels")
    keywords = [i for i, label in enumerate(own.labels) if label not in (SILENCE, UNKNOWN)]
    is_keyword = np.isin(own.y, keywords)
    train = (own.split == "train") & is_keyword
    if not np.any(train):
        raise TinyMLError("none of your keyword clips is left for training; record more clips per word (at least 5)")
    built_train = np.sum((builtin.split == "train") & np.isin(builtin.y, keywords))
    repeats = max(1, int(round(share / (1 - share) * built_train / np.sum(train))))
    once = np.flatnonzero((own.split != "test") & ~train)
    yours = own.take(np.concatenate([np.repeat(np.flatnonzero(train), repeats), once]))
    yours_test = own.take(own.split == "test")
    return concatenate(tagged(yours, YOURS), tagged(builtin, BUILT_IN)), tagged(yours_test, YOURS), repeats


def tagged(data: Dataset, source: str) -> Dataset:
    """``data`` with a metadata column saying whose clips they are."""
    out = data.take(np.arange(len(data)))
    out.meta = {**data.meta, SOURCE: np.array([source] * len(data), dtype=object)}
    return out


def concatenate(a: Dataset, b: Dataset) -> Dataset:
    """The examples of ``a`` then ``b`` (same labels); metadata columns of either, blank where one has none;
    both sets' notes and background noise."""
    columns = sorted(set(a.meta) | set(b.meta))

    def noise(d: Dataset) -> list:
        return list(d.extras.get("background_noise", []))

    def column(d: Dataset, c: str) -> np.ndarray:
        return d.meta.get(c, np.array([""] * len(d), dtype=object))

    return Dataset(
        x=np.concatenate([a.x, b.x]),
        y=np.concatenate([a.y, b.y]),
        labels=list(a.labels),
        split=np.concatenate([a.split, b.split]),
        group=np.concatenate([a.group, b.group]),
        meta={c: np.concatenate([column(a, c), column(b, c)]) for c in columns},
        notes={**b.notes, **a.notes},
        extras={**a.extras, **b.extras, "background_noise": noise(a) + noise(b)},
    )
