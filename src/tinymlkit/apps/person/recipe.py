"""Person detection (visual wake words): 96x96 grayscale camera images -> MobileNet v1 -> "is a person in view?".

    report = run(PersonConfig())                                   # built-in synthetic scenes (not photographs)
    report = run(PersonConfig(data="my_images"))                   # person/ and no_person/ image folders
    report = run(PersonConfig(data="vww/instances_visualwakewords_train2014.json", images="coco"))

Every image takes the board's camera path (:mod:`tinymlkit.apps.person.camera`: a 176x144 frame, its central square
shrunk to 96x96, ``pixel - 128`` as int8), so the test split is scored on exactly what the board would feed the
model. Labels are ``no_person`` and ``person``, the order of the TFLM example's outputs.
"""

from dataclasses import dataclass, field, replace
from pathlib import Path

import numpy as np

from tinymlkit.apps.person.camera import SIZE, SUFFIXES, model_input, read_image
from tinymlkit.apps.person.data import LABELS, load_person_data
from tinymlkit.data.dataset import Dataset
from tinymlkit.data.split import SPLITS
from tinymlkit.datatools import mix
from tinymlkit.progress import ProgressCallback, silent
from tinymlkit.recipe import CardText, Classification, Evaluation, Features, Recipe, Trained
from tinymlkit.report import ModelReport
from tinymlkit.settings import real_test_setting, runs_setting, seed_setting, setting, validate
from tinymlkit.train import TrainConfig

INPUT_RANGE = (0.0, 1.0)  # float input = pixel / 255, so the int8 input is pixel - 128 (scale 1/255, zero -128)
INPUT_SHAPE = (SIZE, SIZE, 1)
SYNTHETIC_NOTE = (
    "synthetic scenes, not photographs: a model trained on them gets only part of real photos right (measure it with "
    "--real-test)"
)

TEMPLATES = Path(__file__).parent / "templates"  # the Arduino sketch


@dataclass
class PersonConfig:
    """A person-detection run. ``data`` None means the built-in synthetic scenes (``scenes`` of them)."""

    data: str | None = setting(
        None,
        source=True,
        help="Image folder (person/ and no_person/ or non_person/, optional "
        "validation_list.txt and testing_list.txt, or train/ validation/ test/ folders of "
        "them), or Visual Wake Words annotations (.json or a folder of them); default: built-in "
        "synthetic scenes.",
    )
    images: str | None = setting(
        None, source=True, help="Visual Wake Words: the folder of the COCO images (default: beside the .json)."
    )
    mix: bool | None = setting(
        None,
        help="With --data: add the built-in synthetic scenes to your photos, which are weighted up; default: when "
        "fewer than 3 people took them (file names <you>_nohash_<n>).",
    )
    scenes: int = setting(
        16000,
        help="Built-in data: number of synthetic scenes (half with a person).",
        min=10,
        max=1_000_000,
        why="larger sets do not fit in memory",
        builtin=True,
    )
    photos: bool = setting(
        True,
        help="Built-in data: cut part of the busy surfaces from installed photos without people (mate-backgrounds, "
        "or $TINYML_BACKGROUND_PHOTOS; docs/person.md).",
        builtin=True,
    )
    model: str = setting("mobilenet_v1", help="Model family.", cli=False)
    width: float = setting(
        0.25,
        help="MobileNet v1 width multiplier (alpha).",
        positive=True,
        max=4.0,
        why="wider models do not fit a microcontroller",
    )
    train: TrainConfig = field(
        default_factory=lambda: TrainConfig(epochs=10, batch_size=64, learning_rate=4e-3, patience=2, decay=True)
    )
    augment: int = setting(1, help="Extra mirrored copies of each training image.", min=0, max=64)
    real_test: str | None = real_test_setting()
    runs: str = runs_setting()
    seed: int = seed_setting()

    def __post_init__(self) -> None:
        validate(self)
        mix.check_mix(self.mix, self.data)


def builtin_data(config: PersonConfig, progress: ProgressCallback = silent) -> Path:
    """The built-in synthetic scene set (``scenes.npz`` in the cache), made once and then reused."""
    from tinymlkit.apps.person.synth import SYNTH_VERSION, synthesize_person_scenes
    from tinymlkit.apps.person.textures import library_key
    from tinymlkit.cache import cached_dataset

    return cached_dataset(
        "person",
        {
            "scenes": config.scenes,
            "seed": config.seed,
            "version": SYNTH_VERSION,
            "photos": library_key() if config.photos else "",
        },
        lambda root: synthesize_person_scenes(root, config.scenes, config.seed, progress, config.photos),
    )


