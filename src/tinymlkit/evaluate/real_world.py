"""Real-world test sets beside the synthetic one: the int8 model in TFLM on a folder of real recordings or photos
that training never saw (``--real-test DIR``), reported beside the held-out test split.

A model trained on synthesized voices or drawn scenes can score 95 % on held-out synthetic data and fail on the
first real person; these figures show that gap in every report. The folder is read with the application's own
loader (so clips are resampled and downmixed, photos turned into camera frames, exactly as for ``--data``) and
measured with the application's own :meth:`~tinymlkit.recipe.Recipe.evaluate`.

    data, source = load_real_test(recipe, config, "my_recordings")            # every example as a test example
    data = match_labels(data, trained_labels, "my_recordings")                 # in the model's label order
    summary = measure_real_world(recipe, config, data, source, tflite, test_metrics)
"""

import tempfile
from pathlib import Path

import numpy as np

from tinymlkit.data.dataset import Dataset
from tinymlkit.errors import TinyMLError
from tinymlkit.progress import ProgressCallback, silent
from tinymlkit.report import RealWorldSummary

FLAG = "--real-test"


def load_real_test(recipe, config, folder: str | Path, progress: ProgressCallback = silent) -> tuple[Dataset, str]:
    """Every example of ``folder`` (or of a data file the loader reads, e.g. the wand's strokes .json) read by
    ``recipe``'s loader, all in the test split; a one-line error for a path that is missing or empty."""
    folder = Path(folder)
    if not folder.exists():
        raise TinyMLError(f"{FLAG} folder {folder} not found; give a folder of real examples in the --data layout")
    if folder.is_dir() and not any(p for p in folder.iterdir() if not p.name.startswith(".")):
        raise TinyMLError(f"{FLAG} folder {folder} is empty; put real examples in it, one folder per label")
    try:
        data, source = recipe.load_real_test(config, folder, progress)
    except TinyMLError as exc:
        raise TinyMLError(f"{FLAG} {folder}: {exc}") from None
    if len(data) == 0:
        raise TinyMLError(
            f"{FLAG} folder {folder} holds no readable examples; put real examples in it, one folder per label"
        )
    data = data.take(np.arange(len(data)))
    data.split = np.full(len(data), "test", dtype=object)
    return data, source


def match_labels(data: Dataset, labels: list[str], folder: str | Path) -> Dataset:
    """``data`` with its label indices in the order of the model's ``labels``; a label with examples that the
    model does not know is a one-line error."""
    present = [label for i, label in enumerate(data.labels) if np.any(data.y == i)]
    unknown = [label for label in present if label not in labels]
    if unknown:
        raise TinyMLError(
            f"{FLAG} {folder} has examples of {', '.join(unknown)}, which the model does not know (it "
            f"knows {', '.join(labels)}); rename or remove those folders"
        )
    index = np.array([labels.index(label) if label in labels else -1 for label in data.labels], dtype=np.int64)
    out = data.take(np.arange(len(data)))
    out.y = index[data.y] if len(data) else data.y
    out.labels = list(labels)
    return out


def measure_real_world(
    recipe,
    config,
    data: Dataset,
    source: str,
    tflite: bytes,
    test_metrics: dict[str, float],
    progress: ProgressCallback = silent,
    files: dict[str, tuple[str, str]] | None = None,
) -> RealWorldSummary:
    """The int8 model ``tflite`` in TFLM on the real examples ``data`` (all test), with the recipe's own evaluation;
    ``test_metrics`` are its figures on the held-out test split, kept beside them. The model is evaluated from a
    scratch run folder (``deploy/model.tflite``) holding the recipe's ``files`` too (artifact -> (path, text)),
    for an evaluation that reads what a run writes beside its model."""
    with tempfile.TemporaryDirectory(prefix="tinyml-real-test-") as tmp:
        for relative, text in (files or {}).values():
            (Path(tmp) / relative).parent.mkdir(parents=True, exist_ok=True)
            (Path(tmp) / relative).write_text(text, encoding="utf-8")
        path = Path(tmp) / "deploy" / "model.tflite"
        path.parent.mkdir(exist_ok=True)
        path.write_bytes(tflite)
        result = recipe.evaluate(path, data, config, list(data.labels), progress)
    labels = list(data.labels)
    counts = {label: int(np.sum(data.y == i)) for i, label in enumerate(labels) if np.any(data.y == i)}
    recall = false_accepts = negatives = None
    if result.confusion:
        cm = np.asarray(result.confusion)
        recall = {label: float(cm[i, i] / cm[i].sum()) for i, label in enumerate(labels) if cm[i].sum()}
        no_command = [labels.index(n) for n in getattr(recipe.task, "negatives", []) if n in labels]
        if no_command:
            commands = [i for i in range(len(labels)) if i not in no_command]
            negatives = int(cm[no_command].sum())
            false_accepts = int(cm[np.ix_(no_command, commands)].sum())
    return RealWorldSummary(
        source=source,
        examples=result.examples,
        counts=counts,
        metrics=dict(result.metrics),
        test_metrics=dict(test_metrics),
        confusion=result.confusion,
        per_class_recall=recall,
        false_accepts=false_accepts,
        negatives=negatives,
        notes=dict(data.notes),
    )


def card_section(real: RealWorldSummary, synthesized: bool) -> str:
    """The model card's "Real-world test" section, as Markdown."""
    kind = "synthesized" if synthesized else "held-out"
    lines = [
        "## Real-world test",
        "",
        f"The int8 model in TFLM on {real.examples} real examples from `{real.source}` that training never saw, "
        f"beside the {kind} test split.",
        "",
        f"| metric | {kind} test split | real-world test |",
        "|---|---:|---:|",
    ]
    for name in dict.fromkeys([*real.test_metrics, *real.metrics]):
        lines.append(f"| {name} | {_fmt(real.test_metrics.get(name))} | {_fmt(real.metrics.get(name))} |")
    lines.append("")
    lines.append("Real examples per label: " + ", ".join(f"{k} {v}" for k, v in real.counts.items()) + ".")
    if real.per_class_recall:
        lines += [
            "",
            "Recall per label (real): " + ", ".join(f"{k} {v:.3f}" for k, v in real.per_class_recall.items()) + ".",
        ]
    if real.negatives:
        lines += [
            "",
            f"False accepts: {real.false_accepts} of {real.negatives} real non-command examples were taken "
            "for a command.",
        ]
    if real.notes:
        lines += ["", "Loading notes: " + ", ".join(f"{k}: {v}" for k, v in real.notes.items()) + "."]
    return "\n".join(lines) + "\n"


def gap_line(real: RealWorldSummary, threshold: float = 0.05) -> str | None:
    """A limitation line when accuracy on the real examples is well below the test split's."""
    test, got = real.test_metrics.get("accuracy"), real.metrics.get("accuracy")
    if test is None or got is None or not test - got > threshold:
        return None
    return (
        f"on {real.examples} real-world examples the int8 accuracy is {got:.3f}, against {test:.3f} on the test "
        "split: the test split overstates how it does in the world"
    )


def _fmt(value: float | None) -> str:
    return "-" if value is None or value != value else f"{value:.4f}"
