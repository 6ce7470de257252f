"""Small offline data sets for the labs and the grader's hidden tests, from the toolkit and scikit-learn.

Everything here is made on the fly from a seed: no download, a few seconds on two cores. The grader draws its
hidden test data with seeds the learner never sees.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class Split:
    x_train: np.ndarray
    y_train: np.ndarray
    x_test: np.ndarray
    y_test: np.ndarray


def digits(test_fraction: float = 0.25, seed: int = 0) -> Split:
    """scikit-learn's bundled 8x8 hand-written digits (1,797 images, pixel values 0..16), split at random."""
    from sklearn.datasets import load_digits

    data = load_digits()
    rng = np.random.default_rng(seed)
    order = rng.permutation(len(data.target))
    cut = int(len(order) * (1 - test_fraction))
    images = data.images.astype(np.float32)
    return Split(images[order[:cut]], data.target[order[:cut]], images[order[cut:]], data.target[order[cut:]])


STROKE_GESTURES = ("0", "1", "2", "3", "4")


def stroke_images(users: int, repetitions: int, seed: int, gestures: tuple[str, ...] = STROKE_GESTURES):
    """Magic-wand stroke images (n, 32, 32, 3) uint8, coloured by time, and their labels (index in ``gestures``).

    Each synthetic user draws every gesture in their own style (size, slant, tilt, variant), as in the toolkit's
    wand data; the path is rasterized with the same integer code the board runs.
    """
    from tinymlkit.data.wand_gestures import GESTURES
    from tinymlkit.data.wand_synth import gesture_path, make_user, user_variant
    from tinymlkit.features.stroke_raster import rasterize

    rng = np.random.default_rng(seed)
    images, labels = [], []
    for u in range(users):
        user = make_user(u + 1000 * seed, rng)
        for label, gesture in enumerate(gestures):
            template = GESTURES[gesture][user_variant(user, gesture)]
            for _ in range(repetitions):
                path = gesture_path(template, user, rng)
                path = path - (path.max(axis=0) + path.min(axis=0)) / 2
                points = np.round(path / np.abs(path).max() * 127).astype(np.int8)
                images.append(rasterize(points[:: max(1, len(points) // 60)]))
                labels.append(label)
    return np.stack(images), np.array(labels)


def wake_word_scores(seconds: int, seed: int, rate: float = 0.1) -> tuple[np.ndarray, np.ndarray]:
    """Scores (0..1) a keyword detector gives each second of living-room audio, and whether the word was said.

    The wake word occurs in about ``rate`` of the seconds; the detector scores it higher, with the overlap a
    real detector has (a logistic of two overlapping normal distributions).
    """
    rng = np.random.default_rng(seed)
    said = (rng.random(seconds) < rate).astype(int)
    logits = rng.normal(np.where(said == 1, 2.0, -2.0), 1.3)
    return np.round(1 / (1 + np.exp(-logits)), 4), said
