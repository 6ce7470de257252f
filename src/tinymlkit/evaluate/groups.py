"""Results broken down by metadata: accuracy, false accepts and false rejects per group, and the gap between the
best and the worst group (who does the model work less well for?).

    groups = breakdown(predicted, y, labels, meta, negatives=["silence", "unknown"])
    groups.worst            # the worst group of the column with the largest gap, or None

Every metadata column with a handful of values (voice, accent, gender, device...) is a grouping; numeric columns
with many values (speaking rate, noise level...) are cut into three equal-count bins (low, mid, high). A group
with fewer than ``min_examples`` examples is reported but marked ``few`` and left out of the best/worst
comparison, with a warning: its accuracy is too uncertain to judge (the 95 % interval shows how uncertain). When
fewer than two groups of a column are large enough, all its groups are compared and the result is marked
``uncertain`` (groups under five examples are then left out).

*False accept*: an example of a negative class (``silence``, ``unknown``: "no command") recognized as a command.
*False reject*: an example of a command not recognized as that command. Without negative classes (a gesture
classifier) both rates are left out: every error is a confusion between commands.
"""

from dataclasses import dataclass, field
from math import sqrt

import numpy as np

SKIPPED_COLUMNS = ("path", "label", "split", "text", "source", "augment")
NOT_RECORDED = "(not recorded)"
MIN_UNCERTAIN = 5  # smallest group compared at all (when no two groups reach min_examples)


@dataclass
class GroupResult:
    """One group's figures on the test split."""

    group: str
    examples: int
    accuracy: float
    accuracy_low: float  # 95 % Wilson interval
    accuracy_high: float
    false_accept_rate: float | None  # None: no negative examples in the group (or no negative classes)
    false_reject_rate: float | None  # None: no command examples in the group (or no negative classes)
    few: bool  # fewer than min_examples examples: shown, but not judged
    float_accuracy: float | None = None  # the float model's, when given: does int8 cost one group more?


@dataclass
class ColumnBreakdown:
    """The groups of one metadata column, best and worst (among groups with enough examples) and their gap."""

    column: str
    groups: list[GroupResult]
    best: str | None = None
    worst: str | None = None
    gap: float | None = None  # best accuracy - worst accuracy
    uncertain: bool = False  # fewer than two groups had enough examples: best/worst compare small groups
    warnings: list[str] = field(default_factory=list)


@dataclass
class GroupReport:
    """Per-group results for every usable metadata column; ``worst`` flags the worst group overall."""

    negatives: list[str]
    min_examples: int
    columns: list[ColumnBreakdown]
    worst: dict | None = None  # {"column", "group", "accuracy", "gap", "best"}

    def column(self, name: str) -> ColumnBreakdown | None:
        return next((c for c in self.columns if c.column == name), None)


def wilson_interval(correct: int, n: int, z: float = 1.96) -> tuple[float, float]:
    """The 95 % Wilson score interval of a proportion ``correct / n`` (``(0, 1)`` when ``n`` is 0)."""
    if n == 0:
        return 0.0, 1.0
    p = correct / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    return max(0.0, centre - half), min(1.0, centre + half)


def group_columns(meta: dict[str, np.ndarray], max_groups: int = 12) -> dict[str, np.ndarray]:
    """The metadata columns worth grouping by (two or more recorded values), each as an array of group names."""
    out = {}
    for name, values in meta.items():
        groups = grouped(values, max_groups) if name not in SKIPPED_COLUMNS else None
        if groups is not None and len(set(groups.tolist()) - {NOT_RECORDED}) >= 2:
            out[name] = groups
    return out


def metadata_counts(meta: dict[str, np.ndarray], max_groups: int = 12) -> dict[str, dict[str, int]]:
    """Examples per value of every groupable metadata column (numeric columns binned), for the data card."""
    out = {}
    for name, values in meta.items():
        groups = grouped(values, max_groups) if name not in SKIPPED_COLUMNS else None
        if groups is not None:
            names, counts = np.unique(groups.astype(str), return_counts=True)
            out[name] = {str(k): int(v) for k, v in zip(names, counts, strict=True)}
    return out


def grouped(values: np.ndarray, max_groups: int = 12) -> np.ndarray | None:
    """Group names for one column: its values (blank = not recorded), numeric columns with more than
    ``max_groups`` values cut in three bins; None when there are too many non-numeric values to group."""
    text = np.array([NOT_RECORDED if str(v).strip() == "" else str(v).strip() for v in values], dtype=object)
    if len(set(text.tolist())) <= max_groups:
        return text
    return _tertiles(text)


