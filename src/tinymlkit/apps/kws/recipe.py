"""Keyword spotting, the course's micro_speech application: audio clips -> micro features -> tiny_conv/DS-CNN ->
int8 in TFLM -> Arduino sketch for the Nano 33 BLE Sense.

    report = run(KwsConfig(words=["yes", "no"]))          # built-in synthesized voices
    report = run(KwsConfig(words=["yes", "no"], data="speech_commands_v0.02"))   # a real data set
"""

from dataclasses import asdict, dataclass, field
from pathlib import Path

import numpy as np

from tinymlkit.apps.kws.data import SILENCE, UNKNOWN, load_speech_commands
from tinymlkit.apps.kws.frontend import MICRO_SPEECH, listening_features
from tinymlkit.apps.kws.recognizer import RecognizerConfig
from tinymlkit.data.dataset import Dataset
from tinymlkit.datatools.augment import AudioAugment, augment_clips
from tinymlkit.progress import ProgressCallback, silent
from tinymlkit.report import ModelReport
from tinymlkit.train import TrainConfig
from tinymlkit.validate import bounded, check_fields, runs_field, seed_field

# The micro_speech firmware quantizes features as value * 256 / (25.6 * 26) - 128, i.e. with scale 26/256 and
# zero point -128. Calibrating the input on [0, 26 * 255 / 256] gives our models exactly that quantization, so
# they also run in that firmware unchanged.
FEATURE_RANGE = (0.0, 26.0 * 255.0 / 256.0)

TEMPLATES = Path(__file__).parent / "templates"  # the Arduino sketch


@dataclass
class KwsConfig:
    """A keyword-spotting run. ``data`` None means the built-in data set synthesized with eSpeak NG."""

    words: list[str] = field(default_factory=lambda: ["yes", "no"])
    lang: str = "en"
    data: str | None = None
    model: str = "ds_cnn"
    width: float = bounded(0.5, above=0, max=4.0, why="wider models do not fit a microcontroller's RAM")
    train: TrainConfig = field(default_factory=lambda: TrainConfig(epochs=30, batch_size=64, learning_rate=2e-3))
    augment: AudioAugment = AudioAugment(shift_ms=300, copies=2)
    unknown_percent: float = bounded(100.0, 0, 10_000.0, flag="--unknown-percent")
    silence_percent: float = bounded(100.0, 0, 10_000.0, flag="--silence-percent")
    recognizer: RecognizerConfig | None = None  # None: calibrated on recordings of validation voices
    voices: int | None = bounded(None, 3, 2000, optional=True, why="more voices only slow synthesis")  # built-in data
    runs: str = runs_field()
    seed: int = seed_field()

    def __post_init__(self) -> None:
        check_fields(self)


def load_data(config: KwsConfig, progress: ProgressCallback = silent) -> tuple[Dataset, str]:
    """The data set of a run and a description of its source (a folder, or the built-in synthesized set)."""
    root = Path(config.data) if config.data else builtin_data(config, progress)
    data = load_speech_commands(
        root,
        config.words,
        unknown_percent=config.unknown_percent,
        silence_percent=config.silence_percent,
        seed=config.seed,
        progress=progress,
    )
    source = str(root) if config.data else f"built-in synthesized voices (eSpeak NG, lang={config.lang}) at {root}"
    return data, source


def builtin_data(config: KwsConfig, progress: ProgressCallback = silent) -> Path:
    """The built-in synthesized data set for the run's words and language, made once and then cached."""
    from tinymlkit.apps.kws.synth import synthesize_keyword_dataset
    from tinymlkit.cache import cached_dataset

    settings = {"words": config.words, "lang": config.lang, "voices": config.voices, "seed": config.seed}
    extra = {} if config.voices is None else {"voices": config.voices}
    return cached_dataset("kws", settings, lambda root: synthesize_keyword_dataset(
        root, words=config.words, lang=config.lang, seed=config.seed, progress=progress, **extra))


