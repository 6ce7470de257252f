"""Stable train/validation/test assignment by group (speaker, voice, subject).

A group's split depends only on its own name (a SHA-1 hash, as in the Speech Commands recipe), so one speaker
never lands in two splits and no file changes split when others are added.
"""

import hashlib

SPLITS = ("train", "validation", "test")
_MAX_BUCKET = 2**27 - 1


def split_of(group: str, validation_percent: float = 10.0, test_percent: float = 10.0) -> str:
    """The split of every example of ``group``: a stable function of the group name alone."""
    digest = hashlib.sha1(group.encode("utf-8")).hexdigest()
    percent = (int(digest, 16) % (_MAX_BUCKET + 1)) * (100.0 / _MAX_BUCKET)
    if percent < validation_percent:
        return "validation"
    if percent < validation_percent + test_percent:
        return "test"
    return "train"


def assigned_split(
    rel: str, lists: dict[str, set[str]], group: str, validation_percent: float = 10.0, test_percent: float = 10.0
) -> str:
    """The split of file ``rel``: from the ``validation``/``test`` path lists when there are any (files in neither
    are training files), else :func:`split_of` its group."""
    if lists.get("validation") or lists.get("test"):
        return "validation" if rel in lists["validation"] else "test" if rel in lists["test"] else "train"
    return split_of(group, validation_percent, test_percent)


def speaker_of(filename: str) -> str:
    """The speaker part of a Speech Commands file name: everything before ``_nohash_`` (or the stem)."""
    stem = filename.rsplit("/", 1)[-1].rsplit(".", 1)[0]
    return stem.split("_nohash_", 1)[0]
