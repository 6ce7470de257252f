"""Where built-in data sets are kept between runs: ``$TINYML_CACHE`` or ``~/.cache/tinymlkit``."""

import hashlib
import json
import os
from pathlib import Path


def cache_dir() -> Path:
    """The cache root folder (not created)."""
    return Path(os.environ.get("TINYML_CACHE") or Path.home() / ".cache" / "tinymlkit")


def cached_path(kind: str, settings: dict) -> Path:
    """A folder name under the cache that is unique to ``kind`` and the ``settings`` that produce it."""
    digest = hashlib.sha1(json.dumps(settings, sort_keys=True).encode()).hexdigest()[:12]
    return cache_dir() / "datasets" / f"{kind}-{digest}"
