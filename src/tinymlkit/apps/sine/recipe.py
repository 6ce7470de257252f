"""Hello world, the course's first model: a 1 -> 16 -> 16 -> 1 network that learns y = sin(x) for x in [0, 2 pi],
converted to int8, checked in TFLM, and deployed as the Arduino sketch that fades the LED with the predicted sine.

    report = run(SineConfig())                          # built-in data: 1,000 noisy samples of sin(x)
    report = run(SineConfig(data="my_samples.csv"))     # a CSV file with the header x,y

Quality is the mean absolute error (MAE): against the test split's targets (``mae``, which includes their noise)
and against the true sin(x) on a dense grid over [0, 2 pi] (``sine_mae``, what the model is meant to learn).
"""

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from tinymlkit.apps.sine.data import X_RANGE, load_sine_csv, synthesize_sine, write_sine_csv
from tinymlkit.data.dataset import Dataset
from tinymlkit.data.split import SPLITS
from tinymlkit.evaluate.metrics import regression_metrics
from tinymlkit.progress import ProgressCallback, silent
from tinymlkit.recipe import CardText, Evaluation, Features, Recipe, Regression, Trained
from tinymlkit.report import ModelReport
from tinymlkit.settings import runs_setting, seed_setting, setting, validate
from tinymlkit.train import TrainConfig

GRID_POINTS = 1000
PERIOD_MS = 6000  # the sketch sweeps x over [0, 2 pi] once every 6 s

TEMPLATES = Path(__file__).parent / "templates"  # the Arduino sketch


@dataclass
class SineConfig:
    """A hello-world run. ``data`` None means the built-in synthesized samples (``samples``, ``noise``)."""

    data: str | None = setting(None, source=True, help="CSV file with the header x,y; default: built-in samples.")
    samples: int = setting(
        1000,
        help="Built-in data: number of samples.",
        min=10,
        max=10_000_000,
        why="more samples only slow training",
        builtin=True,
    )
    noise: float = setting(
        0.1, help="Built-in data: standard deviation of the noise added to sin(x).", min=0, max=100.0, builtin=True
    )
    model: str = setting("sine_mlp", help="Model family.", cli=False)
    width: float = setting(
        1.0,
        help="Width multiplier for the hidden layers (16 units each).",
        positive=True,
        max=64.0,
        why="wider models do not fit a microcontroller",
    )
    train: TrainConfig = field(
        default_factory=lambda: TrainConfig(epochs=600, batch_size=32, learning_rate=5e-3, patience=100)
    )
    runs: str = runs_setting()
    seed: int = seed_setting()

    def __post_init__(self) -> None:
        validate(self)


def builtin_data(config: SineConfig) -> Path:
    """The built-in sine CSV for the run's settings, made once and then cached."""
    from tinymlkit.cache import cached_dataset
    from tinymlkit.fileio import building_dir

    def build(root: Path) -> None:
        with building_dir(root) as tmp:
            write_sine_csv(tmp / "sine.csv", *synthesize_sine(config.samples, config.noise, config.seed))

    settings = {"samples": config.samples, "noise": config.noise, "seed": config.seed}
    return cached_dataset("sine", settings, build) / "sine.csv"


def load_data(config: SineConfig) -> tuple[Dataset, str]:
    """The data set of a run and a description of its source."""
    if config.data:
        return load_sine_csv(config.data), str(config.data)
    path = builtin_data(config)
    source = f"built-in samples of sin(x) + noise (std {config.noise:g}, {config.samples} samples) at {path}"
    return load_sine_csv(path), source


def sine_grid(points: int = GRID_POINTS) -> np.ndarray:
    """Evenly spaced x over [0, 2 pi] as a (points, 1) float32 model input."""
    return np.linspace(*X_RANGE, points, dtype=np.float32).reshape(-1, 1)


def quality(predict_test: np.ndarray, y_test: np.ndarray, predict_grid: np.ndarray) -> dict[str, float]:
    """``mae``/``rmse`` against the test targets and ``sine_mae`` against sin(x) on :func:`sine_grid`."""
    grid = sine_grid(len(predict_grid))
    return {
        **regression_metrics(predict_test, y_test),
        "sine_mae": regression_metrics(predict_grid, np.sin(grid))["mae"],
    }


def sine_points() -> tuple[np.ndarray, np.ndarray]:
    """The dense grid over [0, 2 pi] and sin(x) on it: what the model is meant to learn."""
    grid = sine_grid()
    return grid, np.sin(grid)


def input_range(data: Dataset) -> tuple[float, float]:
    """The model's input range for int8: [0, 2 pi], widened to cover the data's x values."""
    return float(min(X_RANGE[0], data.x.min())), float(max(X_RANGE[1], data.x.max()))


@dataclass
class SineDetails:
    """What a sine run adds to its report: the input range the int8 model was quantized for."""

    input_range: list[float]


