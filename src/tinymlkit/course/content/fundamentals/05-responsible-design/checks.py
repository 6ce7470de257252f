"""Checks of the lab c1-home-assistant."""

import numpy as np

from tinymlkit.course.checks import Checker


def _pr(y_true, y_pred):
    tp = np.sum((y_true == 1) & (y_pred == 1))
    fp = np.sum((y_true == 0) & (y_pred == 1))
    fn = np.sum((y_true == 1) & (y_pred == 0))
    return (tp / (tp + fp) if tp + fp else 0.0), (tp / (tp + fn) if tp + fn else 0.0)


def _best(scores, y_true, min_precision):
    best, best_recall = None, -1.0
    for threshold in np.unique(scores):
        p, r = _pr(y_true, scores >= threshold)
        if p >= min_precision and r >= best_recall:
            best, best_recall = float(threshold), r
    return best


def check_precision_recall(t: Checker) -> None:
    fn = t.function("precision_recall")
    while True:  # labels on which precision and recall differ, so that swapping them is caught
        y_true = (t.rng.random(200) < t.rng.uniform(0.1, 0.4)).astype(int)
        y_pred = np.where(t.rng.random(200) < 0.75, y_true, 1 - y_true)
        precision, recall = _pr(y_true, y_pred)
        if abs(precision - recall) > 0.1:
            break
    ok, got = t.call("runs on random labels", fn, y_true, y_pred)
    if not ok:
        return
    if not t.true("returns (precision, recall)", isinstance(got, (tuple, list)) and len(got) == 2,
                  "a pair of floats", repr(got)[:80], "return precision, recall"):
        return
    t.close("precision and recall of random predictions", [float(got[0]), float(got[1])], [precision, recall],
            "precision = TP / (TP + FP) (of the wake-ups, how many right); recall = TP / (TP + FN)")
    ok, got = t.call("a detector that never wakes up", fn, y_true, np.zeros_like(y_true),
                     hint="when TP + FP is 0 return 0.0 instead of dividing by zero")
    if ok:
        t.close("a detector that never wakes up has precision 0 and recall 0", [float(v) for v in got], [0.0, 0.0],
                "when a denominator is 0, return 0.0")


def check_threshold(t: Checker) -> None:
    fn = t.function("choose_threshold")
    n = 300
    while True:  # scores on which some threshold reaches the target (the unreachable case is checked below)
        y_true = (t.rng.random(n) < 0.2).astype(int)
        scores = np.round(np.clip(t.rng.normal(0.35 + 0.35 * y_true, 0.15), 0, 1), 3)
        target = float(t.rng.choice([0.8, 0.9, 0.95]))
        expected = _best(scores, y_true, target)
        if expected is not None:
            break
    ok, got = t.call("runs on random scores", fn, scores, y_true, target)
    if ok:
        t.close(f"threshold for precision >= {target} on random scores", got if got is not None else np.nan,
                expected, "keep thresholds with precision >= target, then the highest recall; ties: the highest "
                "threshold. Predict 1 when score >= threshold")
    ok, got = t.call("an impossible target", fn, scores, y_true, 1.01)
    if ok:
        t.true("returns None when no threshold reaches the precision", got is None, "None", repr(got),
               "return None when no candidate meets min_precision")


CHECKS = {"precision-recall": check_precision_recall, "threshold": check_threshold}
