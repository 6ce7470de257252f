"""Checking numbers at the edge: ranges live on the config dataclasses, as field metadata, so the CLI (which is
generated from the configs) and library callers get the same one-line errors before any slow work.

Declare a checked field with :func:`bounded` and call :func:`check_fields` from ``__post_init__``::

    @dataclass
    class SineConfig:
        samples: int = bounded(1000, 10, 1_000_000, why="more points only slow training")

        def __post_init__(self):
            check_fields(self)

A field's metadata holds ``min``/``max`` (inclusive, or ``above`` for an open lower bound), ``integer``,
``flag`` (how the user writes the option) and ``why`` (the reason for an upper bound, shown in the message).
"""

import dataclasses
import math
import numbers
from typing import Any

from tinymlkit.errors import TinyMLError

SEED_MAX = 2**32 - 1  # NumPy and Keras seeds are unsigned 32-bit
MAX_PIXELS = 50_000_000  # larger pictures (a 40000x40000 PNG) would need gigabytes just to be decoded


def bounded(default: Any, min: float | None = None, max: float | None = None, *, above: float | None = None,
            why: str = "", flag: str | None = None, optional: bool = False) -> Any:
    """A dataclass field whose value must be finite and within ``[min, max]`` (or ``> above``).

    ``optional`` allows ``None`` (meaning "the default"). Returns ``dataclasses.field(...)``.
    """
    meta = {"min": min, "max": max, "above": above, "why": why, "flag": flag, "optional": optional,
            "integer": isinstance(default, int) and not isinstance(default, bool)}
    return dataclasses.field(default=default, metadata={"check": meta})


def seed_field(default: int = 0) -> Any:
    """A random seed: an integer from 0 to 2**32 - 1."""
    return bounded(default, 0, SEED_MAX, why="seeds are unsigned 32-bit numbers", flag="--seed")


def runs_field(default: str = "runs") -> Any:
    """The folder that receives run folders: checked to be a creatable, writable folder before any training."""
    return dataclasses.field(default=default, metadata={"output_folder": "--runs"})


def check_fields(obj: Any) -> None:
    """Check every :func:`bounded` field of the dataclass instance ``obj``; raise one :class:`TinyMLError`."""
    for f in dataclasses.fields(obj):
        if "output_folder" in f.metadata:
            check_output_folder(f.metadata["output_folder"], getattr(obj, f.name))
        meta = f.metadata.get("check")
        if meta is not None:
            check_number(meta["flag"] or "--" + f.name.replace("_", "-"), getattr(obj, f.name), meta["min"],
                         meta["max"], above=meta["above"], integer=meta["integer"], why=meta["why"],
                         optional=meta["optional"])


def check_number(flag: str, value: Any, min: float | None = None, max: float | None = None, *,
                 above: float | None = None, integer: bool = False, why: str = "", optional: bool = False) -> Any:
    """Refuse ``value`` unless it is a finite number in range; return it. ``flag`` names it in the message."""
    if value is None and optional:
        return value
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TinyMLError(f"{flag} {value!r}: must be a number")
    if not isinstance(value, numbers.Integral):  # (a huge int is exact; float() of it could overflow)
        if not math.isfinite(float(value)):
            raise TinyMLError(f"{flag} {value}: must be a finite number")
        if integer and not float(value).is_integer():
            raise TinyMLError(f"{flag} {value}: must be a whole number")
    if above is not None and not value > above:
        raise TinyMLError(f"{flag} {value}: must be above {_n(above)}{_range(max)}")
    if min is not None and value < min:
        raise TinyMLError(f"{flag} {value}: must be at least {_n(min)}{_range(max)}")
    if max is not None and value > max:
        raise TinyMLError(f"{flag} {value}: must be at most {_n(max)}" + (f" ({why})" if why else ""))
    return value


def check_output_folder(flag: str, folder: Any) -> None:
    """Refuse a folder option that names a file or cannot be created and written."""
    import os

    from tinymlkit.fileio import check_writable_folder

    if os.path.lexists(folder) and not os.path.isdir(folder):
        raise TinyMLError(f"{flag} {folder} is a file; give a folder")
    try:
        check_writable_folder(folder)
    except TinyMLError as exc:
        raise TinyMLError(f"{flag}: {exc}") from None


def _range(hi: float | None) -> str:
    return f" and at most {_n(hi)}" if hi is not None else ""


def _n(x: float) -> str:
    return f"{int(x):,}" if float(x).is_integer() else f"{x:g}"


def check_image_size(path: object, width: int, height: int) -> None:
    """Refuse an image too large to decode safely (checked from its header, before decoding)."""
    if width * height > MAX_PIXELS:
        raise TinyMLError(f"{path} is {width}x{height} pixels, over the {MAX_PIXELS // 1_000_000} megapixel limit "
                          "(decoding it would need gigabytes of memory); resize it first")
