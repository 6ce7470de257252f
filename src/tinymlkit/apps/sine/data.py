"""Data for the hello-world application: samples of y = sin(x) with noise, x in [0, 2 pi].

On disk a sine data set is one CSV file:

    x,y                 header
    4.712,-0.98         one sample per line: input x (radians) and target y

Rows are assigned to splits by a stable hash of their row number (60 % train, 20 % validation, 20 % test, as in
the course's notebook), so the same file always gives the same split.
"""

from pathlib import Path

import numpy as np

from tinymlkit.data.csv_table import read_numeric_csv, write_numeric_csv
from tinymlkit.data.dataset import Dataset
from tinymlkit.data.split import split_of
from tinymlkit.fileio import write_text

COLUMNS = ("x", "y")
X_RANGE = (0.0, 2.0 * np.pi)
MIN_ROWS = 20


def synthesize_sine(samples: int = 1000, noise: float = 0.1, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """``samples`` values of x uniform in [0, 2 pi] and y = sin(x) + Gaussian noise of std ``noise``."""
    rng = np.random.default_rng(seed)
    x = rng.uniform(*X_RANGE, size=samples)
    y = np.sin(x) + noise * rng.standard_normal(samples)
    return x, y


def write_sine_csv(path: str | Path, x: np.ndarray, y: np.ndarray) -> Path:
    """Write samples in the sine CSV format (atomically)."""
    return write_text(path, write_numeric_csv(COLUMNS, np.stack([x, y], axis=1)))


def load_sine_csv(path: str | Path) -> Dataset:
    """Read a sine CSV file into a :class:`Dataset`: ``x`` (n, 1) float32 inputs, ``y`` (n,) float32 targets.

    This is a regression data set: ``y`` holds target values, not label indices, and ``labels`` is ``["y"]``.
    """
    rows = read_numeric_csv(path, COLUMNS, what="a sine data file", min_rows=MIN_ROWS)
    n = len(rows)
    groups = np.array([f"row{i}" for i in range(n)], dtype=object)
    split = np.array([split_of(g, validation_percent=20.0, test_percent=20.0) for g in groups], dtype=object)
    return Dataset(
        x=rows[:, :1].astype(np.float32),
        y=rows[:, 1].astype(np.float32),
        labels=["y"],
        split=split,
        group=groups,
    )
