"""Magic wand, the course's gesture application: IMU recordings -> strokes (gyroscope orientation, drift removed)
-> 32x32 time-coloured stroke images -> a small CNN -> int8 in TFLM -> Arduino sketch using the board's IMU.

    report = run(WandConfig())                                   # built-in synthetic users drawing digits
    report = run(WandConfig(gestures=["W", "O", "L"]))           # other built-in gestures
    report = run(WandConfig(data="my_recordings"))               # recordings from the capture sketch
    report = run(WandConfig(data="wanddata.json"))               # strokes saved by the course's website

The stroke tracker and rasterizer (:mod:`tinymlkit.apps.wand.stroke`, :mod:`tinymlkit.apps.wand.raster`) are
the same algorithm, with the same constants, as the sketch's C++: the test split (held-out users) is scored on
exactly the images the board would make.
"""

from dataclasses import dataclass, field, replace
from pathlib import Path

import numpy as np

from tinymlkit.apps.wand.data import check_splits, load_wand_data
from tinymlkit.apps.wand.gestures import DIGITS, check_gestures
from tinymlkit.apps.wand.raster import model_input, rasterize
from tinymlkit.apps.wand.stroke import WAND, StrokeConfig, longest_stroke, stroke_points
from tinymlkit.data.dataset import Dataset
from tinymlkit.data.split import SPLITS
from tinymlkit.datatools import mix
from tinymlkit.errors import TinyMLError
from tinymlkit.progress import ProgressCallback, silent, track
from tinymlkit.recipe import CardText, Classification, Evaluation, Features, Recipe, Trained
from tinymlkit.report import ModelReport
from tinymlkit.settings import real_test_setting, runs_setting, seed_setting, setting, validate
from tinymlkit.train import TrainConfig

INPUT_RANGE = (0.0, 1.0)  # float input = pixel / 255, so the int8 input is pixel - 128 (scale 1/255, zero -128)

TEMPLATES = Path(__file__).parent / "templates"  # the Arduino sketch


@dataclass
class WandConfig:
    """A magic-wand run. ``data`` None means the built-in synthesized recordings of ``gestures``.

    ``gestures`` None means the digits 0-9 for built-in data, and every gesture folder (or label) for a data set.
    """

    gestures: list[str] | None = setting(
        None,
        builtin=True,
        help="Comma-separated gestures; built-in: any of 0-9, "
        "W, O, L, Z, V, S, M (default 0-9); with --data: a subset of its labels "
        "(default all).",
    )
    data: str | None = setting(
        None,
        source=True,
        help="Folder of IMU recordings (<gesture>/<subject>_nohash_<n>.csv) or a "
        "strokes .json file; default: built-in synthetic users.",
    )
    mix: bool | None = setting(
        None,
        help="With --data: add the built-in synthetic users to your recordings, which are weighted up; default: "
        "when fewer than 3 people recorded them.",
    )
    users: int = setting(
        60,
        help="Built-in data: number of synthetic users.",
        min=3,
        max=10_000,
        why="more users only slow synthesis",
        builtin=True,
    )
    repetitions: int = setting(6, help="Built-in data: recordings per user and gesture.", min=1, max=1000, builtin=True)
    model: str = setting("wand_cnn", help="Model family.", cli=False)
    width: float = setting(
        1.0,
        help="Width multiplier for the CNN's filters (16/32/64).",
        positive=True,
        max=16.0,
        why="wider models do not fit a microcontroller",
    )
    train: TrainConfig = field(
        default_factory=lambda: TrainConfig(epochs=40, batch_size=64, learning_rate=3e-3, patience=8)
    )
    augment: int = setting(
        1, help="Extra randomly rotated, scaled and sheared copies of each training stroke.", min=0, max=64
    )
    stroke: StrokeConfig = WAND
    real_test: str | None = real_test_setting()
    runs: str = runs_setting()
    seed: int = seed_setting()

    def __post_init__(self) -> None:
        validate(self)
        mix.check_mix(self.mix, self.data)


