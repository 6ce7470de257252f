"""Writing files and folders so that a failure never leaves a half-written artifact and never touches a file
the toolkit did not write.

Three rules, kept here so every command follows them:

- **Atomic**: a file or folder is built under a hidden temporary sibling ``.NAME.<pid>-<random>.part`` and
  renamed into place when complete. Leftovers of a killed run (their process is gone) are removed by the next
  write to the same place.
- **Only ordinary targets**: an output that is a symbolic link, a device, a FIFO or a socket is refused; so is a
  folder where a file is expected and the other way round.
- **Ownership**: a folder a command writes holds a marker file (:data:`MARKER`) that lists every file the
  command wrote with its size and SHA-256. A folder is replaced only when everything in it is listed there and
  unchanged; anything else (the user's own files, files edited since) is refused unless ``force`` is given, and
  even then those files are kept: ``force`` only lets the command write its files beside them.
"""

import contextlib
import hashlib
import json
import os
import re
import shutil
import stat
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from tinymlkit.errors import TinyMLError

MARKER = ".tinyml-output.json"  # in every folder a command wrote: what it wrote, so it knows what is its own
_PART = re.compile(r"^(?:(?P<pid>\d+)-)?[^.]*\.part$")


# --------------------------------------------------------------------------------------------------- single files


def read_user_text(path: str | Path, encoding: str = "utf-8") -> str:
    """The text of a file the user gave (a list, labels, JSON), or one line naming it when it is not UTF-8 text."""
    path = Path(path)
    try:
        return path.read_text(encoding=encoding)
    except UnicodeDecodeError as exc:
        raise TinyMLError(f"{path} is not UTF-8 text (byte {exc.start}); save it as UTF-8") from None
    except IsADirectoryError:
        raise TinyMLError(f"{path} is a folder; give a text file") from None


def check_output_file(path: str | Path) -> Path:
    """Refuse an output file path that is not (or could not become) an ordinary file; call before slow work.

    An existing regular file may be replaced (the user named it as the output); a link, a folder or a special
    file (device, FIFO, socket) may not. The folder that will hold it must be creatable and writable.
    """
    path = Path(path)
    with contextlib.suppress(FileNotFoundError, NotADirectoryError):
        mode = os.lstat(path).st_mode
        if stat.S_ISLNK(mode):
            raise TinyMLError(f"{path} is a symbolic link; tinyml does not write through links: give the real path")
        if stat.S_ISDIR(mode):
            raise TinyMLError(f"{path} is a folder; give a file name for the output")
        if not stat.S_ISREG(mode):
            raise TinyMLError(f"{path} is a special file (device, FIFO or socket); give an ordinary file name")
    check_writable_folder(path.parent)
    return path


def check_writable_folder(folder: str | Path) -> None:
    """Refuse when ``folder`` cannot be created or written (tried for real: a read-only mount or ``/proc`` lies
    to permission checks)."""
    folder = Path(folder)
    existing = folder
    while not os.path.lexists(existing) and existing != existing.parent:
        existing = existing.parent
    if not existing.is_dir():
        raise TinyMLError(f"{existing} is not a folder, so {folder} cannot be created; give another output path")
    try:
        remove_stale_parts(existing, "tinyml-probe")
        fd, probe = tempfile.mkstemp(dir=existing, prefix=f".tinyml-probe.{os.getpid()}-", suffix=".part")
        os.close(fd)
        os.unlink(probe)
    except OSError as exc:
        raise TinyMLError(
            f"cannot write into {existing} ({exc.strerror or exc}); choose a writable output folder"
        ) from None