def features(data: Dataset, config: KwsConfig, progress: ProgressCallback = silent) -> dict[str, tuple]:
    """Device features per split as flat vectors, computed as a listening device computes them (clips heard
    one after another); training clips are augmented (shift, background noise)."""
    out = {}
    for split in ("train", "validation", "test"):
        part = data.part(split)
        clips, y = part.x, part.y
        if split == "train" and config.augment.copies > 0:
            noise = data.extras.get("background_noise", [])
            augmented = augment_clips(clips, noise, config.augment, MICRO_SPEECH.sample_rate, config.seed)
            clips = np.concatenate([clips, augmented])
            y = np.concatenate([y] + [y] * config.augment.copies)
        x = listening_features(clips, MICRO_SPEECH, seed=config.seed, progress=progress)
        out[split] = (x.reshape(len(x), MICRO_SPEECH.frames * MICRO_SPEECH.channels), y)
    return out


def run(config: KwsConfig, progress: ProgressCallback = silent) -> ModelReport:
    """Train, quantize, verify in TFLM and package a keyword spotter; the run folder is ``report.run_dir``."""
    from tinymlkit.models import build_model
    from tinymlkit.pipeline import RunSpec, Stopwatch, run_classifier
    from tinymlkit.train import seed_everything

    watch = Stopwatch()
    with watch("data"):
        data, source = load_data(config, progress)
    with watch("features"):
        feats = features(data, config, progress)
    seed_everything(config.seed)
    model = build_model(config.model, MICRO_SPEECH.shape, len(data.labels), config.width)
    spec = RunSpec(app="kws", runs=config.runs, templates=TEMPLATES, settings=_settings(config),
                   sketch_context=sketch_context(data.labels, config), negatives=[SILENCE, UNKNOWN])

    def measure(int8) -> dict:
        recognizer = config.recognizer
        if recognizer is None:
            recognizer = calibrate_recognizer(data.part("validation"), int8.tflm, config.words, config.seed, progress)
            spec.sketch_context["recognizer"] = recognizer
        check = streaming_check(data.part("test"), int8.tflm, config.words, recognizer, config.seed, progress=progress)
        return {"streaming": asdict(check)}

    return run_classifier(spec, data, source, feats, model, config.model, config.train, FEATURE_RANGE, watch,
                          progress, measure)


@dataclass
class StreamingCheck:
    """Listening to held-out recordings: keywords found at the right time, missed, and false alarms."""

    streams: int
    seconds: float
    words: int
    hits: int
    misses: int
    false_alarms: int
    recall: float
    false_alarms_per_hour: float
    recognizer: dict


ScoredStream = tuple[np.ndarray, np.ndarray, list]  # inference times (ms), class scores, the words spoken


def score_streams(
    held_out: Dataset, tflm, words: list[str], seed: int, streams: int = 10, seconds: float = 10.0,
    progress: ProgressCallback = silent,
) -> list[ScoredStream]:
    """Compose ``streams`` recordings of held-out clips in background noise, keywords and other words (which must
    not fire) in random order, and score them with the int8 model in TFLM every 20 ms, as the board does. The
    words spoken are the keywords only."""
    from tinymlkit.apps.kws.stream import compose_stream
    from tinymlkit.apps.kws.streaming import stream_scores
    from tinymlkit.progress import track

    scored = []
    for i in track(range(streams), "Listening to held-out recordings", progress):
        audio, spoken = compose_stream(held_out, [*words, UNKNOWN], seconds=seconds, seed=seed + i)
        scored.append((*stream_scores(audio, tflm), [w for w in spoken if w.label in words]))
    return scored


def count_detections(
    scored: list[ScoredStream], labels: list[str], words: list[str], recognizer: RecognizerConfig
) -> tuple[int, int, int]:
    """Hits, misses and false alarms of ``recognizer`` over scored recordings."""
    from tinymlkit.apps.kws.detections import match_detections
    from tinymlkit.apps.kws.streaming import recognize

    hits = misses = false_alarms = 0
    for times, scores, truth in scored:
        score = match_detections(recognize(times, scores, labels, recognizer), truth, words)
        hits, misses, false_alarms = (hits + len(score.hits), misses + len(score.misses),
                                      false_alarms + len(score.false_alarms))
    return hits, misses, false_alarms


RECOGNIZER_WINDOWS_MS = (500, 750, 1000)
RECOGNIZER_THRESHOLDS = (120, 150, 180, 200, 220)


