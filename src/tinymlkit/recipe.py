"""The application contract: a :class:`Recipe` says what one application is (its data, its device features, its
model, its sketch) and a :class:`Task` what kind of problem it solves (classification, regression, anomaly score:
the loss, the metrics and the report fields). :func:`tinymlkit.pipeline.run` runs every recipe the same way.

A new application is one subclass of :class:`Recipe` (see ``docs/architecture.md``)::

    class Blink(Recipe):
        name, title, config_type, task = "blink", "LED blink", BlinkConfig, Regression()
        def load_data(self, config, progress=silent): ...      # -> (Dataset, source description)
        def features(self, data, config, progress=silent): ... # -> Features (split -> (inputs, targets))
        def build_model(self, config, data): ...                # -> an uncompiled Keras model
"""

from collections.abc import Callable
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Any

import numpy as np

from tinymlkit.data.dataset import Dataset
from tinymlkit.data.split import SPLITS
from tinymlkit.errors import TinyMLError
from tinymlkit.evaluate.groups import GroupReport
from tinymlkit.progress import ProgressCallback, silent
from tinymlkit.train import TrainConfig, TrainResult

Figure = Callable[[Path], None]  # draws one PNG at the given path


class Features(dict):
    """Model inputs and targets per split (``features["train"] == (x, y)``), and ``fitted``: what computing them
    learned from the training split that the device needs too (e.g. a standardizer)."""

    def __init__(self, splits: dict[str, tuple[np.ndarray, np.ndarray]], fitted: dict | None = None):
        super().__init__(splits)
        self.fitted = fitted or {}


@dataclass(frozen=True)
class CardText:
    """What an application's model card says about its use: what it is for and not for, what a group of the data
    is (a speaker, a subject), and limitations every model of the application has."""

    intended: str = "Classify the inputs it was trained on, on a microcontroller."
    not_for: str = "uses beyond the classes and conditions of its training data."
    group: tuple[str, str] = ("group", "groups")  # singular, plural
    limitations: tuple[str, ...] = ()


@dataclass
class Scores:
    """What a task measured on the test split, float (Keras) and int8 (TFLM)."""

    float_metrics: dict[str, float]
    int8_metrics: dict[str, float]
    test_examples: int
    confusion: list[list[int]] | None = None  # int8, rows true, columns predicted
    per_class_recall: dict[str, float] | None = None  # int8
    groups: GroupReport | None = None  # int8 results per metadata group
    thresholds: dict[str, float] | None = None  # anomaly scores: threshold per model
    threshold_rule: str | None = None
    test_scores: dict[str, np.ndarray] = field(default_factory=dict)  # per-example scores per model, for figures


@dataclass
class Evaluation:
    """An int8 model measured in TFLM on a data set's test split."""

    metrics: dict[str, float]
    examples: int
    labels: list[str] | None = None
    confusion: list[list[int]] | None = None  # classification: rows true, columns predicted

    @classmethod
    def of(cls, result) -> "Evaluation":
        """From a :class:`~tinymlkit.evaluate.metrics.Classification`."""
        return cls({"accuracy": result.accuracy}, result.examples, list(result.labels), result.confusion)


@dataclass
class Trained:
    """What a run has made once the int8 model is checked: every hook after training receives it."""

    config: Any
    data: Dataset
    source: str
    features: Features
    model: Any  # the trained Keras model
    int8: Any  # pipeline.Int8Result: the .tflite bytes, the TFLM interpreter, its test outputs
    training: TrainResult
    scores: Scores | None = None
    details: Any = None  # the recipe's measure() result
    real_world: Any = None  # report.RealWorldSummary: the int8 model on the --real-test folder, if given


