"""Metrics from model outputs: accuracy, confusion matrix and per-class recall of a classifier; the errors of a
regression."""

from dataclasses import dataclass

import numpy as np


@dataclass
class Classification:
    """Accuracy and confusion matrix (rows: true label, columns: predicted) of one model on one split."""

    labels: list[str]
    accuracy: float
    confusion: list[list[int]]
    examples: int

    @property
    def per_class_recall(self) -> dict[str, float]:
        cm = np.asarray(self.confusion)
        totals = cm.sum(axis=1)
        return {
            label: float(cm[i, i] / totals[i]) if totals[i] else float("nan") for i, label in enumerate(self.labels)
        }


def classify(scores: np.ndarray, y: np.ndarray, labels: list[str]) -> Classification:
    """Score a classifier: ``scores`` (n, classes) against true label indices ``y``."""
    predicted = np.argmax(scores, axis=1)
    return Classification(
        labels=labels,
        accuracy=float(np.mean(predicted == y)) if len(y) else float("nan"),
        confusion=confusion_matrix(y, predicted, len(labels)).tolist(),
        examples=int(len(y)),
    )


def confusion_matrix(y: np.ndarray, predicted: np.ndarray, classes: int) -> np.ndarray:
    """Counts of (true, predicted) pairs as a classes x classes integer matrix."""
    cm = np.zeros((classes, classes), dtype=np.int64)
    np.add.at(cm, (np.asarray(y, dtype=np.int64), np.asarray(predicted, dtype=np.int64)), 1)
    return cm


def regression_metrics(predicted: np.ndarray, target: np.ndarray) -> dict[str, float]:
    """Mean absolute error and root mean squared error of ``predicted`` against ``target``."""
    err = np.asarray(predicted, dtype=np.float64).reshape(-1) - np.asarray(target, dtype=np.float64).reshape(-1)
    return {"mae": float(np.mean(np.abs(err))), "rmse": float(np.sqrt(np.mean(err**2)))}
