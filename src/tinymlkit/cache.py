"""Where built-in data sets are kept between runs: ``$TINYML_CACHE`` or ``~/.cache/tinymlkit``.

A cached set is trusted only when it is complete and unchanged: its ownership marker (see
:mod:`tinymlkit.fileio`) lists every file with its size and SHA-256, and :func:`cached_dataset` checks the
count and the checksums before use. A damaged set (a killed build, a truncated file) is rebuilt. Builds of the
same set by two processes at once are serialized by a lock file, so the second finds the first's result.
"""

import contextlib
import fcntl
import hashlib
import json
import os
import shutil
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path

from tinymlkit.errors import TinyMLError
from tinymlkit.fileio import verify_folder


def cache_dir() -> Path:
    """The cache root folder (not created)."""
    return Path(os.environ.get("TINYML_CACHE") or Path.home() / ".cache" / "tinymlkit")


def cached_path(kind: str, settings: dict, base: Path | None = None) -> Path:
    """A folder name under ``base`` (default: the cache's ``datasets``) unique to ``kind`` and its ``settings``."""
    digest = hashlib.sha1(json.dumps(settings, sort_keys=True).encode()).hexdigest()[:12]
    return (cache_dir() / "datasets" if base is None else Path(base)) / f"{kind}-{digest}"


def cached_dataset(kind: str, settings: dict, build: Callable[[Path], object], base: Path | None = None) -> Path:
    """The verified cache folder of ``kind`` with ``settings``; ``build(path)`` makes it when missing or damaged.

    ``build`` must write the complete folder at ``path`` through :func:`tinymlkit.fileio.building_dir` (which
    records what it wrote). ``base`` keeps the set somewhere else than the cache (the competition's hidden sets
    live in the platform's data folder). Raises :class:`TinyMLError` when the cache folder cannot be used.
    """
    root = cached_path(kind, settings, base)
    with _locked(root):
        if verify_folder(root):
            return root
        if os.path.lexists(root):  # damaged or left by an older version: the cache owns it, set it aside
            aside = Path(tempfile.mkdtemp(dir=root.parent, prefix=f".{root.name}.{os.getpid()}-", suffix=".part"))
            os.replace(root, aside)
            shutil.rmtree(aside, ignore_errors=True)
        build(root)
        if not verify_folder(root):
            raise TinyMLError(
                f"the built-in {kind} data in {root} did not verify after building; check the disk "
                "(space, errors) or set TINYML_CACHE to another folder"
            )
    return root


@contextlib.contextmanager
def _locked(root: Path) -> Iterator[None]:
    try:
        root.parent.mkdir(parents=True, exist_ok=True)
        handle = open(root.parent / f".{root.name}.lock", "a+b")  # noqa: SIM115 - held for the whole block
    except OSError as exc:
        raise TinyMLError(
            f"cannot use the cache folder {root.parent} ({exc.strerror or exc}); set TINYML_CACHE to a writable folder"
        ) from None
    with handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)