class Task:
    """A kind of problem: how a model is compiled and trained, and how its test outputs are scored."""

    loss: str = "mse"
    metrics: tuple[str, ...] = ()
    monitor: str = "val_loss"

    def targets(self, x: np.ndarray, y: np.ndarray) -> np.ndarray:
        """What the model learns to output for inputs ``x`` with labels ``y``."""
        return y

    def compile(self, model, train: TrainConfig) -> None:
        import keras

        model.compile(optimizer=keras.optimizers.Adam(train.learning_rate), loss=self.loss, metrics=list(self.metrics))

    def score(self, run: Trained, recipe: "Recipe", progress: ProgressCallback = silent) -> Scores:
        raise NotImplementedError

    def figures(self, run: Trained) -> dict[str, tuple[str, Figure]]:
        """Figures every run of this task draws: artifact -> (file name, drawer)."""
        return {}


class Classification(Task):
    """Softmax classification: accuracy, the int8 confusion matrix, recall per class and results per group.
    ``negatives`` are the "no command" classes, for false accepts per group."""

    loss = "sparse_categorical_crossentropy"
    metrics = ("accuracy",)

    def __init__(self, negatives: tuple[str, ...] = ()):
        self.negatives = list(negatives)

    def score(self, run: Trained, recipe: "Recipe", progress: ProgressCallback = silent) -> Scores:
        from tinymlkit.evaluate.groups import breakdown
        from tinymlkit.evaluate.metrics import classify

        x_test, y_test = run.features["test"]
        float_scores = run.model.predict(x_test, verbose=0, batch_size=256)
        labels = run.data.labels
        floats, int8 = classify(float_scores, y_test, labels), classify(run.int8.outputs, y_test, labels)
        groups = breakdown(
            np.argmax(run.int8.outputs, axis=1),
            y_test,
            labels,
            run.data.part("test").meta,
            self.negatives,
            float_predicted=np.argmax(float_scores, axis=1),
        )
        return Scores(
            {"accuracy": floats.accuracy},
            {"accuracy": int8.accuracy},
            int8.examples,
            int8.confusion,
            int8.per_class_recall,
            groups,
        )

    def figures(self, run: Trained) -> dict[str, tuple[str, Figure]]:
        from tinymlkit.evaluate.plots import plot_confusion

        def draw(path: Path) -> None:
            plot_confusion(run.scores.confusion, run.data.labels, "int8 model in TFLM, test split", path)

        return {"confusion_matrix": ("confusion.png", draw)}


class Regression(Task):
    """One real value per input: mean absolute and root mean squared error. ``reference`` adds one more error,
    named ``reference[0]``, against a known function on inputs of its own (``reference[1]()`` gives them and the
    true values), e.g. against sin(x) on a dense grid."""

    metrics = ("mae",)

    def __init__(self, reference: tuple[str, Callable[[], tuple[np.ndarray, np.ndarray]]] | None = None):
        self.reference = reference

    def score(self, run: Trained, recipe: "Recipe", progress: ProgressCallback = silent) -> Scores:
        from tinymlkit.evaluate.metrics import regression_metrics

        x_test, y_test = run.features["test"]
        floats = regression_metrics(run.model.predict(x_test, verbose=0, batch_size=1024), y_test)
        int8 = regression_metrics(run.int8.outputs, y_test)
        if self.reference:
            name, points = self.reference
            x, truth = points()
            floats[name] = regression_metrics(run.model.predict(x, verbose=0, batch_size=1024), truth)["mae"]
            int8[name] = regression_metrics(run.int8.tflm.predict(x), truth)["mae"]
        return Scores(floats, int8, int(len(y_test)))


