"""Media installed on this machine that the built-in data sets borrow from: photos without people, music.

Nothing is downloaded. A collection is the folders (or single files) named in an environment variable, separated
by ``os.pathsep``, or by default where a Debian package puts them; those that do not exist are skipped, so a
machine without the package simply has an empty collection. The built-in data differ with and without the media,
so a collection's :func:`fingerprint` (file names and sizes) goes into their cache key.
"""

import hashlib
import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Installed:
    """A collection: ``env`` names the variable that overrides the ``defaults``; the files of those folders (not
    of their sub-folders) ending in one of ``suffixes`` (any case) are its members."""

    env: str
    defaults: tuple[str, ...]
    suffixes: tuple[str, ...]

    def sources(self) -> list[Path]:
        """The folders and files given (the variable, else the defaults) that exist."""
        given = os.environ.get(self.env)
        paths = [Path(p) for p in (given.split(os.pathsep) if given else self.defaults) if p]
        return [p for p in paths if p.is_dir() or p.is_file()]

    def files(self) -> list[Path]:
        """The member files, sorted; empty files (such as placeholder links) are left out."""
        found = set()
        for source in self.sources():
            for f in source.iterdir() if source.is_dir() else [source]:
                if f.suffix.lower() in self.suffixes and f.is_file() and f.stat().st_size > 0:
                    found.add(f)
        return sorted(found)


def fingerprint(files: Sequence[Path]) -> str:
    """A short fingerprint of ``files`` (names and sizes), "" for none: for the cache key of data made with them."""
    if not files:
        return ""
    text = "\n".join(f"{Path(f).name}:{Path(f).stat().st_size}" for f in sorted(files, key=str))
    return hashlib.sha256(text.encode()).hexdigest()[:12]
