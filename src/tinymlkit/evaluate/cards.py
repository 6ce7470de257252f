"""Data card and model card: Markdown documents rendered from a run's :class:`~tinymlkit.report.ModelReport`.

    write_cards(folder, report)      # folder/data_card.md and folder/model_card.md

The templates are ``deploy/templates/cards/*.md.j2``. The data card says what was collected, from whom or what,
whether consent was recorded, how it was split and which gaps the checks found; the model card says what the
model is for, its float and int8 (TFLM) figures overall and per group, and its limitations.
"""

from pathlib import Path

from tinymlkit.fileio import write_text
from tinymlkit.report import ModelReport

MIN_TRAIN_PER_CLASS = 50
IMBALANCE_RATIO = 3.0
FEW_TEST_GROUPS = 5
QUANTIZATION_GAP = 0.05  # a group losing this much more to int8 than the whole test set is a limitation
EXPECTED_COLUMNS = {
    "gender": "gender is not recorded: a gap between genders would go unnoticed",
    "device": "the recording device is not recorded: a microphone or board the model never met would go unnoticed",
}

USES = {
    "kws": (
        "Recognize a few spoken keywords on a microcontroller (always-on listening, one second of audio at a time), "
        "for hands-free control of a device in a quiet to moderately noisy room.",
        "identifying or verifying who speaks, safety-critical or emergency controls, languages or accents far from "
        "the training voices, or transcribing speech.",
    ),
    "wand": (
        "Recognize a few gestures drawn in the air with the board held like a wand, for playful or hands-free "
        "control.",
        "identifying people by their movement, medical or safety-critical use, or gestures and ways of holding "
        "the board the training users never showed.",
    ),
    "sine": (
        "Teaching: the smallest end-to-end TinyML model (it approximates sin(x) to fade an LED).",
        "anything but learning the workflow.",
    ),
}
GENERIC_USE = ("Classify the inputs it was trained on, on a microcontroller.",
               "uses beyond the classes and conditions of its training data.")


def write_cards(folder: str | Path, report: ModelReport) -> dict[str, str]:
    """Write ``data_card.md`` and ``model_card.md`` into ``folder``; returns name -> file name."""
    folder = Path(folder)
    write_text(folder / "data_card.md", data_card(report))
    write_text(folder / "model_card.md", model_card(report))
    return {"data_card": "data_card.md", "model_card": "model_card.md"}


def data_card(report: ModelReport) -> str:
    """The data card of a run, as Markdown."""
    from tinymlkit.deploy.render import render

    return render("cards/data_card.md.j2", **_common(report), origin=_origin(report), consent=_consent(report),
                  totals={s: sum(c.values()) for s, c in report.data.counts.items()}, gaps=data_gaps(report))


def model_card(report: ModelReport) -> str:
    """The model card of a run, as Markdown."""
    from tinymlkit.deploy.render import render

    intended, not_for = USES.get(report.app, GENERIC_USE)
    names = list(dict.fromkeys([*report.float_metrics, *report.int8_metrics]))
    metrics = []
    for name in names:
        f, q = report.float_metrics.get(name), report.int8_metrics.get(name)
        delta = f"{q - f:+.4f}" if f is not None and q is not None else "-"
        metrics.append({"name": name, "float": _fmt(f), "int8": _fmt(q), "delta": delta})
    recall = {k: _fmt(v, 3) for k, v in report.extra.get("per_class_recall_int8", {}).items()}
    return render("cards/model_card.md.j2", **_common(report), intended=intended, not_for=not_for, model=report.model,
                  metrics=metrics, recall=recall, streaming=report.extra.get("streaming"), groups=report.groups,
                  rate=lambda r: "-" if r is None else f"{r:.3f}", limitations=limitations(report))


