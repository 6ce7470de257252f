"""Run folders: every run writes its artifacts to ``runs/<app>-<time>/``, built under a temporary name."""

from datetime import datetime
from pathlib import Path


def new_run_path(app: str, root: str | Path = "runs") -> Path:
    """A fresh, not yet existing folder path ``<root>/<app>-<YYYYmmdd-HHMMSS>`` (suffixed if taken)."""
    root = Path(root)
    stem = f"{app}-{datetime.now():%Y%m%d-%H%M%S}"
    path, n = root / stem, 2
    while path.exists():
        path, n = root / f"{stem}-{n}", n + 1
    return path