class SineRecipe(Recipe):
    """Hello world: x in [0, 2 pi] -> the 1-16-16-1 network -> y = sin(x), as a regression."""

    name = "sine"
    title = "hello world (sine)"
    config_type = SineConfig
    task = Regression(reference=("sine_mae", sine_points))
    card = CardText(
        "Teaching: the smallest end-to-end TinyML model (it approximates sin(x) to fade an LED).",
        "anything but learning the workflow.",
    )
    templates = TEMPLATES

    def load_data(self, config: SineConfig, progress: ProgressCallback = silent) -> tuple[Dataset, str]:
        return load_data(config)

    def features(self, data: Dataset, config: SineConfig, progress: ProgressCallback = silent) -> Features:
        return Features({s: (data.part(s).x, data.part(s).y) for s in SPLITS})

    def build_model(self, config: SineConfig, data: Dataset):
        from tinymlkit.models import build_model

        return build_model(config.model, (1,), 1, config.width)

    def input_range(self, config: SineConfig, data: Dataset) -> tuple[float, float]:
        return input_range(data)

    def measure(self, run: Trained, progress: ProgressCallback = silent) -> SineDetails:
        return SineDetails(list(input_range(run.data)))

    def figures(self, run: Trained) -> dict:
        grid = sine_grid()
        x_test, y_test = run.features["test"]

        def draw(path: Path) -> None:
            plot_predictions(
                grid,
                run.model.predict(grid, verbose=0, batch_size=1024),
                run.int8.tflm.predict(grid),
                x_test,
                y_test,
                path,
            )

        return {"predictions": ("predictions.png", draw)}

    def sketch_context(self, config: SineConfig, labels: list[str], tflm, details: SineDetails | None = None) -> dict:
        return sketch_context(tuple(details.input_range) if details else X_RANGE)

    def open_model(self, model: bytes, labels: list[str] | None = None, name: str = "model"):
        return sine_model(model, name)

    def synthesize(
        self, out: Path, config: SineConfig, progress: ProgressCallback = silent, force: bool = False
    ) -> str:
        write_sine_csv(out, *synthesize_sine(config.samples, config.noise, config.seed))
        return f"{config.samples} samples of sin(x) + noise in {out}"

    def evaluate(
        self,
        model: Path,
        data: Dataset,
        config: SineConfig,
        labels: list[str] | None = None,
        progress: ProgressCallback = silent,
    ) -> Evaluation:
        return Evaluation(evaluate(Path(model).read_bytes(), data, str(model)), len(data.part("test")))


recipe = SineRecipe()


def run(config: SineConfig = SineConfig(), progress: ProgressCallback = silent) -> ModelReport:
    """Train, quantize, verify in TFLM and package the sine model (:func:`tinymlkit.pipeline.run`)."""
    from tinymlkit.pipeline import run as run_recipe

    return run_recipe(recipe, config, progress)


def sine_model(model: bytes, name: str = "model"):
    """``model`` loaded in TFLM, checked to take one value and give one value, as the sine model does."""
    from tinymlkit.errors import TinyMLError
    from tinymlkit.runtime.tflm import TFLMModel

    tflm = TFLMModel(model, name=name)
    if int(np.prod(tflm.input.shape)) != 1 or int(np.prod(tflm.output.shape)) != 1:
        raise TinyMLError(
            f"{name} takes input {list(tflm.input.shape)} and gives {list(tflm.output.shape)}; "
            "a sine model maps one x to one y: pass a model from 'tinyml sine train'"
        )
    return tflm


def evaluate(model: bytes, data: Dataset, name: str = "model") -> dict[str, float]:
    """TFLM-int8 quality of a sine model on the test split of a sine data set (see :func:`quality`)."""
    tflm = sine_model(model, name)
    test = data.part("test")
    return quality(tflm.predict(test.x), test.y, tflm.predict(sine_grid()))


def plot_predictions(grid, float_grid, int8_grid, x_test, y_test, path: str | Path) -> Path:
    """sin(x), the float model, the int8 model in TFLM, and the test samples, over [0, 2 pi]."""
    from tinymlkit.evaluate.plots import figure, save_figure

    fig, ax = figure(figsize=(7, 4))
    ax.scatter(x_test[:, 0], y_test, s=6, color="0.7", label="test samples")
    ax.plot(grid[:, 0], np.sin(grid[:, 0]), color="black", lw=1, label="sin(x)")
    ax.plot(grid[:, 0], np.asarray(float_grid).reshape(-1), color="tab:blue", lw=1.5, label="float model (Keras)")
    ax.plot(grid[:, 0], np.asarray(int8_grid).reshape(-1), color="tab:red", lw=1.5, ls="--", label="int8 model (TFLM)")
    ax.set_xlabel("x (radians)")
    ax.set_ylabel("y")
    ax.set_title("hello world: float vs int8 predictions")
    ax.legend(loc="lower left", fontsize=8)
    return save_figure(fig, path)


def led_brightness(y: np.ndarray) -> np.ndarray:
    """The sketch's LED level for predictions ``y``: (y + 1) / 2 * 255, truncated and kept in 0..255."""
    return np.clip(((np.asarray(y, dtype=np.float32) + 1.0) * 0.5 * 255.0).astype(np.int64), 0, 255)


def sketch_context(x_range: tuple[float, float]) -> dict:
    """Values for the hello-world sketch template and README."""
    return {
        "title": "hello world (sine)",
        "description": (
            "Sweeps x over [0, 2 pi] every 6 seconds, predicts y = sin(x) with the int8 model and sets the "
            "built-in LED's brightness to (y + 1) / 2 * 255, so the LED fades in and out; x and y are printed "
            "for the Serial Plotter."
        ),
        "run_steps": [
            "Watch the orange LED next to the USB connector fade in and out once every 6 s.",
            "Open Tools > Serial Plotter to see x and the predicted sine.",
        ],
        "x_min": x_range[0],
        "x_max": x_range[1],
        "period_ms": PERIOD_MS,
        "extra_rows": [["input x range", f"{x_range[0]:.4g} to {x_range[1]:.4g} (radians)"]],
    }