def load_data(config: PersonConfig, progress: ProgressCallback = silent) -> tuple[Dataset, str]:
    """The data set of a run (96x96 images through the camera path) and a description of its source: a folder or
    annotations, the built-in scenes, or your photos mixed with them (:mod:`tinymlkit.datatools.mix`; your held-out
    photos then in ``extras["real_test"]``)."""
    from tinymlkit.apps.person.synth import load_scenes

    if config.data and mix.should_mix(config.mix, config.data, None, SUFFIXES):
        own = load_person_data(config.data, config.images, progress)
        data, yours_test, repeats = mix.mixed(own, load_scenes(builtin_data(config, progress)), [0, 1])
        data.extras["real_test"] = (yours_test, f"your held-out photos in {config.data}")
        return data, (
            f"{config.data} (your training photos, each x{repeats}; {len(yours_test)} held out, measured apart) "
            f"mixed with built-in {SYNTHETIC_NOTE} ({config.scenes} scenes)"
        )
    if config.data:
        return load_person_data(config.data, config.images, progress), str(config.data)
    root = builtin_data(config, progress)
    return load_scenes(root), f"built-in {SYNTHETIC_NOTE} ({config.scenes} scenes) at {root}"


def features(data: Dataset, config: PersonConfig) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    """Model inputs per split; the training split gets ``config.augment`` mirrored copies (a person mirrored is a
    person), the first one mirrored left to right, further ones also with a random brightness change."""
    rng = np.random.default_rng(config.seed)
    out = {}
    for split in SPLITS:
        part = data.part(split)
        images, y = part.x, part.y
        if split == "train" and config.augment > 0:
            copies = [images]
            for i in range(config.augment):
                flipped = images[:, :, ::-1].astype(np.int16)
                if i:
                    flipped = flipped + rng.integers(-20, 21, (len(images), 1, 1))
                copies.append(np.clip(flipped, 0, 255).astype(np.uint8))
            images = np.concatenate(copies)
            y = np.concatenate([y] * (config.augment + 1))
        out[split] = (model_input(images), y)
    return out


@dataclass
class PersonDetails:
    """What a person-detection run adds to its report: what its images are, said plainly."""

    data_kind: str


class PersonRecipe(Recipe):
    """Person detection: 96x96 grayscale camera images -> MobileNet v1 -> no person / person."""

    name = "person"
    title = "person detection"
    config_type = PersonConfig
    task = Classification()
    card = CardText(
        "Tell whether a person is in view of a low-resolution grayscale camera, on a microcontroller (e.g. to wake a "
        "device).",
        "identifying, counting or tracking people, safety-critical use, or scenes unlike the training images.",
    )
    templates = TEMPLATES

    def load_data(self, config: PersonConfig, progress: ProgressCallback = silent) -> tuple[Dataset, str]:
        """The images through the camera path, each split checked to hold both classes."""
        data, source = load_data(config, progress)
        check_splits(data, source)
        return data, source

    def features(self, data: Dataset, config: PersonConfig, progress: ProgressCallback = silent) -> Features:
        return Features(features(data, config))

    def build_model(self, config: PersonConfig, data: Dataset):
        from tinymlkit.models import build_model

        return build_model(config.model, INPUT_SHAPE, len(LABELS), config.width)

    def input_range(self, config: PersonConfig, data: Dataset) -> tuple[float, float]:
        return INPUT_RANGE

    def measure(self, run: Trained, progress: ProgressCallback = silent) -> PersonDetails:
        return PersonDetails(data_kind(run.config))

    def figures(self, run: Trained) -> dict:
        test = run.data.part("test")

        def draw(path: Path) -> None:
            plot_examples(test.x, test.y, path)

        return {"examples": ("examples.png", draw)}

    def sketch_context(self, config: PersonConfig, labels: list[str], tflm, details=None) -> dict:
        return sketch_context()

    def open_model(self, model: bytes, labels: list[str] | None = None, name: str = "model"):
        return person_model(model, name)

    def synthesize(
        self, out: Path, config: PersonConfig, progress: ProgressCallback = silent, force: bool = False
    ) -> str:
        from tinymlkit.apps.person.synth import write_scene_folder

        return str(write_scene_folder(out, config.scenes, config.seed, progress, force))

    def for_model(self, config: PersonConfig, labels: list[str] | None) -> PersonConfig:
        """A folder given to measure a model is read as it is (never mixed)."""
        return replace(config, mix=False if config.data else config.mix)

    def load_real_test(
        self, config: PersonConfig, folder: Path, progress: ProgressCallback = silent
    ) -> tuple[Dataset, str]:
        """Every image of ``folder`` (person/ and no_person/) through the camera path, in any split."""
        return load_person_data(folder, None, progress), str(folder)

    def evaluate(
        self,
        model: Path,
        data: Dataset,
        config: PersonConfig,
        labels: list[str] | None = None,
        progress: ProgressCallback = silent,
    ) -> Evaluation:
        return Evaluation.of(evaluate(Path(model).read_bytes(), data, str(model)))


recipe = PersonRecipe()


def run(config: PersonConfig = PersonConfig(), progress: ProgressCallback = silent) -> ModelReport:
    """Train, quantize, verify in TFLM and package a person detector (:func:`tinymlkit.pipeline.run`)."""
    from tinymlkit.pipeline import run as run_recipe

    return run_recipe(recipe, config, progress)


def data_kind(config: PersonConfig) -> str:
    """What the run's images are, said plainly in the report."""
    return SYNTHETIC_NOTE if not config.data else "images from the data set given"


