"""The gestures the built-in magic-wand data can draw: single-stroke digits and letters in a unit box.

Each gesture is a path of 2-D points in [-1, 1] x [-1, 1] (x right, y up) in the order a hand draws it in the
air. Curves are given as many points along arcs; corners as single points. Some gestures have variants that
different people use (a zero drawn clockwise or counter-clockwise, a one with or without its flag).
"""

import numpy as np

from tinymlkit.errors import TinyMLError

DIGITS = [str(d) for d in range(10)]


def _arc(cx: float, cy: float, rx: float, ry: float, a0: float, a1: float, n: int = 0) -> np.ndarray:
    """Points along an elliptic arc from angle ``a0`` to ``a1`` (degrees; increasing is counter-clockwise)."""
    n = n or max(6, int(abs(a1 - a0) / 8))
    a = np.radians(np.linspace(a0, a1, n))
    return np.stack([cx + rx * np.cos(a), cy + ry * np.sin(a)], axis=1)


def _path(*parts) -> np.ndarray:
    return np.concatenate([np.asarray(p, dtype=np.float64).reshape(-1, 2) for p in parts])


def _figure_eight() -> np.ndarray:
    t = np.linspace(0.0, 2 * np.pi, 72)
    return np.stack([-0.5 * np.sin(2 * t), np.cos(t)], axis=1)


# name -> variants (each a path); variant 0 is the most common way of drawing it
GESTURES: dict[str, list[np.ndarray]] = {
    "0": [_arc(0, 0, 0.6, 1.0, 90, 470), _arc(0, 0, 0.6, 1.0, 90, -290)],
    "1": [_path([(-0.35, 0.55), (0.05, 1.0), (0.05, -1.0)]), _path([(0.0, 1.0), (0.0, -1.0)])],
    "2": [_path(_arc(0, 0.45, 0.55, 0.5, 160, -40), [(-0.6, -1.0), (0.65, -1.0)])],
    "3": [_path(_arc(0, 0.5, 0.5, 0.45, 150, -90), _arc(0, -0.5, 0.55, 0.5, 90, -150))],
    "4": [_path([(-0.45, 1.0), (-0.55, -0.1), (0.6, -0.1), (0.35, 1.0), (0.35, -1.0)])],
    "5": [_path([(0.55, 1.0), (-0.45, 1.0), (-0.5, 0.12)], _arc(0, -0.4, 0.55, 0.55, 115, -160))],
    "6": [_path(_arc(0.1, -0.05, 0.65, 0.95, 70, 200), _arc(0, -0.45, 0.55, 0.5, 185, 505))],
    "7": [_path([(-0.6, 1.0), (0.6, 1.0), (-0.15, -1.0)])],
    "8": [_path([(0.25, 0.95)], _figure_eight())],
    "9": [_path(_arc(0, 0.45, 0.5, 0.5, 10, 370), [(0.45, -1.0)])],
    "W": [_path([(-1.0, 1.0), (-0.5, -1.0), (0.0, 0.4), (0.5, -1.0), (1.0, 1.0)])],
    "O": [_arc(0, 0, 0.9, 0.9, 90, 465), _arc(0, 0, 0.9, 0.9, 90, -285)],
    "L": [_path([(-0.5, 1.0), (-0.5, -1.0), (0.6, -1.0)])],
    "Z": [_path([(-0.7, 1.0), (0.7, 1.0), (-0.7, -1.0), (0.7, -1.0)])],
    "V": [_path([(-0.7, 1.0), (0.0, -1.0), (0.7, 1.0)])],
    "S": [_path(_arc(0, 0.5, 0.55, 0.5, 30, 270), _arc(0, -0.5, 0.55, 0.5, 90, -210))],
    "M": [_path([(-0.8, -1.0), (-0.6, 1.0), (0.0, -0.2), (0.6, 1.0), (0.8, -1.0)])],
}


def check_gestures(names: list[str]) -> list[str]:
    """``names`` if every one is a known gesture (at least two, no repeats), else a one-line error."""
    if len(names) < 2:
        raise TinyMLError(f"give at least two gestures to tell apart, e.g. --gestures {','.join(DIGITS[:3])}")
    if len(set(names)) != len(names):
        raise TinyMLError(f"gestures repeat in {','.join(names)}; give each once")
    unknown = [n for n in names if n not in GESTURES]
    if unknown:
        raise TinyMLError(f"unknown gesture '{unknown[0]}'; the built-in data can draw: {', '.join(GESTURES)}")
    return names
