"""Run folders: every run writes its artifacts to ``runs/<app>-<time>/``, built under a temporary name."""

import contextlib
import os
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

from tinymlkit.errors import TinyMLError
from tinymlkit.fileio import check_writable_folder


def new_run_path(app: str, root: str | Path = "runs") -> Path:
    """Reserve a fresh folder ``<root>/<app>-<YYYYmmdd-HHMMSS>`` (suffixed ``-2``, ``-3``... if taken) and return it.

    The folder is created empty here, atomically, so two runs started in the same second never get the same
    one; the run's results replace the empty folder when they are complete. Checked before any slow work: a
    ``root`` that cannot be written is refused with one line.
    """
    root = Path(root)
    if os.path.lexists(root) and not root.is_dir():
        raise TinyMLError(f"--runs {root} is a file; give a folder for the run folders")
    check_writable_folder(root)
    root.mkdir(parents=True, exist_ok=True)
    stem = f"{app}-{datetime.now():%Y%m%d-%H%M%S}"
    path, n = root / stem, 2
    while True:
        try:
            path.mkdir()
            return path
        except FileExistsError:
            path, n = root / f"{stem}-{n}", n + 1


@contextlib.contextmanager
def releasing(path: Path) -> Iterator[None]:
    """Remove the reserved run folder ``path`` if the block fails while it is still empty."""
    try:
        yield
    except BaseException:
        with contextlib.suppress(OSError):
            path.rmdir()  # only succeeds while empty
        raise