def data_gaps(report: ModelReport) -> list[str]:
    """What the automatic checks find missing or thin in the data of a run."""
    d, gaps = report.data, []
    train = d.counts.get("train", {})
    thin = [f"{k} ({v})" for k, v in train.items() if v < MIN_TRAIN_PER_CLASS]
    if thin:
        gaps.append(f"classes with fewer than {MIN_TRAIN_PER_CLASS} training examples: {', '.join(thin)}")
    if train and min(train.values()) > 0 and max(train.values()) / min(train.values()) > IMBALANCE_RATIO:
        gaps.append(f"class imbalance: the largest class has {max(train.values()) / min(train.values()):.1f} times "
                    "the examples of the smallest")
    if d.groups.get("test", 0) < FEW_TEST_GROUPS:
        gaps.append(f"only {d.groups.get('test', 0)} {_group_words(report)[1]} in the test split: test figures say "
                    "little about people or conditions not seen")
    recorded = _origin(report).startswith("recorded")
    if d.metadata and recorded:
        gaps += [text for column, text in EXPECTED_COLUMNS.items() if column not in d.metadata]
    if "consent" not in d.metadata and recorded:
        gaps.append("consent is not recorded per example")
    if report.groups:
        gaps += [w for c in report.groups.columns for w in c.warnings]
    return gaps


def limitations(report: ModelReport) -> list[str]:
    """Known limitations of a run's model, from its figures."""
    out = []
    g = report.groups.worst if report.groups else None
    if g:
        out.append(f"works least well for {g['column']} = {g['group']} (accuracy {g['accuracy']:.3f}, "
                   f"{g['gap']:.3f} below {g['best']}){'; uncertain, the groups are small' if g['uncertain'] else ''}")
    f, q = report.float_metrics.get("accuracy"), report.int8_metrics.get("accuracy")
    if f is not None and q is not None and f - q > 0.01:
        out.append(f"int8 conversion costs {f - q:.3f} accuracy against the float model")
    overall = f - q if f is not None and q is not None else 0.0
    for column in report.groups.columns if report.groups else []:
        for grp in column.groups:
            cost = grp.float_accuracy - grp.accuracy if grp.float_accuracy is not None else 0.0
            if not grp.few and cost > overall + QUANTIZATION_GAP:
                out.append(f"int8 costs {column.column} = {grp.group} {cost:.3f} accuracy (overall {overall:.3f})")
    if _origin(report).startswith("synthesized"):
        out.append("trained and tested on synthesized data only: figures on real people and real sensors will be "
                   "lower; test with recordings of the people who will use it")
    if report.app == "kws":
        out.append("the test clips are one isolated word each; continuous speech, far-field or very noisy rooms "
                   "cause more false accepts")
    out.append(f"the tensor arena was measured on the host: {report.model.arena_note}")
    return out


def _common(report: ModelReport) -> dict:
    one, many = _group_words(report)
    return {"app": report.app, "created": report.created, "data": report.data, "group_word": many, "group_one": one}


def _group_words(report: ModelReport) -> tuple[str, str]:
    """What a group is, singular and plural: a speaker for keywords, a subject for gestures."""
    return {"kws": ("speaker (voice)", "speakers (voices)"), "wand": ("subject (user)", "subjects (users)")}.get(
        report.app, ("group", "groups"))


def _origin(report: ModelReport) -> str:
    source = report.data.source
    if source.startswith("built-in"):
        return f"synthesized by TinyML Kit ({source.split(' at ')[0]}); no person was recorded"
    if (Path(source) / "synth_kws.json").is_file():
        return "synthesized by TinyML Kit's eSpeak NG voices ('tinyml kws synth'); no person was recorded"
    devices = report.data.metadata.get("device")
    via = f" with {', '.join(devices)}" if devices else ""
    return f"recorded{via} (see the folder's metadata.csv)"


def _consent(report: ModelReport) -> str:
    consent = report.data.metadata.get("consent")
    if consent:
        return "Recorded per example: " + ", ".join(f"{k} ({v})" for k, v in consent.items()) + "."
    if report.data.source.startswith("built-in") or _origin(report).startswith("synthesized"):
        return "Not applicable: the data is synthesized, no person was recorded."
    return ("Not recorded. Before sharing the data or a model trained on it, confirm every speaker or subject "
            "agreed, and add a `consent` column to metadata.csv.")


def _fmt(value: float | None, digits: int = 4) -> str:
    return "-" if value is None else f"{value:.{digits}f}"
