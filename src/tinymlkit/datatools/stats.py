"""``tinyml data stats``: what a data set folder holds, per label, split and group, with an overview figure.

stats = folder_stats("my_words")          # DataStats: counts, durations, rates, balance, warnings
plot_stats(stats, "stats.png")             # counts per label and split + one example per label
"""

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from tinymlkit.data.split import SPLITS
from tinymlkit.datatools.kinds import DataKind, detect_kind, scan
from tinymlkit.errors import TinyMLError
from tinymlkit.progress import ProgressCallback, silent, track

FEW_PER_LABEL = 20
IMBALANCE_RATIO = 3.0


@dataclass
class DataStats:
    """Counts and summaries of one data set folder (the single source of the table, JSON and figure)."""

    root: str
    kind: str
    files: int
    labels: list[str]
    counts: dict[str, dict[str, int]]  # label -> split -> files
    groups: dict[str, int]  # split -> distinct speakers/subjects
    group_word: str
    files_per_group: dict[str, float]  # min, median, max
    per_group: dict[str, dict[str, int]]  # speaker/subject -> label -> files
    groups_per_label: dict[str, int]
    durations_s: dict[str, dict[str, float]]  # label -> min, median, max
    rates: dict[str, int]  # sample rate -> files
    balance: float  # largest label / smallest label
    metadata: dict[str, dict[str, int]] = field(default_factory=dict)
    unreadable: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    examples: dict[str, str] = field(default_factory=dict)  # label -> one file (drawn in the figure)
    timed: bool = True  # False for kinds without a length (images): no durations or rates


def folder_stats(root: str | Path, kind: str | None = None, progress: ProgressCallback = silent) -> DataStats:
    """Count and summarize the data set folder ``root`` (``kind`` None: detected from its files)."""
    from tinymlkit.apps.kws.data import read_metadata
    from tinymlkit.evaluate.groups import metadata_counts

    root = Path(root)
    data_kind = detect_kind(root, kind)
    entries = scan(root, data_kind)
    labels = sorted({e.label for e in entries})
    counts = {label: dict.fromkeys(SPLITS, 0) for label in labels}
    lengths: dict[str, list[float]] = {label: [] for label in labels}
    rates: Counter = Counter()
    unreadable = []
    for e in track(entries, "Reading files", progress):
        counts[e.label][e.split] += 1
        if data_kind.duration is None:
            continue
        try:
            seconds, rate = data_kind.duration(root / e.path)
        except TinyMLError:
            unreadable.append(e.path)
            continue
        lengths[e.label].append(seconds)
        rates[f"{round(rate):g}"] += 1
    per_group = Counter(e.group for e in entries)
    totals = {label: sum(c.values()) for label, c in counts.items()}
    stats = DataStats(
        root=str(root),
        kind=data_kind.name,
        files=len(entries),
        labels=labels,
        counts=counts,
        groups={s: len({e.group for e in entries if e.split == s}) for s in SPLITS},
        group_word=data_kind.group_word,
        files_per_group=_summary(list(per_group.values())),
        per_group=_per_group(entries),
        groups_per_label={label: len({e.group for e in entries if e.label == label}) for label in labels},
        durations_s={label: _summary(v) for label, v in lengths.items() if v},
        rates=dict(rates),
        balance=max(totals.values()) / max(1, min(totals.values())),
        metadata=metadata_counts(read_metadata(root, [e.path for e in entries])),
        unreadable=unreadable,
        examples={
            label: next(e.path for e in entries if e.label == label and e.path not in unreadable)
            for label in labels
            if any(e.label == label and e.path not in unreadable for e in entries)
        },
        timed=data_kind.duration is not None,
    )
    stats.warnings = _warnings(stats, data_kind, entries)
    return stats


def _per_group(entries) -> dict[str, dict[str, int]]:
    out: dict[str, dict[str, int]] = {}
    for e in entries:
        out.setdefault(e.group, Counter())[e.label] += 1
    return {g: dict(sorted(c.items())) for g, c in sorted(out.items())}


def _summary(values: list[float]) -> dict[str, float]:
    if not values:
        return {"min": 0.0, "median": 0.0, "max": 0.0}
    return {"min": float(np.min(values)), "median": float(np.median(values)), "max": float(np.max(values))}


def _warnings(stats: DataStats, kind: DataKind, entries) -> list[str]:
    out = []
    for label, c in stats.counts.items():
        if sum(c.values()) < FEW_PER_LABEL:
            out.append(f"'{label}' has only {sum(c.values())} files; record at least {FEW_PER_LABEL}")
        for split in SPLITS:
            if c[split] == 0:
                out.append(f"'{label}' has no {split} files")
    if stats.balance > IMBALANCE_RATIO:
        out.append(f"classes are imbalanced: the largest has {stats.balance:.1f}x the files of the smallest")
    split_of_group: dict[str, set[str]] = {}
    for e in entries:
        split_of_group.setdefault(e.group, set()).add(e.split)
    straddle = sorted(g for g, s in split_of_group.items() if len(s) > 1)
    if straddle:
        out.append(
            f"{len(straddle)} {kind.group_word}(s) appear in more than one split ({', '.join(straddle[:3])}"
            f"{', ...' if len(straddle) > 3 else ''}): run 'tinyml data split' to keep each in one"
        )
    if stats.timed and len(stats.rates) > 1:
        out.append(f"mixed sample rates: {', '.join(f'{r} ({n})' for r, n in stats.rates.items())}")
    if stats.unreadable:
        out.append(f"{len(stats.unreadable)} unreadable files (run 'tinyml data audit')")
    return out


def plot_stats(stats: DataStats, path: str | Path) -> Path:
    """Files per label and split (bars) and one example of each label, as the kind draws it."""
    from tinymlkit.datatools.kinds import get_kind
    from tinymlkit.evaluate.plots import figure, save_figure

    kind = get_kind(stats.kind)
    n = len(stats.labels)
    cols = min(n, 6)
    rows = 1 + -(-n // cols)
    fig, axes = figure(nrows=rows, ncols=cols, figsize=(2.2 * cols, 2.0 * rows), squeeze=False)
    for ax in axes.ravel():
        ax.set_visible(False)
    bar = fig.add_subplot(rows, 1, 1)
    bottom = np.zeros(n)
    for split in SPLITS:
        values = np.array([stats.counts[label][split] for label in stats.labels])
        bar.bar(range(n), values, bottom=bottom, label=split)
        bottom += values
    bar.set_xticks(range(n), stats.labels, rotation=30 if n > 6 else 0)
    bar.set_ylabel("files")
    bar.legend(fontsize=7)
    bar.set_title(f"{stats.files} files, {sum(stats.groups.values())} {stats.group_word}s ({stats.kind})", fontsize=9)
    for i, label in enumerate(stats.labels):
        ax = axes[1 + i // cols][i % cols]
        ax.set_visible(True)
        ax.set_xticks([])
        ax.set_yticks([])
        ax.set_title(label, fontsize=8)
        if label in stats.examples:
            try:
                kind.draw(ax, Path(stats.root) / stats.examples[label])
            except TinyMLError:
                ax.text(0.5, 0.5, "unreadable", ha="center", va="center", fontsize=7)
    fig.tight_layout()
    return save_figure(fig, path)
