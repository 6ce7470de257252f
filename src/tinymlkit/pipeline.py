"""The steps every application shares: training a classifier, int8 conversion with TFLM verification, and the
run folder (deployment files, figures, report.json).

A recipe (see ``apps/``) loads its data and computes its device features, then either calls
:func:`run_classifier` (classification apps) or composes :func:`verify_int8` and :func:`save_run` itself.
"""

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from tinymlkit.data.dataset import Dataset
from tinymlkit.data.split import SPLITS
from tinymlkit.evaluate.groups import breakdown, metadata_counts
from tinymlkit.fileio import building_dir, write_text
from tinymlkit.progress import ProgressCallback, silent
from tinymlkit.report import DataSummary, ModelReport, ModelSummary
from tinymlkit.runs import new_run_path, releasing
from tinymlkit.runtime.tflm import HOST_POINTER_NOTE, TFLMModel, measure_arena
from tinymlkit.train import TrainConfig

Features = dict[str, tuple[np.ndarray, np.ndarray]]  # split -> (inputs, targets)
Figure = Callable[[Path], None]  # draws one PNG at the given path


@dataclass
class Int8Result:
    """An int8 model and its outputs on the test inputs, both from the TFLM interpreter."""

    tflite: bytes
    tflm: TFLMModel
    outputs: np.ndarray  # dequantized outputs on the test inputs

    def summary(self, family: str, parameters: int) -> ModelSummary:
        return ModelSummary(
            family=family,
            parameters=parameters,
            flash_bytes=len(self.tflite),
            arena_bytes=self.tflm.arena_size,
            ops=self.tflm.info.op_names,
            input_shape=list(self.tflm.input.shape),
            input_scale=self.tflm.input.scale,
            input_zero_point=self.tflm.input.zero_point,
            output_scale=self.tflm.output.scale,
            output_zero_point=self.tflm.output.zero_point,
            arena_note=HOST_POINTER_NOTE,
        )


class Stopwatch:
    """Times named stages: ``with watch("train"): ...``; ``watch.seconds`` maps stage to seconds."""

    def __init__(self) -> None:
        self.seconds: dict[str, float] = {}

    @contextmanager
    def __call__(self, stage: str) -> Iterator[None]:
        start = time.perf_counter()
        try:
            yield
        finally:
            self.seconds[stage] = round(self.seconds.get(stage, 0.0) + time.perf_counter() - start, 2)


@dataclass
class RunSpec:
    """What identifies a run and its deployment: app name, sketch templates and their context, settings to
    record."""

    app: str
    runs: str
    settings: dict
    sketch_context: dict
    templates: Path  # the application's sketch template folder
    labels: list[str] | None = None
    figures: dict[str, tuple[str, Figure]] = field(default_factory=dict)  # artifact -> (file name, drawer)
    files: dict[str, tuple[str, str]] = field(default_factory=dict)  # artifact -> (path in the run folder, text)
    negatives: list[str] = field(default_factory=list)  # "no command" classes, for false accepts per group


def verify_int8(
    model,
    representative: np.ndarray,
    test_inputs: np.ndarray,
    input_range: tuple[float, float] | None = None,
    progress: ProgressCallback = silent,
    watch: Stopwatch | None = None,
) -> Int8Result:
    """Quantize ``model`` to int8 (stage "convert"), measure its arena in TFLM and run the test inputs through
    TFLM (stage "verify in TFLM"); ``watch`` times the two stages."""
    from tinymlkit.convert.quantize import to_int8

    watch = watch or Stopwatch()
    with watch("convert"):
        tflite = to_int8(model, representative, input_range=input_range, progress=progress)
    with watch("verify in TFLM"):
        tflm = TFLMModel(tflite, arena_size=measure_arena(tflite, progress))
        return Int8Result(tflite, tflm, tflm.predict(test_inputs, progress))


def summarize_data(data: Dataset, source: str) -> DataSummary:
    """Counts per split and label, distinct groups per split, and the loader's notes."""
    return DataSummary(
        source=source,
        labels=list(data.labels),
        counts=data.counts(),
        groups={s: int(len(set(data.group[data.split == s]))) for s in SPLITS},
        notes=dict(data.notes),
        metadata=metadata_counts(data.meta),
    )


