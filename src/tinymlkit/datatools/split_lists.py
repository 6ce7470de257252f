"""Writing a data set folder's split lists (``validation_list.txt``, ``testing_list.txt``) from the stable,
group-wise split of :mod:`tinymlkit.data.split`."""

from dataclasses import dataclass
from pathlib import Path

from tinymlkit.data.split import SPLITS, split_of


def write_split_lists(
    root: str | Path,
    kind: str | None = None,
    validation_percent: float = 10.0,
    test_percent: float = 10.0,
    by: str | None = None,
    force: bool = False,
) -> "SplitResult":
    """Write ``validation_list.txt`` and ``testing_list.txt`` for the data set folder ``root``: each file's split
    is :func:`split_of` its group (the name before ``_nohash_``, or metadata column ``by``), so a file never
    changes split when others are added, and no group is in two splits. Returns the counts and how many files
    of the previous lists (held-out files) are now in another split. Lists that would move held-out files (made
    another way, or with other percentages) are only replaced with ``force``."""
    from tinymlkit.datatools.kinds import Entry, detect_kind, read_lists, scan
    from tinymlkit.errors import TinyMLError
    from tinymlkit.fileio import write_text

    for name, value in (("--validation", validation_percent), ("--test", test_percent)):
        if not 0 <= value < 100:
            raise TinyMLError(f"{name} {value:g} must be a percentage from 0 to below 100")
    if validation_percent + test_percent >= 100:
        raise TinyMLError("--validation plus --test must leave some files for training (below 100 %)")
    root = Path(root)
    data_kind = detect_kind(root, kind)
    before = read_lists(root)
    had_lists = bool(before["validation"] or before["test"])
    # scan without the old lists: the split is a function of the group alone
    entries = [
        Entry(e.path, e.label, split_of(e.group, validation_percent, test_percent), e.group)
        for e in scan(root, data_kind, validation_percent, test_percent, group_column=by)
    ]
    old = {p: s for s, paths in before.items() for p in paths}
    changed = sum(1 for e in entries if e.path in old and old[e.path] != e.split)
    if changed and not force:
        raise TinyMLError(
            f"the existing lists in {root} would move {changed} held-out files to another split "
            "(they were made another way or with other percentages); pass --force to replace them"
        )
    for split, name in (("validation", "validation_list.txt"), ("test", "testing_list.txt")):
        write_text(root / name, "".join(f"{e.path}\n" for e in entries if e.split == split))
    return SplitResult(
        root=str(root),
        counts={s: sum(1 for e in entries if e.split == s) for s in SPLITS},
        groups={s: len({e.group for e in entries if e.split == s}) for s in SPLITS},
        changed=changed,
        had_lists=had_lists,
    )


@dataclass
class SplitResult:
    """Files and groups per split after :func:`write_split_lists`; ``changed``: previously held-out files that
    moved to another split."""

    root: str
    counts: dict[str, int]
    groups: dict[str, int]
    changed: int
    had_lists: bool
