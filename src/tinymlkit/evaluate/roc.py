"""ROC curves, AUC and operating points of anomaly scores (higher score = more anomalous).

The threshold is chosen from normal validation scores only, as in the course's labs: ``mean + k * std`` or a
percentile. Its true- and false-positive rates are then measured on the test split.
"""

from dataclasses import dataclass
from pathlib import Path

import numpy as np

from tinymlkit.errors import TinyMLError


@dataclass
class OperatingPoint:
    """A threshold and what it does on the test split: scores above it are called anomalous."""

    rule: str  # e.g. "mean + 3 std of normal validation scores"
    threshold: float
    tpr: float  # anomalies detected / anomalies
    fpr: float  # normal recordings flagged / normal recordings


def roc_curve(scores: np.ndarray, anomalous: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """False-positive rates, true-positive rates and thresholds, from the highest threshold down (ties merged)."""
    scores, anomalous = np.asarray(scores, dtype=np.float64), np.asarray(anomalous, dtype=bool)
    if anomalous.all() or not anomalous.any():
        raise TinyMLError("a ROC curve needs both normal and anomalous test recordings")
    order = np.argsort(-scores, kind="mergesort")
    s, a = scores[order], anomalous[order]
    last = np.r_[np.flatnonzero(np.diff(s)), len(s) - 1]  # the last index of each distinct score
    tp, fp = np.cumsum(a)[last], np.cumsum(~a)[last]
    tpr = np.r_[0.0, tp / a.sum()]
    fpr = np.r_[0.0, fp / (~a).sum()]
    return fpr, tpr, np.r_[np.inf, s[last]]


def roc_auc(scores: np.ndarray, anomalous: np.ndarray) -> float:
    """Area under the ROC curve: the chance that an anomalous recording scores above a normal one."""
    fpr, tpr, _ = roc_curve(scores, anomalous)
    return float(np.sum(np.diff(fpr) * (tpr[1:] + tpr[:-1]) / 2.0))


def choose_threshold(
    normal_scores: np.ndarray, rule: str = "std", k: float = 3.0, percentile: float = 99.0
) -> tuple[float, str]:
    """The threshold from normal validation scores: ``mean + k * std`` (rule "std") or a percentile."""
    normal_scores = np.asarray(normal_scores, dtype=np.float64)
    if len(normal_scores) < 2:
        raise TinyMLError("choosing a threshold needs at least 2 normal validation recordings")
    if rule == "std":
        return float(normal_scores.mean() + k * normal_scores.std()), f"mean + {k:g} std of normal validation scores"
    if rule == "percentile":
        rule_text = f"{percentile:g}th percentile of normal validation scores"
        return float(np.percentile(normal_scores, percentile)), rule_text
    raise TinyMLError(f"unknown threshold rule '{rule}'; use 'std' or 'percentile'")


def operating_point(scores: np.ndarray, anomalous: np.ndarray, threshold: float, rule: str) -> OperatingPoint:
    """True- and false-positive rates of ``score > threshold`` on the test scores."""
    scores, anomalous = np.asarray(scores), np.asarray(anomalous, dtype=bool)
    flagged = scores > threshold
    return OperatingPoint(rule, float(threshold), float(flagged[anomalous].mean()), float(flagged[~anomalous].mean()))


def plot_roc(
    curves: dict[str, tuple[np.ndarray, np.ndarray, float]],
    points: dict[str, OperatingPoint],
    title: str,
    path: str | Path,
) -> Path:
    """ROC curves ``name -> (fpr, tpr, auc)`` with each model's operating point marked."""
    from tinymlkit.evaluate.plots import figure, save_figure

    fig, ax = figure(figsize=(4.6, 4.4))
    ax.plot([0, 1], [0, 1], color="0.7", linestyle=":", linewidth=1)
    for i, (name, (fpr, tpr, auc)) in enumerate(curves.items()):
        line = ax.plot(
            fpr,
            tpr,
            linewidth=1.6,
            linestyle="--" if i % 2 else "-",
            label=f"{name} (AUC {auc:.3f})",
            zorder=3 - i * 0.1,
        )[0]
        if name in points:
            p = points[name]
            ax.plot([p.fpr], [p.tpr], "o", color=line.get_color(), markersize=6)
    ax.set_xlim(0, 1)
    ax.set_ylim(0, 1.01)
    ax.set_xlabel("false-positive rate (normal flagged)")
    ax.set_ylabel("true-positive rate (anomalies found)")
    ax.set_title(title, fontsize=9)
    ax.legend(loc="lower right", fontsize=7)
    ax.grid(alpha=0.3)
    return save_figure(fig, path)


def summarize_scores(scores: np.ndarray, anomalous: np.ndarray, threshold: float, rule: str) -> dict[str, float]:
    """AUC and the threshold's true- and false-positive rates on the test split."""
    point = operating_point(scores, anomalous, threshold, rule)
    return {"auc": roc_auc(scores, anomalous), "tpr": point.tpr, "fpr": point.fpr}