def save_run(spec: RunSpec, int8: Int8Result, report: ModelReport, watch: Stopwatch) -> ModelReport:
    """Write the run folder ``<runs>/<app>-<time>/``: deployment files, labels, data and model cards, figures and
    report.json.

    The folder is built under a temporary name, so it either appears complete or not at all. ``report`` gets
    its ``run_dir``, ``artifacts`` and ``timings`` filled in.
    """
    from tinymlkit.deploy.package import package
    from tinymlkit.evaluate.cards import write_cards

    final = new_run_path(spec.app, spec.runs)
    with releasing(final), building_dir(final) as tmp:
        with watch("deploy"):
            artifacts = package(
                tmp / "deploy",
                int8.tflite,
                int8.tflm.arena_size,
                templates=spec.templates,
                sketch=f"{spec.app}_sketch",
                context={**spec.sketch_context, "run_dir": str(final)},
            )
            if spec.labels:
                write_text(tmp / "deploy" / "labels.txt", "\n".join(spec.labels) + "\n")
                artifacts["labels"] = "deploy/labels.txt"
            for name, (filename, text) in spec.files.items():
                write_text(tmp / filename, text)
                artifacts[name] = filename
            for name, (filename, draw) in spec.figures.items():
                draw(tmp / filename)
                artifacts[name] = filename
        report.run_dir, report.artifacts, report.timings = str(final), artifacts, dict(watch.seconds)
        artifacts.update({k: f"deploy/{v}" for k, v in write_cards(tmp / "deploy", report).items()})
        report.save(tmp)
    return report


def run_classifier(
    spec: RunSpec,
    data: Dataset,
    source: str,
    features: Features,
    model,
    family: str,
    train: TrainConfig,
    input_range: tuple[float, float] | None = None,
    watch: Stopwatch | None = None,
    progress: ProgressCallback = silent,
    measure: Callable[[Int8Result], dict] | None = None,
) -> ModelReport:
    """Train a softmax classifier on ``features``, verify it as int8 in TFLM and save the run.

    The report has float and int8 accuracy on the test split, the int8 confusion matrix (also as
    ``confusion.png``), per-class recall and the int8 results per metadata group (``report.groups``).
    ``measure`` adds application-specific figures measured on the int8 model to ``report.extra``.
    """
    import keras

    from tinymlkit.evaluate.metrics import classify
    from tinymlkit.evaluate.plots import plot_confusion
    from tinymlkit.train import fit

    watch = watch or Stopwatch()
    (x_train, y_train), (x_val, y_val), (x_test, y_test) = (features[s] for s in SPLITS)
    with watch("train"):
        model.compile(
            optimizer=keras.optimizers.Adam(train.learning_rate),
            loss="sparse_categorical_crossentropy",
            metrics=["accuracy"],
        )
        trained = fit(model, (x_train, y_train), (x_val, y_val), train, progress)
    float_scores = model.predict(x_test, verbose=0, batch_size=256)
    float_result = classify(float_scores, y_test, data.labels)
    int8 = verify_int8(model, x_train, x_test, input_range=input_range, progress=progress, watch=watch)
    int8_result = classify(int8.outputs, y_test, data.labels)

    def draw_confusion(path: Path) -> None:
        plot_confusion(int8_result.confusion, data.labels, "int8 model in TFLM, test split", path)

    spec.labels = spec.labels or list(data.labels)
    spec.figures = {"confusion_matrix": ("confusion.png", draw_confusion), **spec.figures}
    report = ModelReport(
        app=spec.app,
        run_dir="",
        settings=spec.settings,
        data=summarize_data(data, source),
        model=int8.summary(family, int(model.count_params())),
        float_metrics={"accuracy": float_result.accuracy},
        int8_metrics={"accuracy": int8_result.accuracy},
        confusion=int8_result.confusion,
        extra={
            "epochs_run": trained.epochs_run,
            "best_epoch": trained.best_epoch,
            "per_class_recall_int8": int8_result.per_class_recall,
            "test_examples": int8_result.examples,
        },
    )
    test = data.part("test")
    report.groups = breakdown(np.argmax(int8.outputs, axis=1), y_test, data.labels, test.meta, spec.negatives,
                              float_predicted=np.argmax(float_scores, axis=1))
    if measure is not None:
        with watch("measure"):
            report.extra.update(measure(int8))
    return save_run(spec, int8, report, watch)