def write_bytes(path: str | Path, data: bytes) -> Path:
    """Write ``data`` to ``path`` through a temporary file in the same folder, then rename it into place."""
    path = check_output_file(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    remove_stale_parts(path.parent, path.name)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.{os.getpid()}-", suffix=".part")
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        os.chmod(tmp, 0o666 & ~_umask())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    return path


def write_text(path: str | Path, text: str) -> Path:
    """Write UTF-8 ``text`` atomically (see :func:`write_bytes`)."""
    return write_bytes(path, text.encode("utf-8"))


def write_json(path: str | Path, obj: Any) -> Path:
    """Write ``obj`` as indented JSON atomically; dataclasses and NumPy values are converted."""
    return write_text(path, json.dumps(to_jsonable(obj), indent=2) + "\n")


def to_jsonable(obj: Any) -> Any:
    """Turn dataclasses, paths, NumPy scalars and arrays into plain JSON values (dataclass fields with
    ``metadata={"json": False}`` are left out)."""
    import dataclasses

    import numpy as np

    if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        fields = [f for f in dataclasses.fields(obj) if f.metadata.get("json", True)]
        return {f.name: to_jsonable(getattr(obj, f.name)) for f in fields}
    if isinstance(obj, dict):
        return {str(k): to_jsonable(v) for k, v in obj.items()}
    if isinstance(obj, list | tuple):
        return [to_jsonable(v) for v in obj]
    if isinstance(obj, Path):
        return str(obj)
    if isinstance(obj, np.ndarray):
        return to_jsonable(obj.tolist())
    if isinstance(obj, np.generic):
        return to_jsonable(obj.item())
    if isinstance(obj, float) and obj != obj:  # NaN is not JSON
        return None
    return obj


# --------------------------------------------------------------------------------------- leftovers of killed runs


def remove_stale_parts(folder: str | Path, name: str) -> list[Path]:
    """Remove ``folder/.NAME.*.part`` leftovers whose writing process no longer runs; return what was removed."""
    folder, removed = Path(folder), []
    prefix = f".{name}."
    try:
        candidates = [p for p in folder.iterdir() if p.name.startswith(prefix) and p.name.endswith(".part")]
    except OSError:
        return removed
    for p in candidates:
        m = _PART.match(p.name[len(prefix) :])
        if m is None or (m["pid"] and _alive(int(m["pid"]))):
            continue
        if p.is_dir() and not p.is_symlink():
            shutil.rmtree(p, ignore_errors=True)
        else:
            with contextlib.suppress(OSError):
                p.unlink()
        removed.append(p)
    return removed


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OverflowError):
        return True
    return True


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


# ------------------------------------------------------------------------------------------- owned output folders


def file_digest(path: str | Path) -> str:
    """SHA-256 of a file's bytes, as hex."""
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def _files(root: Path) -> list[str]:
    """Every non-folder entry under ``root`` (links not followed), as POSIX relative paths, marker excluded."""
    out = []
    for dirpath, dirnames, filenames in os.walk(root):
        base = Path(dirpath)
        for d in list(dirnames):
            if (base / d).is_symlink():
                filenames.append(d)
                dirnames.remove(d)
        for f in filenames:
            rel = (base / f).relative_to(root).as_posix()
            if rel != MARKER:
                out.append(rel)
    return sorted(out)


