"""The lessons' figures, made by code (run ``python -m tinymlkit.course.figures`` to rebuild them all).

Each function draws one figure with matplotlib from the toolkit's own data and functions; FIGURES maps the
file, relative to the content folder, to its function.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path

import numpy as np

from tinymlkit.course.catalog import CONTENT


def _figure(width: float = 6.4, height: float = 3.6):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    return plt.subplots(figsize=(width, height), dpi=90)


def guesses(ax_fig) -> None:
    fig, ax = ax_fig
    xs = np.array([-1.0, 0.0, 1.0, 2.0, 3.0, 4.0])
    ys = 2 * xs - 1
    for (w, b), style, color in [((3.0, 0.5), "--", "tab:red"), ((2.2, -0.8), "-", "tab:green")]:
        guess = w * xs + b
        loss = np.mean((ys - guess) ** 2)
        ax.plot(xs, guess, style, color=color, label=f"guess y = {w}x + {b}: loss {loss:.2f}")
        for x, y, g in zip(xs, ys, guess, strict=True):
            side = abs(g - y)
            ax.add_patch(__import__("matplotlib").patches.Rectangle((x, min(y, g)), side / 4, side, alpha=0.15,
                                                                    color=color))
    ax.scatter(xs, ys, color="black", zorder=3, label="examples (y = 2x - 1)")
    ax.set_xlabel("x")
    ax.set_ylabel("y")
    ax.legend(fontsize=8)
    ax.set_title("Two guesses and their squared errors")


def descent(ax_fig) -> None:
    fig, ax = ax_fig
    xs = np.array([-1.0, 0.0, 1.0, 2.0, 3.0, 4.0])
    ys = 2 * xs - 1
    w_grid, b_grid = np.meshgrid(np.linspace(-2, 12, 120), np.linspace(-6, 12, 120))
    loss = np.mean((w_grid[..., None] * xs + b_grid[..., None] - ys) ** 2, axis=-1)
    ax.contourf(w_grid, b_grid, np.log10(loss + 1e-3), levels=30, cmap="viridis")
    w, b, path = 10.0, 10.0, [(10.0, 10.0)]
    for _ in range(50):
        error = w * xs + b - ys
        w, b = w - 0.09 * np.mean(2 * error * xs), b - 0.09 * np.mean(2 * error)
        path.append((w, b))
    path = np.array(path)
    ax.plot(path[:, 0], path[:, 1], "o-", color="white", markersize=3, label="50 steps, learning rate 0.09")
    ax.plot([2], [-1], "*", color="red", markersize=14, label="lowest loss: w = 2, b = -1")
    ax.set_xlabel("w")
    ax.set_ylabel("b")
    ax.legend(fontsize=8, loc="upper left")
    ax.set_title("Loss landscape (brighter = higher loss) and the descent path")


FIGURES: dict[str, Callable] = {
    "fundamentals/02-ml-paradigm/figures/guesses.png": guesses,
    "fundamentals/02-ml-paradigm/figures/descent.png": descent,
}


def build(names: list[str] | None = None, root: Path = CONTENT) -> list[Path]:
    """Draw the figures (all, or those whose path contains one of ``names``) into the content folder."""
    import matplotlib.pyplot as plt

    written = []
    for rel, draw in FIGURES.items():
        if names and not any(n in rel for n in names):
            continue
        fig_ax = _figure()
        draw(fig_ax)
        fig_ax[0].tight_layout()
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        fig_ax[0].savefig(path)
        plt.close(fig_ax[0])
        written.append(path)
    return written


if __name__ == "__main__":
    for p in build(sys.argv[1:]):
        print(p)
