"""Data card and model card: Markdown documents rendered from a run's :class:`~tinymlkit.report.ModelReport`.

    write_cards(folder, report)      # folder/data_card.md and folder/model_card.md

The templates are ``deploy/templates/cards/*.md.j2``. The data card says what was collected, from whom or what,
whether consent was recorded, how it was split and which gaps the checks found; the model card says what the
model is for, its float and int8 (TFLM) figures overall and per group, and its limitations.
"""

from pathlib import Path

from tinymlkit.fileio import write_text
from tinymlkit.recipe import CardText
from tinymlkit.report import ModelReport

MIN_TRAIN_PER_CLASS = 50
IMBALANCE_RATIO = 3.0
FEW_TEST_GROUPS = 5
QUANTIZATION_GAP = 0.05  # a group losing this much more to int8 than the whole test set is a limitation
EXPECTED_COLUMNS = {
    "gender": "gender is not recorded: a gap between genders would go unnoticed",
    "device": "the recording device is not recorded: a microphone or board the model never met would go unnoticed",
}


def write_cards(
    folder: str | Path, report: ModelReport, card: CardText = CardText(), synthesized: bool = False
) -> dict[str, str]:
    """Write ``data_card.md`` and ``model_card.md`` into ``folder``; returns name -> file name. ``card`` is the
    application's text (use, limitations, what a group is); ``synthesized``: the data is TinyML Kit's own."""
    folder = Path(folder)
    write_text(folder / "data_card.md", data_card(report, card, synthesized))
    write_text(folder / "model_card.md", model_card(report, card, synthesized))
    return {"data_card": "data_card.md", "model_card": "model_card.md"}


def data_card(report: ModelReport, card: CardText = CardText(), synthesized: bool = False) -> str:
    """The data card of a run, as Markdown."""
    from tinymlkit.deploy.render import render

    origin = _origin(report, synthesized)
    return render(
        "cards/data_card.md.j2",
        **_common(report, card),
        origin=origin,
        consent=_consent(report, origin),
        totals={s: sum(c.values()) for s, c in report.data.counts.items()},
        gaps=data_gaps(report, card, synthesized),
    )


def model_card(report: ModelReport, card: CardText = CardText(), synthesized: bool = False) -> str:
    """The model card of a run, as Markdown."""
    from tinymlkit.deploy.render import render

    names = list(dict.fromkeys([*report.float_metrics, *report.int8_metrics]))
    metrics = []
    for name in names:
        f, q = report.float_metrics.get(name), report.int8_metrics.get(name)
        delta = f"{q - f:+.4f}" if f is not None and q is not None else "-"
        metrics.append({"name": name, "float": _fmt(f), "int8": _fmt(q), "delta": delta})
    recall = {k: _fmt(v, 3) for k, v in (report.per_class_recall or {}).items()}
    notes = report.details.card_lines() if hasattr(report.details, "card_lines") else []
    text = render(
        "cards/model_card.md.j2",
        **_common(report, card),
        intended=card.intended,
        not_for=card.not_for,
        model=report.model,
        metrics=metrics,
        recall=recall,
        notes=notes,
        groups=report.groups,
        rate=lambda r: "-" if r is None else f"{r:.3f}",
        limitations=limitations(report, card, synthesized),
    )
    if report.real_world is None:
        return text
    from tinymlkit.evaluate.real_world import card_section

    head, sep, tail = text.partition("\n## Limitations")  # the real-world section goes before the limitations
    return head.rstrip("\n") + "\n\n" + card_section(report.real_world, synthesized) + sep + tail


