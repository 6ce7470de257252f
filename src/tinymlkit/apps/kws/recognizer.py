"""The course's command recognizer (micro_speech's RecognizeCommands), the same rules as the generated sketch.

Scores of successive inferences are averaged over ``average_window_ms`` (once at least ``minimum_count`` results
span a quarter of it). A command is recognized when the best average exceeds ``threshold`` on a 0-255 scale and
either the label differs from the last recognized one, or ``suppression_ms`` have passed since it, or the last
one was silence.
"""

from collections import deque
from dataclasses import dataclass

import numpy as np

from tinymlkit.settings import bounded, validate


@dataclass(frozen=True)
class RecognizerConfig:
    """The micro_speech defaults."""

    average_window_ms: int = bounded(1000, 20, 60_000, flag="--window-ms", why="a minute of scores blurs every command")
    threshold: int = bounded(200, 0, 255, flag="--threshold", why="scores are on a 0-255 scale")
    suppression_ms: int = bounded(1500, 0, 600_000, flag="--suppression-ms")
    minimum_count: int = bounded(3, 1, 1000)

    def __post_init__(self) -> None:
        validate(self)


@dataclass(frozen=True)
class Detection:
    """A recognized command: its label, the time (end of the audio window, ms) and the average score (0-255)."""

    label: str
    time_ms: int
    score: int


class CommandRecognizer:
    """Feed it the scores of each inference in time order; it returns a :class:`Detection` for each new command."""

    def __init__(self, labels: list[str], config: RecognizerConfig = RecognizerConfig(), silence: str = "silence"):
        self.labels, self.config = labels, config
        self._silence = labels.index(silence) if silence in labels else -1
        self._results: deque[tuple[int, np.ndarray]] = deque()
        self._sum: np.ndarray | int = 0  # of the scores in _results (an array from the first result on)
        self._last_label = -1
        self._last_time = 0

    def process(self, probabilities: np.ndarray, time_ms: int) -> Detection | None:
        """Add one inference's class probabilities; return a detection if a new command is recognized."""
        c = self.config
        scores = np.clip(np.round(np.asarray(probabilities, dtype=np.float64) * 256), 0, 255).astype(np.int32)
        while self._results and self._results[0][0] < time_ms - c.average_window_ms:
            self._sum -= self._results.popleft()[1]
        self._results.append((time_ms, scores))
        self._sum += scores
        span = time_ms - self._results[0][0]
        if len(self._results) < c.minimum_count or span < c.average_window_ms // 4:
            return None
        average = self._sum // len(self._results)
        best = int(np.argmax(average))
        quiet_before = self._last_label < 0 or self._last_label == self._silence
        suppressed = not quiet_before and best == self._last_label and time_ms - self._last_time <= c.suppression_ms
        if average[best] > c.threshold and not suppressed:
            self._last_label, self._last_time = best, time_ms
            return Detection(self.labels[best], int(time_ms), int(average[best]))
        return None