def read_marker(folder: str | Path) -> dict | None:
    """The ownership record of ``folder`` (None when there is none or it is unreadable)."""
    try:
        data = json.loads((Path(folder) / MARKER).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(data, dict) or not isinstance(data.get("files"), dict):
        return None
    return data


def _record(p: Path) -> dict:
    """What the marker keeps of one written entry: a link's target, or a file's size and SHA-256."""
    if p.is_symlink():
        return {"link": os.readlink(p)}
    return {"size": p.stat().st_size, "sha256": file_digest(p)}


def _owned(folder: Path, marker: dict | None, rel: str) -> bool:
    """Whether ``folder/rel`` is a file the toolkit wrote and nobody changed since."""
    if marker is None:
        return False
    entry = marker["files"].get(rel)
    p = folder / rel
    if isinstance(entry, dict) and "link" in entry:
        return p.is_symlink() and os.readlink(p) == entry["link"]
    if not isinstance(entry, dict) or p.is_symlink() or not p.is_file():
        return False
    try:
        return p.stat().st_size == entry.get("size") and file_digest(p) == entry.get("sha256")
    except OSError:
        return False


def foreign_files(folder: str | Path) -> list[str]:
    """Files in ``folder`` the toolkit did not write there (or that were changed since it did)."""
    folder = Path(folder)
    marker = read_marker(folder)
    return [rel for rel in _files(folder) if not _owned(folder, marker, rel)]


def verify_folder(folder: str | Path) -> bool:
    """True when ``folder`` holds exactly the complete, unchanged set of files its marker lists (count and
    checksums): what the cache checks before it trusts a data set it built earlier."""
    folder = Path(folder)
    marker = read_marker(folder)
    if marker is None or not marker.get("complete"):
        return False
    listed = sorted(marker["files"])
    present = _files(folder)
    if any(rel not in present for rel in listed):
        return False
    return all(_owned(folder, marker, rel) for rel in listed)


def check_output_dir(final: str | Path, force: bool = False) -> Path:
    """Refuse an output folder the command may not write; call before slow work (``building_dir`` calls it too).

    Allowed: a new path, an empty folder, or a folder whose files were all written by the toolkit and are
    unchanged. With ``force``, also a folder holding other files (they are kept, never replaced).
    """
    final = Path(final)
    with contextlib.suppress(FileNotFoundError, NotADirectoryError):
        mode = os.lstat(final).st_mode
        if stat.S_ISLNK(mode):
            raise TinyMLError(f"{final} is a symbolic link; tinyml does not write through links: give the real folder")
        if not stat.S_ISDIR(mode):
            raise TinyMLError(f"{final} is a file, not a folder; give a new folder for the output")
        if not force:
            foreign = foreign_files(final)
            if foreign:
                more = f" and {len(foreign) - 1} more" if len(foreign) > 1 else ""
                raise TinyMLError(
                    f"{final} holds files tinyml did not write ({foreign[0]}{more}); give a new or "
                    "empty folder, or pass --force to write beside them (they are kept)"
                )
    check_writable_folder(final.parent)
    return final


def _write_marker(folder: Path, files: dict[str, dict], complete: bool) -> None:
    write_json(folder / MARKER, {"made_by": "tinymlkit", "complete": complete, "count": len(files), "files": files})


@contextlib.contextmanager
def building_dir(final: str | Path, force: bool = False) -> Iterator[Path]:
    """Build a folder under a temporary name and move it to ``final`` only when the block succeeds.

    On an exception the partial folder is removed, so ``final`` either holds a complete result or is as it
    was. ``final`` must pass :func:`check_output_dir`: a folder of the toolkit's own earlier output is
    replaced; with ``force`` the new files go beside the user's files, which are never replaced or deleted.
    """
    final = check_output_dir(final, force)
    final.parent.mkdir(parents=True, exist_ok=True)
    remove_stale_parts(final.parent, final.name)
    tmp = Path(tempfile.mkdtemp(dir=final.parent, prefix=f".{final.name}.{os.getpid()}-", suffix=".part"))
    try:
        yield tmp
        written = {rel: _record(tmp / rel) for rel in _files(tmp)}
        _write_marker(tmp, written, complete=True)
        _commit(tmp, final, written)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise


def _commit(tmp: Path, final: Path, written: dict[str, dict]) -> None:
    if not os.path.lexists(final) or (final.is_dir() and not any(final.iterdir())):
        os.replace(tmp, final)  # atomic, also onto an empty folder (a reserved run folder)
        return
    foreign = set(foreign_files(final))
    if not foreign:  # all ours: swap the folders, then drop the old one
        old = Path(tempfile.mkdtemp(dir=final.parent, prefix=f".{final.name}.{os.getpid()}-", suffix=".part"))
        os.replace(final, old)  # (an empty ``old`` folder is replaced by the rename)
        os.replace(tmp, final)
        shutil.rmtree(old, ignore_errors=True)
        return
    clash = sorted(foreign & set(written))
    if clash:
        raise TinyMLError(
            f"{final / clash[0]} was not written by tinyml (or was edited since); move it away or "
            "choose another folder: --force never replaces such files"
        )
    # ``force`` with the user's files present: replace only our own files, one by one, marked incomplete meanwhile
    old_marker = read_marker(final) or {"files": {}}
    _write_marker(final, {**old_marker["files"], **written}, complete=False)
    for rel in old_marker["files"]:
        if rel not in written and rel not in foreign:
            with contextlib.suppress(OSError):
                (final / rel).unlink()
    for rel in written:
        (final / rel).parent.mkdir(parents=True, exist_ok=True)
        os.replace(tmp / rel, final / rel)
    _write_marker(final, written, complete=True)
    shutil.rmtree(tmp, ignore_errors=True)