def data_gaps(report: ModelReport, card: CardText = CardText(), synthesized: bool = False) -> list[str]:
    """What the automatic checks find missing or thin in the data of a run."""
    d, gaps = report.data, []
    train = d.counts.get("train", {})
    thin = [f"{k} ({v})" for k, v in train.items() if v < MIN_TRAIN_PER_CLASS]
    if thin:
        gaps.append(f"classes with fewer than {MIN_TRAIN_PER_CLASS} training examples: {', '.join(thin)}")
    if train and min(train.values()) > 0 and max(train.values()) / min(train.values()) > IMBALANCE_RATIO:
        gaps.append(
            f"class imbalance: the largest class has {max(train.values()) / min(train.values()):.1f} times "
            "the examples of the smallest"
        )
    if d.groups.get("test", 0) < FEW_TEST_GROUPS:
        gaps.append(
            f"only {d.groups.get('test', 0)} {card.group[1]} in the test split: test figures say "
            "little about people or conditions not seen"
        )
    recorded = _origin(report, synthesized).startswith("recorded")
    if d.metadata and recorded:
        gaps += [text for column, text in EXPECTED_COLUMNS.items() if column not in d.metadata]
    if "consent" not in d.metadata and recorded:
        gaps.append("consent is not recorded per example")
    if report.groups:
        gaps += [w for c in report.groups.columns for w in c.warnings]
    return gaps


def limitations(report: ModelReport, card: CardText = CardText(), synthesized: bool = False) -> list[str]:
    """Known limitations of a run's model, from its figures."""
    out = []
    g = report.groups.worst if report.groups else None
    if g:
        out.append(
            f"works least well for {g['column']} = {g['group']} (accuracy {g['accuracy']:.3f}, "
            f"{g['gap']:.3f} below {g['best']}){'; uncertain, the groups are small' if g['uncertain'] else ''}"
        )
    f, q = report.float_metrics.get("accuracy"), report.int8_metrics.get("accuracy")
    if f is not None and q is not None and f - q > 0.01:
        out.append(f"int8 conversion costs {f - q:.3f} accuracy against the float model")
    overall = f - q if f is not None and q is not None else 0.0
    for column in report.groups.columns if report.groups else []:
        for grp in column.groups:
            cost = grp.float_accuracy - grp.accuracy if grp.float_accuracy is not None else 0.0
            if not grp.few and cost > overall + QUANTIZATION_GAP:
                out.append(f"int8 costs {column.column} = {grp.group} {cost:.3f} accuracy (overall {overall:.3f})")
    if report.real_world is not None:
        from tinymlkit.evaluate.real_world import gap_line

        gap = gap_line(report.real_world)
        out += [gap] if gap else []
    if _origin(report, synthesized).startswith("synthesized"):
        out.append(
            "trained and tested on synthesized data only: figures on real people and real sensors will be "
            "lower; test with recordings of the people who will use it"
        )
    out += card.limitations
    out.append(f"the tensor arena was measured on the host: {report.model.arena_note}")
    return out


def _common(report: ModelReport, card: CardText) -> dict:
    one, many = card.group
    return {"app": report.app, "created": report.created, "data": report.data, "group_word": many, "group_one": one}


def _origin(report: ModelReport, synthesized: bool) -> str:
    source = report.data.source
    if synthesized:
        return f"synthesized by TinyML Kit ({source.split(' at ')[0]}); no person was recorded"
    devices = report.data.metadata.get("device")
    via = f" with {', '.join(devices)}" if devices else ""
    return f"recorded{via} (see the folder's metadata.csv)"


def _consent(report: ModelReport, origin: str) -> str:
    consent = report.data.metadata.get("consent")
    if consent:
        return "Recorded per example: " + ", ".join(f"{k} ({v})" for k, v in consent.items()) + "."
    if origin.startswith("synthesized"):
        return "Not applicable: the data is synthesized, no person was recorded."
    return (
        "Not recorded. Before sharing the data or a model trained on it, confirm every speaker or subject "
        "agreed, and add a `consent` column to metadata.csv."
    )


def _fmt(value: float | None, digits: int = 4) -> str:
    return "-" if value is None else f"{value:.{digits}f}"