def calibrate_recognizer(
    validation: Dataset, tflm, words: list[str], seed: int, progress: ProgressCallback = silent
) -> RecognizerConfig:
    """The recognizer's averaging window and threshold chosen on recordings of validation voices: the most
    keywords found, each false alarm (a keyword heard in noise or in another word) counting as two misses; ties go
    to the more sensitive setting (lower threshold, then shorter window), as held-out voices are harder than the
    validation ones. The suppression time and minimum count stay the course's; so do all four when the validation
    split has no keyword clips."""
    if not any(np.any(validation.y == validation.labels.index(w)) for w in words if w in validation.labels):
        return RecognizerConfig()
    scored = score_streams(validation, tflm, words, seed, progress=progress)
    candidates = [RecognizerConfig(average_window_ms=w, threshold=t)
                  for w in RECOGNIZER_WINDOWS_MS for t in RECOGNIZER_THRESHOLDS]

    def merit(candidate: RecognizerConfig) -> tuple[int, int, int]:
        hits, _, false_alarms = count_detections(scored, validation.labels, words, candidate)
        return hits - 2 * false_alarms, -candidate.threshold, -candidate.average_window_ms

    return max(candidates, key=merit)


def streaming_check(
    held_out: Dataset, tflm, words: list[str], recognizer: RecognizerConfig, seed: int, streams: int = 10,
    seconds: float = 10.0, progress: ProgressCallback = silent,
) -> StreamingCheck:
    """Run the int8 model in TFLM with the command recognizer over ``streams`` recordings made of held-out clips
    (keywords and other words) in background noise, and count hits, misses and false alarms."""
    scored = score_streams(held_out, tflm, words, seed, streams, seconds, progress)
    hits, misses, false_alarms = count_detections(scored, held_out.labels, words, recognizer)
    total = hits + misses
    return StreamingCheck(
        streams=streams,
        seconds=streams * seconds,
        words=total,
        hits=hits,
        misses=misses,
        false_alarms=false_alarms,
        recall=hits / total if total else float("nan"),
        false_alarms_per_hour=false_alarms * 3600.0 / (streams * seconds),
        recognizer=asdict(recognizer),
    )


def recognizer_of_run(model: Path) -> RecognizerConfig:
    """The recognizer settings a training run chose for ``model`` (``<run>/deploy/model.tflite``), read from the
    run's report.json; the course's settings for a model from elsewhere."""
    import json

    from tinymlkit.errors import TinyMLError

    report = model.resolve().parent.parent / "report.json"
    if not report.is_file() or model.resolve().parent.name != "deploy":
        return RecognizerConfig()
    try:
        chosen = json.loads(report.read_text(encoding="utf-8"))["extra"]["streaming"]["recognizer"]
        return RecognizerConfig(**chosen)
    except (OSError, ValueError, KeyError, TypeError, TinyMLError) as exc:
        raise TinyMLError(f"{report} is damaged ({type(exc).__name__}: {exc}); the recognizer settings cannot be "
                          "read: restore it from a copy, or delete it to use the course's settings") from None


def sketch_context(labels: list[str], config: KwsConfig) -> dict:
    """Values for the keyword-spotting sketch templates and README."""
    return {
        "title": f"keyword spotting ({', '.join(config.words)})",
        "description": (
            "Listens on the board's microphone and prints each recognized keyword on the serial port; the RGB "
            "LED shows it (first keyword green, second red, third blue, unknown blue)."
        ),
        "run_steps": [f"Say one of: {', '.join(config.words)}. Each recognized word is printed with its score."],
        "labels": labels,
        "keywords": config.words,
        "fe": MICRO_SPEECH,
        "frames": MICRO_SPEECH.frames,
        "recognizer": config.recognizer or RecognizerConfig(),
        "shared_templates": ["common/audio_provider.cpp", "common/audio_provider.h"],
        "extra_rows": [["labels", ", ".join(labels)]],
    }


def _settings(config: KwsConfig) -> dict:
    settings = asdict(config)
    settings["frontend"] = asdict(MICRO_SPEECH)
    return settings
