"""Scoring streaming recognition: detections against the words known to be in a recording."""

from dataclasses import dataclass

from tinymlkit.apps.kws.recognizer import Detection
from tinymlkit.apps.kws.stream import SpokenWord


@dataclass
class StreamScore:
    """Hits (right word at the right time), misses and false alarms of a run over a known recording."""

    hits: list[tuple[SpokenWord, Detection]]
    misses: list[SpokenWord]
    false_alarms: list[Detection]

    @property
    def recall(self) -> float:
        total = len(self.hits) + len(self.misses)
        return len(self.hits) / total if total else 1.0


def match_detections(
    detections: list[Detection], truth: list[SpokenWord], labels: list[str], latency_ms: int = 1000
) -> StreamScore:
    """Pair each spoken keyword with the first detection of its label between its start and ``latency_ms``
    after its end (the recognizer reports a word once its averaging window has seen enough of it).
    Detections of labels not in ``labels`` (e.g. unknown) are ignored.
    """
    pending = [d for d in detections if d.label in labels]
    hits, misses = [], []
    for word in truth:
        match = next(
            (d for d in pending if d.label == word.label and word.start_ms <= d.time_ms <= word.end_ms + latency_ms),
            None,
        )
        if match is None:
            misses.append(word)
        else:
            hits.append((word, match))
            pending.remove(match)
    return StreamScore(hits, misses, pending)