def builtin_data(config: WandConfig, progress: ProgressCallback = silent) -> Path:
    """The built-in synthesized recordings for the run's gestures and users, made once and then cached."""
    from tinymlkit.apps.wand.synth import synthesize_wand_dataset
    from tinymlkit.cache import cached_dataset

    settings = {
        "gestures": builtin_gestures(config),
        "users": config.users,
        "repetitions": config.repetitions,
        "seed": config.seed,
        "version": 3,
    }
    return cached_dataset(
        "wand",
        settings,
        lambda root: synthesize_wand_dataset(
            root, builtin_gestures(config), config.users, config.repetitions, config.seed, progress
        ),
    )


def load_data(config: WandConfig, progress: ProgressCallback = silent) -> tuple[Dataset, str]:
    """The data set of a run (IMU recordings or strokes) and a description of its source: a folder, the built-in
    users, or your recordings mixed with them (:mod:`tinymlkit.datatools.mix`; your held-out recordings then in
    ``extras["real_test"]``)."""
    if config.data and mix.should_mix(config.mix, config.data, config.gestures, (".csv",)):
        return mixed_data(config, progress)
    if config.data:
        return load_wand_data(config.data, config.gestures, progress), str(config.data)
    root = builtin_data(config, progress)
    gestures = builtin_gestures(config)
    data = load_wand_data(root, gestures, progress)
    return data, f"built-in synthetic users drawing {', '.join(gestures)} ({config.users} users) at {root}"


def mixed_data(config: WandConfig, progress: ProgressCallback = silent) -> tuple[Dataset, str]:
    """Your recordings (``config.data``) mixed with the built-in users drawing the same gestures."""
    own = load_wand_data(config.data, config.gestures, progress)
    try:
        builtin = builtin_data(replace(config, gestures=list(own.labels)), progress)
    except TinyMLError as exc:
        raise TinyMLError(f"{exc}; train on your recordings alone with --no-mix") from None
    data, yours_test, repeats = mix.mixed(
        own, load_wand_data(builtin, list(own.labels), progress), list(range(len(own.labels)))
    )
    data.extras["real_test"] = (yours_test, f"your held-out recordings in {config.data}")
    return data, (
        f"{config.data} (your training recordings, each x{repeats}; {len(yours_test)} held out, measured apart) "
        f"mixed with built-in synthetic users ({config.users} users)"
    )


def builtin_gestures(config: WandConfig) -> list[str]:
    """The gestures of the built-in data: ``config.gestures`` or the digits 0-9."""
    return check_gestures(list(config.gestures or DIGITS))


def to_strokes(data: Dataset, config: StrokeConfig = WAND, progress: ProgressCallback = silent) -> Dataset:
    """The data set with each IMU recording replaced by its stroke (as the board finds it).

    Recordings in which the tracker finds no stroke (the wand hardly moved) are dropped and counted in
    ``notes``; stroke data sets pass through unchanged.
    """
    if data.extras.get("format") != "imu":
        return data
    strokes = [longest_stroke(rec, config) for rec in track(data.x, "Finding strokes", progress)]
    found = np.array([s is not None for s in strokes])
    out = data.take(found)
    x = np.empty(int(found.sum()), dtype=object)
    for i, s in enumerate(s for s in strokes if s is not None):
        x[i] = s
    out.x = x
    out.extras = {**data.extras, "format": "strokes"}
    missed = int(len(found) - found.sum())
    if missed:
        out.notes = {**data.notes, "recordings without a stroke (dropped)": missed}
    return out


