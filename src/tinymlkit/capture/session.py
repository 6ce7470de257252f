"""Recording sessions that add examples to a data set on disk, one checked take at a time.

A session records ``count`` examples of one label. Each *take* is recorded, checked (problems such as "no
speech heard" or "the board hardly moved" block it), reviewed (kept, redone or the session quit: by the user
in the CLI, automatically in scripts) and, if kept, saved at once: the file atomically, then its row in
``<root>/metadata.csv``. Whatever stops a session (a disconnect, Ctrl-C, an exhausted WAV microphone) leaves
every kept example complete on disk and nothing of the unfinished take.

File names follow the Speech Commands convention ``<root>/<label>/<name>_nohash_<n>.<ext>``, where ``name`` is
the speaker or subject: the loaders split data by that name, so one person never straddles train and test.
"""

import csv
import io
import os
import re
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from tinymlkit.errors import TinyMLError
from tinymlkit.fileio import write_text

_LABEL = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]{0,39}")
_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9.-]{0,39}")
KEEP, REDO, QUIT = "keep", "redo", "quit"


class TakeFailed(TinyMLError):
    """One take arrived unusable (damaged samples, a stalled board): the session records it again."""


class MicrophoneExhausted(TinyMLError):
    """A file-backed microphone has no audio left: the session ends with what it kept."""


def check_label(label: str) -> str:
    """``label`` if it can be a folder name of a data set (letters, digits, ``-``, ``_``), else a one-line error."""
    if not _LABEL.fullmatch(label or ""):
        raise TinyMLError(
            f"invalid label '{label}': use letters, digits, '-' and '_' (up to 40, not starting with '_' or '.')"
        )
    return label


def check_name(name: str, option: str) -> str:
    """A speaker or subject name for file names (no ``_``, so ``<name>_nohash_<n>`` stays unambiguous)."""
    if not name:
        raise TinyMLError(f"give {option} NAME: examples are split into train/validation/test by this name")
    if not _NAME.fullmatch(name):
        raise TinyMLError(f"invalid {option} '{name}': use letters, digits, '-' and '.' (no spaces or '_')")
    return name


