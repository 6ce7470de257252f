"""Print a :class:`~tinymlkit.report.ModelReport` as Rich tables (the same object report.json is written from)."""

from rich.markup import escape

from tinymlkit.cli.ui import console, table
from tinymlkit.evaluate.groups import GroupReport
from tinymlkit.report import ModelReport, RealWorldSummary


def show_report(report: ModelReport) -> None:
    """Data counts, float vs int8 quality, model size and arena, stage times, confusion matrix, artifacts."""
    d = report.data
    console.print(f"[bold]Data[/]: {d.source}")
    rows = [[label] + [d.counts[s].get(label, 0) for s in ("train", "validation", "test")] for label in d.labels]
    rows.append(["[dim]speakers/groups[/]"] + [d.groups.get(s, 0) for s in ("train", "validation", "test")])
    console.print(table("examples per split", ["label", "train", "validation", "test"], rows))
    if d.notes:
        console.print("  loading notes: " + ", ".join(f"{k}: {v}" for k, v in d.notes.items()), style="dim")

    names = list(dict.fromkeys([*report.float_metrics, *report.int8_metrics]))
    metric_rows = []
    for name in names:
        f, q = report.float_metrics.get(name), report.int8_metrics.get(name)
        delta = q - f if f is not None and q is not None else None
        metric_rows.append([name, _num(f), _num(q), _num(delta, signed=True)])
    console.print(
        table("quality on the test split", ["metric", "float (Keras)", "int8 (TFLM)", "difference"], metric_rows)
    )

    m = report.model
    console.print(
        table(
            "model",
            ["", "value"],
            [
                ["family", m.family],
                ["parameters", m.parameters],
                ["flash (model bytes)", m.flash_bytes],
                ["tensor arena (bytes)", m.arena_bytes],
                ["operators", ", ".join(m.ops)],
                ["input quantization", f"scale {m.input_scale:.6g}, zero point {m.input_zero_point}"],
            ],
        )
    )
    console.print(f"  arena {m.arena_note}", style="dim")
    if report.confusion:
        labels = d.labels
        rows = [[labels[i]] + list(r) for i, r in enumerate(report.confusion)]
        console.print(table("confusion matrix, int8 in TFLM (rows true, columns predicted)", ["", *labels], rows))
    if report.groups:
        show_groups(report.groups)
    if report.real_world:
        show_real_world(report.real_world)
    if report.timings:
        total = sum(report.timings.values())
        console.print(
            "  time: " + ", ".join(f"{k} {v:.1f} s" for k, v in report.timings.items()) + f" (total {total:.1f} s)",
            style="dim",
        )
    console.print(f"[bold green]Run folder[/]: {report.run_dir}")
    for name, path in report.artifacts.items():
        console.print(f"  {name}: {report.run_dir}/{path}", highlight=False)


def show_real_world(real: RealWorldSummary) -> None:
    """The int8 model on the real-world examples beside the test split, per label, and the false accepts."""
    names = list(dict.fromkeys([*real.test_metrics, *real.metrics]))
    rows = [[name, _num(real.test_metrics.get(name)), _num(real.metrics.get(name))] for name in names]
    console.print(
        table(
            f"real-world test: {escape(real.source)} ({real.examples} examples), int8 in TFLM",
            ["metric", "test split", "real world"],
            rows,
        )
    )
    recall = real.per_class_recall or {}
    console.print(
        "  real examples per label: "
        + ", ".join(f"{k} {v}" + (f" (recall {recall[k]:.3f})" if k in recall else "") for k, v in real.counts.items()),
        style="dim",
        highlight=False,
    )
    if real.negatives:
        console.print(
            f"  false accepts: {real.false_accepts} of {real.negatives} real non-command examples taken for a command",
            style="dim",
            highlight=False,
        )
    if real.notes:
        console.print(
            "  loading notes: " + ", ".join(f"{k}: {v}" for k, v in real.notes.items()), style="dim", highlight=False
        )


def show_groups(groups: GroupReport) -> None:
    """One line per metadata column (best, worst, gap), every group of the column with the worst group, and
    the warnings about groups too small to judge (the model card lists every group)."""
    if not groups.columns:
        return
    rows = []
    for c in groups.columns:
        gap = "-" if c.gap is None else f"{c.gap:.3f}" + (" (uncertain)" if c.uncertain else "")
        rows.append([c.column, len(c.groups), c.best or "-", c.worst or "-", gap])
    console.print(table("int8 accuracy per group, test split", ["column", "groups", "best", "worst", "gap"], rows))
    w = groups.worst
    if not w:
        return
    column = groups.column(w["column"])
    rows = []
    for g in column.groups:
        mark = "[red]worst[/]" if g.group == column.worst else "[green]best[/]" if g.group == column.best else ""
        rows.append(
            [
                g.group,
                g.examples,
                f"{g.accuracy:.3f} ({g.accuracy_low:.2f}-{g.accuracy_high:.2f})",
                _rate(g.float_accuracy),
                _rate(g.false_accept_rate),
                _rate(g.false_reject_rate),
                mark + (" [yellow]too few[/]" if g.few else ""),
            ]
        )
    console.print(
        table(
            f"by {column.column} (95 % interval)",
            ["group", "n", "int8 accuracy", "float", "false accept", "false reject", ""],
            rows,
        )
    )
    note = f" (uncertain: groups under {groups.min_examples} examples)" if w["uncertain"] else ""
    console.print(
        f"  [bold yellow]worst group[/]: {w['column']} = {w['group']}, accuracy {w['accuracy']:.3f}, "
        f"{w['gap']:.3f} below {w['best']}{note}",
        highlight=False,
    )
    few = sum(g.few for c in groups.columns for g in c.groups)
    if few:
        console.print(
            f"  warning: {few} groups have fewer than {groups.min_examples} test examples, too few to "
            "judge (see model_card.md)",
            style="yellow",
            highlight=False,
        )


def _rate(value: float | None) -> str:
    return "-" if value is None else f"{value:.3f}"


def _num(value: float | None, signed: bool = False) -> str:
    if value is None:
        return "-"
    return f"{value:+.4f}" if signed else f"{value:.4f}"