def augment_stroke(stroke: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """A stroke slightly rotated (+-10 degrees), scaled (+-15 % per axis) and sheared (+-0.15)."""
    a = np.radians(rng.uniform(-10.0, 10.0))
    rotate = np.array([[np.cos(a), -np.sin(a)], [np.sin(a), np.cos(a)]])
    shape = np.array([[rng.uniform(0.85, 1.15), rng.uniform(-0.15, 0.15)], [0.0, rng.uniform(0.85, 1.15)]])
    return stroke @ (rotate @ shape).T


def images(strokes, config: StrokeConfig = WAND, progress: ProgressCallback = silent) -> np.ndarray:
    """Stroke images (n, size, size, 3) uint8, as the board rasterizes them."""
    out = np.zeros((len(strokes), *config.shape), dtype=np.uint8)
    for i, s in enumerate(track(strokes, "Rasterizing strokes", progress)):
        out[i] = rasterize(stroke_points(s, config), config)
    return out


def features(data: Dataset, config: WandConfig, progress: ProgressCallback = silent) -> dict[str, tuple]:
    """Model inputs per split from a stroke data set; training strokes get ``config.augment`` extra copies."""
    rng = np.random.default_rng(config.seed)
    out = {}
    for split in SPLITS:
        part = data.part(split)
        strokes, y = list(part.x), part.y
        if split == "train" and config.augment > 0:
            strokes += [augment_stroke(s, rng) for _ in range(config.augment) for s in part.x]
            y = np.concatenate([y] * (config.augment + 1))
        out[split] = (model_input(images(strokes, config.stroke, progress)), y)
    return out


class WandRecipe(Recipe):
    """Magic wand: IMU recordings -> strokes -> 32x32 time-coloured images -> a small CNN -> the gesture."""

    name = "wand"
    title = "magic wand"
    config_type = WandConfig
    task = Classification()
    card = CardText(
        "Recognize a few gestures drawn in the air with the board held like a wand, for playful or hands-free control.",
        "identifying people by their movement, medical or safety-critical use, or gestures and ways of holding "
        "the board the training users never showed.",
        group=("subject (user)", "subjects (users)"),
    )
    templates = TEMPLATES

    def load_data(self, config: WandConfig, progress: ProgressCallback = silent) -> tuple[Dataset, str]:
        """The recordings as strokes (as the board finds them), each split checked to hold every gesture."""
        raw, source = load_data(config, progress)
        data = to_strokes(raw, config.stroke, progress)
        if "real_test" in raw.extras:  # your held-out recordings, as strokes too
            yours, note = raw.extras["real_test"]
            data.extras["real_test"] = (to_strokes(yours, config.stroke, progress), note)
        check_splits(data, source)
        return data, source

    def features(self, data: Dataset, config: WandConfig, progress: ProgressCallback = silent) -> Features:
        return Features(features(data, config, progress))

    def build_model(self, config: WandConfig, data: Dataset):
        from tinymlkit.models import build_model

        return build_model(config.model, config.stroke.shape, len(data.labels), config.width)

    def input_range(self, config: WandConfig, data: Dataset) -> tuple[float, float]:
        return INPUT_RANGE

    def figures(self, run: Trained) -> dict:
        test, labels, stroke = run.data.part("test"), run.data.labels, run.config.stroke

        def draw(path: Path) -> None:
            plot_examples(images(test.x, stroke), test.y, test.group, labels, path)

        return {"examples": ("examples.png", draw)}

    def sketch_context(self, config: WandConfig, labels: list[str], tflm, details=None) -> dict:
        return sketch_context(labels, config.stroke)

    def open_model(self, model: bytes, labels: list[str] | None = None, name: str = "model"):
        return wand_model(model, labels, name)

    def synthesize(
        self, out: Path, config: WandConfig, progress: ProgressCallback = silent, force: bool = False
    ) -> str:
        from tinymlkit.apps.wand.synth import synthesize_wand_dataset

        return str(
            synthesize_wand_dataset(
                out, builtin_gestures(config), config.users, config.repetitions, config.seed, progress, force
            )
        )

    def load_real_test(
        self, config: WandConfig, folder: Path, progress: ProgressCallback = silent
    ) -> tuple[Dataset, str]:
        """Every recording or stroke of ``folder`` (IMU folders or a strokes .json) as strokes, every label in it."""
        return to_strokes(load_wand_data(folder, None, progress), config.stroke, progress), str(folder)

    def for_model(self, config: WandConfig, labels: list[str] | None) -> WandConfig:
        return replace(config, gestures=labels) if labels and not config.gestures else config

    def evaluate(
        self,
        model: Path,
        data: Dataset,
        config: WandConfig,
        labels: list[str] | None = None,
        progress: ProgressCallback = silent,
    ) -> Evaluation:
        return Evaluation.of(evaluate(Path(model).read_bytes(), data, str(model), config.stroke))


recipe = WandRecipe()


def run(config: WandConfig = WandConfig(), progress: ProgressCallback = silent) -> ModelReport:
    """Train, quantize, verify in TFLM and package a gesture classifier (:func:`tinymlkit.pipeline.run`)."""
    from tinymlkit.pipeline import run as run_recipe

    return run_recipe(recipe, config, progress)


def wand_model(model: bytes, labels: list[str] | None, name: str = "model", config: StrokeConfig = WAND):
    """``model`` loaded in TFLM, checked to take the stroke image and give one score per label."""
    from tinymlkit.runtime.tflm import TFLMModel

    tflm = TFLMModel(model, name=name)
    if tuple(tflm.input.shape[1:]) != config.shape:
        raise TinyMLError(
            f"{name} takes input {list(tflm.input.shape)}, not a {config.raster_size}x"
            f"{config.raster_size}x3 stroke image: pass a model from 'tinyml wand train'"
        )
    if labels is not None and tflm.output.shape[-1] != len(labels):
        raise TinyMLError(
            f"{name} has {tflm.output.shape[-1]} outputs but {len(labels)} labels were given; pass --labels"
        )
    return tflm


def evaluate(model: bytes, data: Dataset, name: str = "model", config: StrokeConfig = WAND):
    """TFLM-int8 accuracy and confusion matrix of a gesture model on the test split of a data set."""
    from tinymlkit.evaluate.metrics import classify

    tflm = wand_model(model, data.labels, name, config)
    test = to_strokes(data, config).part("test")
    return classify(tflm.predict(model_input(images(test.x, config))), test.y, data.labels)


def plot_examples(
    imgs: np.ndarray, y: np.ndarray, groups: np.ndarray, labels: list[str], path: str | Path, per_class: int = 6
) -> Path:
    """A grid of stroke images as the model sees them: one row per gesture, from as many users as possible."""
    from tinymlkit.evaluate.plots import figure, save_figure

    fig, axes = figure(
        nrows=len(labels), ncols=per_class, figsize=(per_class * 0.9, len(labels) * 0.95 + 0.4), squeeze=False
    )
    for row, label in enumerate(labels):
        found = np.flatnonzero(y == row)
        firsts = [i for n, i in enumerate(found) if groups[i] not in set(groups[found[:n]])]
        picks = (firsts + [i for i in found if i not in firsts])[:per_class]
        for col in range(per_class):
            ax = axes[row][col]
            ax.set_xticks([])
            ax.set_yticks([])
            if col < len(picks):
                ax.imshow(imgs[picks[col]], interpolation="nearest")
            if col == 0:
                ax.set_ylabel(label, rotation=0, ha="right", va="center")
    fig.suptitle("test strokes (held-out users), red -> green -> blue in time", fontsize=8)
    fig.tight_layout()
    return save_figure(fig, path)


def sketch_context(labels: list[str], config: StrokeConfig = WAND) -> dict:
    """Values for the magic-wand sketch templates and README."""
    return {
        "title": f"magic wand ({', '.join(labels)})",
        "description": (
            "Reads the board's IMU, finds each gesture drawn in the air (gyroscope orientation with drift removed, "
            "projected to a 2-D stroke), rasterizes it to the 32x32 time-coloured image the model was trained on, "
            "and prints the gesture, its score and the stroke as ASCII art on the serial port. "
            "Hold the board like a wand: USB connector towards you, components up; draw, then hold still."
        ),
        "run_steps": [
            "Hold the board still for a second (the gyroscope drift is measured at rest).",
            f"Draw one of: {', '.join(labels)} in the air, about 20-60 cm tall, then hold still.",
            "The stroke is printed as ASCII art with the recognized gesture and its score.",
        ],
        "extra_libraries": [
            {
                "name": "Arduino_BMI270_BMM150",
                "note": " (Nano 33 BLE Sense Rev2, the default; for the original "
                "board install Arduino_LSM9DS1 and set NANO33BLE_REV2 to 0 at the top of the sketch)",
            },
        ],
        "labels": labels,
        "stroke": config,
        "extra_rows": [
            ["gestures", ", ".join(labels)],
            ["input image", f"{config.raster_size}x{config.raster_size}x3 stroke, int8 = pixel - 128"],
            ["IMU rate", f"{config.rate_hz:g} Hz (other rates are resampled on the board)"],
        ],
    }
