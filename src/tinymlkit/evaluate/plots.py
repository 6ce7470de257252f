"""Plots written as PNG files (matplotlib, no display needed)."""

from pathlib import Path

import numpy as np

from tinymlkit.fileio import write_bytes


def save_figure(fig, path: str | Path) -> Path:
    """Save a matplotlib figure as PNG atomically and close it."""
    import io

    import matplotlib.pyplot as plt

    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=120, bbox_inches="tight")
    plt.close(fig)
    return write_bytes(path, buf.getvalue())


def figure(**kwargs):
    """A new matplotlib figure on the non-interactive Agg backend."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    return plt.subplots(**kwargs)


def plot_confusion(confusion: list[list[int]], labels: list[str], title: str, path: str | Path) -> Path:
    """A confusion matrix with counts in the cells, rows true and columns predicted."""
    cm = np.asarray(confusion)
    size = max(3.5, 0.6 * len(labels) + 1.5)
    fig, ax = figure(figsize=(size, size))
    ax.imshow(cm, cmap="Blues")
    ax.set_xticks(range(len(labels)), labels, rotation=45, ha="right")
    ax.set_yticks(range(len(labels)), labels)
    ax.set_xlabel("predicted")
    ax.set_ylabel("true")
    ax.set_title(title)
    top = cm.max() if cm.size else 0
    for (i, j), v in np.ndenumerate(cm):
        ax.text(j, i, str(v), ha="center", va="center", color="white" if v > top / 2 else "black")
    return save_figure(fig, path)
