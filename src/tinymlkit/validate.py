"""Checking numbers at the edge: ranges live on the config dataclasses, as field metadata, so the CLI (which is
generated from the configs) and library callers get the same one-line errors before any slow work.

Config fields are declared with :func:`tinymlkit.settings.setting` (or ``settings.bounded`` for a checked
number that is not a command-line option) and checked in ``__post_init__``; this module holds the checks themselves.
"""

import math
import numbers
from typing import Any

from tinymlkit.errors import TinyMLError

SEED_MAX = 2**32 - 1  # NumPy and Keras seeds are unsigned 32-bit
MAX_PIXELS = 50_000_000  # larger pictures (a 40000x40000 PNG) would need gigabytes just to be decoded


def check_number(
    flag: str,
    value: Any,
    min: float | None = None,
    max: float | None = None,
    *,
    above: float | None = None,
    integer: bool = False,
    why: str = "",
    optional: bool = False,
) -> Any:
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
        raise TinyMLError(
            f"{path} is {width}x{height} pixels, over the {MAX_PIXELS // 1_000_000} megapixel limit "
            "(decoding it would need gigabytes of memory); resize it first"
        )