class AnomalyScore(Task):
    """An autoencoder trained on normal examples only; an example's anomaly score is its mean squared reconstruction
    error over its model inputs (the targets of the validation and test features give each input's example). The
    threshold comes from the normal validation examples; AUC and the threshold's true- and false-positive rates
    are measured on the test split, whose label 1 means anomalous. The run's config gives the threshold rule
    (``threshold_rule``, ``threshold_k``, ``threshold_percentile``)."""

    def targets(self, x: np.ndarray, y: np.ndarray) -> np.ndarray:
        return x

    def example_scores(self, x: np.ndarray, reconstructed: np.ndarray, example: np.ndarray) -> np.ndarray:
        """Mean squared reconstruction error per example (``example``: the example index of each input row)."""
        err = np.mean((x - reconstructed) ** 2, axis=1, dtype=np.float64)
        return np.bincount(example, weights=err) / np.bincount(example)

    def threshold(self, config, normal: np.ndarray) -> tuple[float, str]:
        from tinymlkit.evaluate.roc import choose_threshold

        return choose_threshold(normal, config.threshold_rule, config.threshold_k, config.threshold_percentile)

    def score(self, run: Trained, recipe: "Recipe", progress: ProgressCallback = silent) -> Scores:
        from tinymlkit.evaluate.roc import summarize_scores

        (x_val, val_example), (x_test, test_example) = run.features["validation"], run.features["test"]
        int8_val = run.int8.tflm.predict(x_val, progress)
        float_test = self.example_scores(x_test, run.model.predict(x_test, verbose=0, batch_size=1024), test_example)
        float_val = self.example_scores(x_val, run.model.predict(x_val, verbose=0, batch_size=1024), val_example)
        int8_test = self.example_scores(x_test, run.int8.outputs, test_example)
        (t_float, rule), (t_int8, _) = (
            self.threshold(run.config, float_val),
            self.threshold(run.config, self.example_scores(x_val, int8_val, val_example)),
        )
        anomalous = run.data.part("test").y == 1
        flagged = int8_test > t_int8
        confusion = [
            [int(np.sum(~anomalous & ~flagged)), int(np.sum(~anomalous & flagged))],
            [int(np.sum(anomalous & ~flagged)), int(np.sum(anomalous & flagged))],
        ]
        return Scores(
            summarize_scores(float_test, anomalous, t_float, rule),
            summarize_scores(int8_test, anomalous, t_int8, rule),
            int(len(anomalous)),
            confusion,
            thresholds={"autoencoder_float": t_float, "autoencoder_int8": t_int8},
            threshold_rule=rule,
            test_scores={"autoencoder int8 (TFLM)": int8_test, "autoencoder float": float_test},
        )


