"""The command recognizer: averaging window, threshold, suppression, minimum count."""

import numpy as np

from tinymlkit.apps.kws.recognizer import CommandRecognizer, RecognizerConfig

LABELS = ["silence", "unknown", "yes", "no"]


def feed(rec, timeline):
    """timeline: list of (time_ms, label index with probability ~0.95)."""
    found = []
    for t, k in timeline:
        p = np.full(4, 0.05 / 3)
        p[k] = 0.95
        d = rec.process(p, t)
        if d:
            found.append((d.label, d.time_ms))
    return found


def test_fires_once_per_word_and_respects_suppression():
    rec = CommandRecognizer(LABELS)
    steady_yes = [(t, 2) for t in range(0, 3000, 100)]
    found = feed(rec, steady_yes)
    # fires after a quarter window of results, then again only once the suppression time has passed
    assert [label for label, _ in found] == ["yes", "yes"]
    assert found[0][1] == 300 and found[1][1] - found[0][1] > 1500


def test_label_change_fires_immediately():
    rec = CommandRecognizer(LABELS, RecognizerConfig(average_window_ms=300))
    found = feed(rec, [(t, 2) for t in range(0, 600, 50)] + [(t, 3) for t in range(600, 1200, 50)])
    assert [label for label, _ in found] == ["yes", "no"]


def test_needs_minimum_count_and_threshold():
    rec = CommandRecognizer(LABELS, RecognizerConfig(minimum_count=5))
    assert feed(rec, [(0, 2), (300, 2), (600, 2)]) == []
    rec = CommandRecognizer(LABELS)
    weak = [(t, np.full(4, 0.25)) for t in range(0, 2000, 100)]
    assert all(rec.process(p, t) is None for t, p in weak)  # 64/255 average never passes 200
