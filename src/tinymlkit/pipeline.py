"""The one pipeline every application runs (:func:`run`): data, device features, training, int8 conversion with
TFLM verification, the recipe's task scores, and the run folder (deployment files, figures, cards, report.json).

    report = run(kws, kws.config(words=["yes", "no"]))     # any recipe (see tinymlkit.recipe), any config
"""

import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from tinymlkit.data.dataset import Dataset
from tinymlkit.data.split import SPLITS
from tinymlkit.evaluate.groups import metadata_counts
from tinymlkit.evaluate.real_world import load_real_test, match_labels, measure_real_world
from tinymlkit.fileio import building_dir, write_text
from tinymlkit.progress import ProgressCallback, silent
from tinymlkit.recipe import CardText, Features, Figure, Recipe, Trained
from tinymlkit.report import DataSummary, ModelReport, ModelSummary, TrainingSummary
from tinymlkit.runs import new_run_path, releasing
from tinymlkit.runtime.tflm import HOST_POINTER_NOTE, TFLMModel, measure_arena

__all__ = ["Features", "Int8Result", "RunSpec", "Stopwatch", "run", "save_run", "summarize_data", "verify_int8"]


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
    card: CardText = CardText()  # the model card's use and limitation text
    synthesized: bool = False  # the data is TinyML Kit's own synthesized data (the data card says so)


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
        cards = write_cards(tmp / "deploy", report, spec.card, spec.synthesized)
        artifacts.update({k: f"deploy/{v}" for k, v in cards.items()})
        report.save(tmp)
    return report


def run(recipe: Recipe, config=None, progress: ProgressCallback = silent) -> ModelReport:
    """Run one application from data to the run folder: load the data, compute the device features, train with
    a fixed seed, convert to int8, check it in TFLM, score it with the recipe's task, measure what the recipe adds
    (and, with ``config.real_test``, the int8 model on that folder of real-world examples), and write the run folder
    (deployment files, sketch, cards, figures, report.json). ``config`` None: the recipe's defaults. The run folder
    is ``report.run_dir``."""
    from tinymlkit.train import seed_everything

    config = config if config is not None else recipe.config_type()
    watch = Stopwatch()
    real_folder = getattr(config, "real_test", None)
    with watch("data"):
        real = load_real_test(recipe, config, real_folder, progress) if real_folder else None  # bad input: at once
        data, source = recipe.load_data(config, progress)
        real = real or data.extras.get("real_test")  # e.g. your own clips held out of a mixed data set
        if real is not None:
            real = (match_labels(real[0], list(data.labels), real_folder), real[1])
    with watch("features"):
        features = recipe.features(data, config, progress)
    seed_everything(config.seed)
    model = recipe.build_model(config, data)
    with watch("train"):
        training = recipe.train(model, features, config, progress)
    int8 = verify_int8(
        model, features["train"][0], features["test"][0], recipe.input_range(config, data), progress, watch
    )
    trained = Trained(config, data, source, features, model, int8, training)
    trained.scores = recipe.task.score(trained, recipe, progress)
    with watch("measure"):
        trained.details = recipe.measure(trained, progress)
    if real is not None:
        with watch("real-world test"):
            trained.real_world = measure_real_world(
                recipe, config, *real, int8.tflite, trained.scores.int8_metrics, progress, recipe.files(trained)
            )
    return save_run(run_spec(recipe, trained), int8, run_report(recipe, trained), watch)


def run_report(recipe: Recipe, trained: Trained) -> ModelReport:
    """The report of a run, before its folder is written."""
    s = trained.scores
    return ModelReport(
        app=recipe.name,
        run_dir="",
        settings=recipe.settings(trained.config),
        data=summarize_data(trained.data, trained.source),
        model=trained.int8.summary(recipe.family(trained.config), int(trained.model.count_params())),
        float_metrics=s.float_metrics,
        int8_metrics=s.int8_metrics,
        confusion=s.confusion,
        training=TrainingSummary(trained.training.epochs_run, trained.training.best_epoch),
        test_examples=s.test_examples,
        per_class_recall=s.per_class_recall,
        thresholds=s.thresholds,
        threshold_rule=s.threshold_rule,
        details=trained.details,
        groups=s.groups,
        real_world=trained.real_world,
    )


def run_spec(recipe: Recipe, trained: Trained) -> RunSpec:
    """What the run folder holds besides the report: sketch, labels, figures, files and card text."""
    config, labels = trained.config, list(trained.data.labels)
    return RunSpec(
        app=recipe.name,
        runs=config.runs,
        settings=recipe.settings(config),
        sketch_context=recipe.sketch_context(config, labels, trained.int8.tflm, trained.details),
        templates=recipe.templates,
        labels=labels,
        figures={**recipe.task.figures(trained), **recipe.figures(trained)},
        files=recipe.files(trained),
        card=recipe.card_text(trained),
        synthesized=recipe.synthesized(config),
    )