def writable_folder(folder: Path) -> Path:
    """Create ``folder`` if needed and check that files can be written there (a one-line error otherwise)."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
        fd, probe = tempfile.mkstemp(dir=folder, prefix=".write-test.")
        os.close(fd)
        os.unlink(probe)
    except OSError as exc:
        reason = exc.strerror or type(exc).__name__
        raise TinyMLError(f"cannot write to {folder} ({reason}); choose another --data folder") from None
    return folder


def next_index(folder: Path, name: str, suffix: str) -> int:
    """The first free ``n`` after the existing ``<name>_nohash_<n><suffix>`` files in ``folder``."""
    pattern = re.compile(re.escape(name) + r"_nohash_(\d+)" + re.escape(suffix) + "$")
    used = [int(m.group(1)) for p in folder.glob(f"{name}_nohash_*{suffix}") if (m := pattern.match(p.name))]
    return max(used, default=-1) + 1


def update_metadata(root: Path, rows: list[dict[str, Any]]) -> Path:
    """Add (or replace, by ``path``) rows of ``<root>/metadata.csv``, keeping its other rows and columns."""
    path = root / "metadata.csv"
    columns: list[str] = ["path"]
    existing: dict[str, dict[str, str]] = {}
    if path.is_file():
        try:
            with path.open(newline="", encoding="utf-8") as f:
                reader = csv.DictReader(f)
                columns = list(reader.fieldnames or ["path"])
                if "path" not in columns:
                    raise KeyError("path")
                existing = {row["path"]: row for row in reader}
        except (KeyError, csv.Error, UnicodeDecodeError):
            raise TinyMLError(f"{path} is not a CSV file with a 'path' column; fix or move it away") from None
    for row in rows:
        columns += [c for c in row if c not in columns]
        existing[str(row["path"])] = {k: "" if v is None else str(v) for k, v in row.items()}
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=columns, restval="", lineterminator="\n")
    writer.writeheader()
    writer.writerows(existing.values())
    return write_text(path, out.getvalue())


def split_counts(root: Path, suffix: str) -> tuple[dict[str, dict[str, int]], dict[str, int]]:
    """Files per label folder and split (as the loaders split them: by a hash of the speaker or subject name),
    and the number of different names per label."""
    from tinymlkit.data.split import SPLITS, speaker_of, split_of

    counts: dict[str, dict[str, int]] = {}
    names: dict[str, int] = {}
    for folder in sorted(p for p in root.iterdir() if p.is_dir() and not p.name.startswith((".", "_"))):
        files = [p.name for p in folder.iterdir() if p.suffix.lower() == suffix]
        if files:
            counts[folder.name] = {s: 0 for s in SPLITS}
            for name in files:
                counts[folder.name][split_of(speaker_of(name))] += 1
            names[folder.name] = len({speaker_of(n) for n in files})
    return counts, names


def now_utc() -> str:
    """The current time as ISO 8601 UTC seconds (saved with each example)."""
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


@dataclass
class Take:
    """One recorded attempt at example ``number`` (1-based) of a session."""

    number: int
    attempt: int
    data: Any  # what would be saved (a 1 s clip, an IMU table)
    raw: Any = None  # what was recorded, before trimming
    problems: list[str] = field(default_factory=list)  # reasons not to keep it
    notes: list[str] = field(default_factory=list)  # warnings that do not block it
    info: dict[str, Any] = field(default_factory=dict)  # values for its metadata row


Review = Callable[[Take], str]


def auto_review(take: Take) -> str:
    """Keep a take without problems, redo the others (the non-interactive review)."""
    return REDO if take.problems else KEEP


@dataclass
class SessionResult:
    """What a session saved (paths relative to the data set root) and what it threw away."""

    saved: list[str] = field(default_factory=list)
    rejected: int = 0
    stopped: str = ""  # why the session ended before ``count`` examples, if it did


def run_session(
    count: int,
    take: Callable[[int, int], Take],
    save: Callable[[Take], str],
    review: Review = auto_review,
    before_take: Callable[[int, int], None] | None = None,
    max_failures: int = 5,
    where: str = "",
) -> SessionResult:
    """Record until ``count`` takes are kept; see the module docstring. ``take(number, attempt)`` records one."""
    if count < 1:
        raise TinyMLError(f"--count must be at least 1 (got {count})")
    result = SessionResult()
    failures, attempt = 0, 1
    while len(result.saved) < count:
        number = len(result.saved) + 1
        if before_take is not None:
            before_take(number, count)
        try:
            current = take(number, attempt)
        except MicrophoneExhausted as exc:
            result.stopped = str(exc)
            return result
        except TakeFailed as exc:  # the source is still there: record that take again
            current = Take(number, attempt, None, problems=[str(exc)])
        except TinyMLError as exc:  # a disconnect or another lasting problem ends the session
            kept = len(result.saved)
            raise type(exc)(
                f"{exc}; {kept} recording{'s' if kept != 1 else ''} of this session {'are' if kept != 1 else 'is'} "
                f"saved{f' in {where}' if where else ''} (the unfinished one was discarded): fix that and run the "
                "command again for the rest"
            ) from None
        decision = review(current) if current.data is not None else REDO
        if decision == KEEP:
            result.saved.append(save(current))
            failures, attempt = 0, 1
        elif decision == QUIT:
            result.stopped = "stopped on request"
            return result
        else:
            result.rejected += 1
            attempt += 1
            if current.problems:
                failures += 1
                if failures >= max_failures:
                    raise TinyMLError(
                        f"{failures} takes in a row had problems (last: {current.problems[0]}); "
                        f"{len(result.saved)} saved so far: fix the setup and run the command again"
                    )
    return result


class ExampleSession:
    """A session that saves each kept take as ``<root>/<label>/<name>_nohash_<n><suffix>`` with its row in
    ``<root>/metadata.csv``: path, label, the name (its column is ``option`` without the dashes: speaker,
    subject), the recorder's fixed columns, the take's ``info`` and recorded_at.

    Made before the recorder opens its source, so that a bad label or name is a one-line error at once; the
    recorders of :mod:`tinymlkit.capture.kws` and :mod:`tinymlkit.capture.imu` differ only in their takes.
    """

    def __init__(self, root: str | Path, label: str, name: str, option: str, suffix: str) -> None:
        self.root, self.suffix = Path(root), suffix
        self.label, self.name = check_label(label), check_name(name, option)
        self.column = option.lstrip("-")

    def run(
        self,
        count: int,
        take: Callable[[int, int], Take],
        write: Callable[[Path, Any], object],
        columns: dict[str, Any],
        review: Review = auto_review,
        before_take: Callable[[int, int], None] | None = None,
    ) -> SessionResult:
        """Record with :func:`run_session`; ``write(path, data)`` saves a kept take's data."""
        root, label, name, suffix = self.root, self.label, self.name, self.suffix
        folder = writable_folder(root / label)

        def save(t: Take) -> str:
            rel = f"{label}/{name}_nohash_{next_index(folder, name, suffix)}{suffix}"
            write(root / rel, t.data)
            row = {"path": rel, "label": label, self.column: name, **columns, **t.info, "recorded_at": now_utc()}
            update_metadata(root, [row])
            return rel

        return run_session(count, take, save, review, before_take, where=str(root))