def check_splits(data: Dataset, source: str) -> None:
    """Every split needs both classes: say which is missing, and how to fix it."""
    data.check_splits(
        source,
        every_class_in=SPLITS,
        noun="images",
        fix="add more images or list some in validation_list.txt / testing_list.txt",
    )


def person_model(model: bytes, name: str = "model"):
    """``model`` loaded in TFLM, checked to take a 96x96x1 image and give two scores (no person, person)."""
    from tinymlkit.errors import TinyMLError
    from tinymlkit.runtime.tflm import TFLMModel

    tflm = TFLMModel(model, name=name)
    if tuple(tflm.input.shape[1:]) not in (INPUT_SHAPE, (SIZE, SIZE)):
        raise TinyMLError(
            f"{name} takes input {list(tflm.input.shape)}, not a 96x96x1 grayscale image: pass a person-detection model"
        )
    if int(np.prod(tflm.output.shape[1:])) != 2:
        raise TinyMLError(
            f"{name} gives {list(tflm.output.shape)} outputs, not the 2 scores (no person, person) "
            "of a person-detection model"
        )
    return tflm


@dataclass
class PersonScore:
    """The person score of one image in TFLM, with the quantization the model's input asked for."""

    image: str
    person: float  # dequantized output 1
    no_person: float  # dequantized output 0
    raw: list[int]  # the int8 outputs as the board reads them
    input_scale: float
    input_zero_point: int

    @property
    def detected(self) -> bool:
        return self.person > self.no_person


def predict(model: bytes, images: list[str | Path], name: str = "model") -> list[PersonScore]:
    """Score image files (PNG, JPEG, BMP) with a person-detection model in TFLM, through the camera path."""
    tflm = person_model(model, name)
    pixels = np.stack([read_image(p) for p in images])
    raw = tflm.invoke(tflm.input.quantize(model_input(pixels)))
    scores = tflm.output.dequantize(raw).reshape(len(images), 2)
    return [
        PersonScore(
            str(p), float(s[1]), float(s[0]), [int(v) for v in r.ravel()], tflm.input.scale, tflm.input.zero_point
        )
        for p, s, r in zip(images, scores, raw, strict=True)
    ]


def evaluate(model: bytes, data: Dataset, name: str = "model"):
    """TFLM-int8 accuracy and confusion matrix of a person-detection model on the test split of a data set."""
    from tinymlkit.evaluate.metrics import classify

    tflm = person_model(model, name)
    test = data.part("test")
    outputs = tflm.predict(model_input(test.x)).reshape(len(test), 2)
    return classify(outputs, test.y, data.labels)


def plot_examples(images: np.ndarray, y: np.ndarray, path: str | Path, per_class: int = 8) -> Path:
    """A grid of test images as the model sees them (96x96 after the camera path), one row per class."""
    from tinymlkit.evaluate.plots import figure, save_figure

    fig, axes = figure(nrows=2, ncols=per_class, figsize=(per_class * 1.0, 2.6), squeeze=False)
    for row, label in enumerate(LABELS):
        picks = np.flatnonzero(y == row)[:per_class]
        for col in range(per_class):
            ax = axes[row][col]
            ax.set_xticks([])
            ax.set_yticks([])
            if col < len(picks):
                ax.imshow(images[picks[col]], cmap="gray", vmin=0, vmax=255, interpolation="nearest")
            if col == 0:
                ax.set_ylabel(label, rotation=0, ha="right", va="center")
    fig.suptitle("test images as the model sees them (96x96, camera path)", fontsize=8)
    fig.tight_layout()
    return save_figure(fig, path)


def sketch_context() -> dict:
    """Values for the person-detection sketch templates and README."""
    return {
        "title": "person detection",
        "description": (
            "Takes a 176x144 grayscale frame from the camera, keeps its central square shrunk to 96x96 (the same "
            "integer arithmetic the model's training and test images went through), runs the int8 MobileNet "
            "and lights the green LED when a person is in view, the red one when not; the scores are printed on "
            "the serial port. Without a camera (or before you connect one) the image provider returns a plain "
            "test frame: fill in GetImage() in image_provider.cpp for your camera."
        ),
        "run_steps": [
            "Point the camera at a scene; each inference prints the person and no-person scores (-128..127).",
            "Green LED: person (the person score is above the no-person score); red LED: no person; blue "
            "flashes once per inference.",
        ],
        "extra_libraries": [
            {
                "name": "Arduino_OV767X",
                "note": " (the OV7675 camera of the Tiny Machine Learning Kit; set "
                "USE_OV767X_CAMERA to 1 at the top of image_provider.cpp, or write your own GetImage())",
            },
        ],
        "frame_width": 176,
        "frame_height": 144,
        "size": SIZE,
        "labels": list(LABELS),
        "extra_rows": [
            ["classes", "output 0 = no person, output 1 = person"],
            ["input image", "96x96x1 grayscale, int8 = pixel - 128, from a 176x144 camera frame"],
        ],
    }