def _tertiles(text: np.ndarray) -> np.ndarray | None:
    """Numeric values cut into three equal-count bins named by their range; None if the column is not numeric."""
    recorded = text != NOT_RECORDED
    try:
        values = np.array([float(v) for v in text[recorded]])
    except ValueError:
        return None
    if len(values) < 3 or not np.all(np.isfinite(values)):
        return None
    edges = np.quantile(values, [0, 1 / 3, 2 / 3, 1])
    bins = np.clip(np.searchsorted(edges[1:-1], values, side="right"), 0, 2)
    out = text.copy()
    names = []
    for b, tag in enumerate(("low", "mid", "high")):
        members = values[bins == b]
        names.append(f"{tag} ({members.min():.3g}..{members.max():.3g})" if len(members) else tag)
    out[recorded] = [names[b] for b in bins]
    return out


def breakdown(
    predicted: np.ndarray,
    y: np.ndarray,
    labels: list[str],
    meta: dict[str, np.ndarray],
    negatives: list[str] | tuple[str, ...] = (),
    min_examples: int = 20,
    max_groups: int = 12,
    float_predicted: np.ndarray | None = None,
) -> GroupReport:
    """Per-group figures for predicted label indices ``predicted`` against true ``y``, grouped by ``meta``
    (``float_predicted``: the float model's predictions, for its accuracy per group beside the int8 model's).

    The worst group overall is taken from the column whose gap is surest (the best group's lower 95 % bound
    minus the worst group's upper bound), preferring columns with at least two groups large enough to judge,
    then coarser columns (fewer groups).
    """
    predicted, y = np.asarray(predicted), np.asarray(y)
    negative = np.isin(np.arange(len(labels)), [labels.index(n) for n in negatives if n in labels])
    columns = []
    for name, groups in group_columns(meta, max_groups).items():
        results = [
            _group(g, predicted[groups == g], y[groups == g], negative, min_examples)
            for g in sorted(set(groups.tolist()))
        ]
        if float_predicted is not None:
            for r in results:
                members = groups == r.group
                r.float_accuracy = float(np.mean(np.asarray(float_predicted)[members] == y[members]))
        columns.append(_judge(name, results, min_examples))
    report = GroupReport(negatives=[n for n in negatives if n in labels], min_examples=min_examples, columns=columns)
    judged = [c for c in columns if c.gap is not None]
    if judged:
        c = max(judged, key=lambda c: (not c.uncertain, round(_confident_gap(c), 6), -len(c.groups)))
        worst = next(g for g in c.groups if g.group == c.worst)
        report.worst = {
            "column": c.column,
            "group": c.worst,
            "accuracy": worst.accuracy,
            "gap": c.gap,
            "best": c.best,
            "uncertain": c.uncertain,
        }
    return report


def _confident_gap(column: ColumnBreakdown) -> float:
    """How sure the gap is: the best group's lower 95 % bound minus the worst group's upper bound."""
    by_name = {g.group: g for g in column.groups}
    return by_name[column.best].accuracy_low - by_name[column.worst].accuracy_high


def _group(name: str, predicted: np.ndarray, y: np.ndarray, negative: np.ndarray, min_examples: int) -> GroupResult:
    n = len(y)
    correct = int(np.sum(predicted == y))
    low, high = wilson_interval(correct, n)
    far = frr = None
    if negative.any():
        is_negative = negative[y]
        if is_negative.any():
            far = float(np.mean(~negative[predicted[is_negative]]))
        if (~is_negative).any():
            frr = float(np.mean(predicted[~is_negative] != y[~is_negative]))
    return GroupResult(
        group=name,
        examples=n,
        accuracy=correct / n if n else float("nan"),
        accuracy_low=low,
        accuracy_high=high,
        false_accept_rate=far,
        false_reject_rate=frr,
        few=n < min_examples,
    )


def _judge(column: str, results: list[GroupResult], min_examples: int) -> ColumnBreakdown:
    out = ColumnBreakdown(column=column, groups=results)
    few = [g.group for g in results if g.few]
    if few:
        out.warnings.append(
            f"{len(few)} group(s) of '{column}' have fewer than {min_examples} test examples "
            f"({', '.join(few[:4])}{', ...' if len(few) > 4 else ''}): too few to judge"
        )
    recorded = [g for g in results if g.group != NOT_RECORDED and g.examples]
    judged = [g for g in recorded if not g.few]
    if len(judged) < 2:
        judged, out.uncertain = [g for g in recorded if g.examples >= MIN_UNCERTAIN], True
    if len(judged) >= 2:
        best = max(judged, key=lambda g: g.accuracy)
        worst = min(judged, key=lambda g: g.accuracy)
        out.best, out.worst, out.gap = best.group, worst.group, best.accuracy - worst.accuracy
    return out
