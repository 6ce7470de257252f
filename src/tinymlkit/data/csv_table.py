"""Numeric CSV tables with a fixed header (sine samples, IMU recordings), read with one-line errors.

    rows = read_numeric_csv(path, ("x", "y"), what="a sine data file", min_rows=10)   # (rows, 2) float64

The first line must be exactly the header (spaces around names are ignored); every other non-blank line holds
one finite number per column. Anything else raises :class:`TinyMLError` naming the file, the line and the fix.
"""

import io
import math
import warnings
from pathlib import Path

import numpy as np

from tinymlkit.errors import TinyMLError


def read_numeric_csv(path: str | Path, columns: tuple[str, ...], what: str, min_rows: int = 1) -> np.ndarray:
    """The data rows of the CSV file ``path`` as a (rows, len(columns)) float64 array."""
    path = Path(path)
    if not path.is_file():
        raise TinyMLError(f"{path} not found; give a CSV file with the header {','.join(columns)}")
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        raise TinyMLError(f"{path} is not a text CSV file; {what} is UTF-8 text with comma-separated numbers") from None
    lines = text.splitlines()
    header = [c.strip() for c in lines[0].split(",")] if lines else []
    if header != list(columns):
        found = lines[0].strip()[:60] if lines else "an empty file"
        raise TinyMLError(f"{path}: the first line must be the header {','.join(columns)} (found '{found}')")
    body = [(n, line) for n, line in enumerate(lines[1:], start=2) if line.strip()]
    rows = _parse_fast("\n".join(line for _, line in body), len(columns))
    if rows is None:
        rows = _parse_checked(path, body, len(columns))
    if len(rows) < min_rows:
        raise TinyMLError(f"{path}: only {len(rows)} rows of data; {what} needs at least {min_rows}")
    return rows


def write_numeric_csv(columns: tuple[str, ...], rows: np.ndarray, decimals: int = 6) -> str:
    """CSV text for ``rows`` under the header ``columns`` (the format :func:`read_numeric_csv` reads)."""
    out = io.StringIO()
    out.write(",".join(columns) + "\n")
    np.savetxt(out, np.asarray(rows, dtype=np.float64), fmt=f"%.{decimals}f", delimiter=",")
    return out.getvalue()


def _parse_fast(text: str, width: int) -> np.ndarray | None:
    """All rows at once, or None when anything is off (then the slow path finds and names the problem)."""
    if not text:
        return np.zeros((0, width))
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            rows = np.loadtxt(io.StringIO(text), delimiter=",", dtype=np.float64, ndmin=2)
    except ValueError:
        return None
    if rows.shape[1] != width or not np.all(np.isfinite(rows)):
        return None
    return rows


def _parse_checked(path: Path, body: list[tuple[int, str]], width: int) -> np.ndarray:
    rows = []
    for n, line in body:
        cells = [c.strip() for c in line.split(",")]
        if len(cells) != width:
            raise TinyMLError(f"{path} line {n}: expected {width} comma-separated values, found {len(cells)}")
        values = []
        for cell in cells:
            try:
                v = float(cell)
            except ValueError:
                raise TinyMLError(f"{path} line {n}: '{cell[:20]}' is not a number; fix or delete that line") from None
            if not math.isfinite(v):
                raise TinyMLError(f"{path} line {n}: '{cell}' is not a finite number; fix or delete that line")
            values.append(v)
        rows.append(values)
    return np.array(rows, dtype=np.float64).reshape(-1, width)