class Recipe:
    """One application: where its data comes from, the device's feature code, the model family, the sketch.

    Subclasses set the class attributes and implement :meth:`load_data`, :meth:`features` and
    :meth:`build_model`; the other hooks have defaults. Every method takes the run's config (an instance of
    ``config_type``, a dataclass with at least ``train``, ``runs`` and ``seed``).
    """

    name: str = ""  # the CLI group and the run folder prefix
    title: str = ""  # a few words for humans
    config_type: type = object
    task: Task = Classification()
    card: CardText = CardText()
    templates: Path | None = None  # the Arduino sketch template folder

    # --- the steps every run takes ---
    def load_data(self, config, progress: ProgressCallback = silent) -> tuple[Dataset, str]:
        """The data set of a run and a description of its source."""
        raise NotImplementedError

    def features(self, data: Dataset, config, progress: ProgressCallback = silent) -> Features:
        """Model inputs and targets per split, computed as the device computes them."""
        raise NotImplementedError

    def build_model(self, config, data: Dataset):
        """The uncompiled Keras model for ``data``."""
        raise NotImplementedError

    def family(self, config) -> str:
        """The model family's name, for the report."""
        return getattr(config, "model", self.name)

    def input_range(self, config, data: Dataset) -> tuple[float, float] | None:
        """The float input range the int8 input quantization must cover (None: from the training inputs)."""
        return None

    # --- what a run adds after the int8 check ---
    def measure(self, run: Trained, progress: ProgressCallback = silent) -> Any:
        """Application-specific results measured on the int8 model (a dataclass, saved as ``details``)."""
        return None

    def figures(self, run: Trained) -> dict[str, tuple[str, Figure]]:
        """Figures of the run folder: artifact -> (file name, drawer)."""
        return {}

    def files(self, run: Trained) -> dict[str, tuple[str, str]]:
        """Text files of the run folder: artifact -> (path in the run folder, text)."""
        return {}

    def sketch_context(self, config, labels: list[str], tflm, details: Any = None) -> dict:
        """Values for the sketch templates and README (``title``, ``description``, ``run_steps``...)."""
        return {"title": self.title, "description": "", "labels": labels}

    def card_text(self, run: Trained) -> CardText:
        """The model card's use and limitation text for this run."""
        return self.card

    def synthesized(self, config) -> bool:
        """Whether the run's data is the built-in synthesized data (the data card says so)."""
        return not getattr(config, "data", None)

    def settings(self, config) -> dict:
        """The settings recorded in report.json."""
        return asdict(config)

    # --- data sets and models from elsewhere ---
    def synthesize(self, out: Path, config, progress: ProgressCallback = silent, force: bool = False) -> str:
        """Write the built-in data set of ``config`` to ``out`` (a folder, or a file); a one-line summary.
        ``force``: write into a folder that holds other files too, never replacing them."""
        raise TinyMLError(f"{self.name} has no built-in data set to write")

    def load_real_test(self, config, folder: Path, progress: ProgressCallback = silent) -> tuple[Dataset, str]:
        """Every example of ``folder``, a labelled folder in the layout ``data`` reads (real recordings or photos),
        and a description of it; the pipeline makes them all test examples. Default: :meth:`load_data` with
        ``data=folder``; a recipe whose loader insists on examples in every split reads the folder directly."""
        if "data" not in getattr(config, "__dataclass_fields__", {}):
            raise TinyMLError(f"{self.name} reads no data folders, so it cannot be tested on real-world examples")
        return self.load_data(replace(config, data=str(folder)), progress)

    def for_model(self, config, labels: list[str] | None):
        """``config`` adjusted to a model's labels (e.g. its keywords), to load matching data for it."""
        return config

    def evaluate(
        self, model: Path, data: Dataset, config, labels: list[str] | None = None, progress: ProgressCallback = silent
    ) -> Evaluation:
        """The int8 model in file ``model`` measured in TFLM on the test split of ``data``."""
        raise TinyMLError(f"{self.name} models cannot be evaluated on a data set yet")

    def open_model(self, model: bytes, labels: list[str] | None = None, name: str = "model"):
        """``model`` in the TFLM interpreter, checked to fit this application (input shape, outputs)."""
        from tinymlkit.runtime.tflm import TFLMModel

        return TFLMModel(model, name=name)

    # --- the public API's conveniences ---
    def config(self, config=None, **overrides):
        """A config: ``config`` (default: the defaults) with ``overrides``, e.g. ``kws.config(words=["on"])``;
        ``epochs`` and ``learning_rate`` set the training config's fields."""
        config = config if config is not None else self.config_type()
        training = {k: overrides.pop(k) for k in ("epochs", "learning_rate", "batch_size") if k in overrides}
        if training:
            overrides["train"] = replace(overrides.get("train", config.train), **training)
        unknown = set(overrides) - {f for f in config.__dataclass_fields__}
        if unknown:
            raise TinyMLError(
                f"{self.name} has no setting {', '.join(sorted(unknown))}; its settings are "
                f"{', '.join(config.__dataclass_fields__)}"
            )
        return replace(config, **overrides)

    def load(self, config=None, progress: ProgressCallback = silent, **overrides) -> Dataset:
        """The data set of a run (built-in or ``data=FOLDER``), e.g. ``tm.kws.load(words=["yes", "no"])``."""
        return self.load_data(self.config(config, **overrides), progress)[0]

    def train(self, model, features: Features, config=None, progress: ProgressCallback = silent) -> TrainResult:
        """Compile ``model`` for the task and fit it on ``features`` (early stopping on validation)."""
        from tinymlkit.train import fit

        config = self.config(config)
        self.task.compile(model, config.train)
        pair = {s: (features[s][0], self.task.targets(*features[s])) for s in SPLITS[:2]}
        return fit(model, pair["train"], pair["validation"], config.train, progress, monitor=self.task.monitor)

    def __repr__(self) -> str:
        return f"<recipe {self.name}: {self.title}>"
