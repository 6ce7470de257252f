"""Keyword spotting, the course's micro_speech application: audio clips -> micro features -> tiny_conv/DS-CNN ->
int8 in TFLM -> Arduino sketch for the Nano 33 BLE Sense.

    report = run(KwsConfig(words=["yes", "no"]))          # built-in synthesized voices
    report = run(KwsConfig(words=["yes", "no"], data="speech_commands_v0.02"))   # a real data set
"""

from dataclasses import asdict, dataclass, field, replace
from pathlib import Path

import numpy as np

from tinymlkit.apps.kws.data import SILENCE, UNKNOWN, keyword_labels, load_speech_commands
from tinymlkit.apps.kws.frontend import MICRO_SPEECH, listening_features
from tinymlkit.apps.kws.recognizer import RecognizerConfig
from tinymlkit.data.dataset import Dataset
from tinymlkit.datatools import mix
from tinymlkit.datatools.augment import AudioAugment, augment_clips
from tinymlkit.errors import TinyMLError
from tinymlkit.progress import ProgressCallback, silent
from tinymlkit.recipe import CardText, Classification, Evaluation, Features, Recipe, Trained
from tinymlkit.report import ModelReport
from tinymlkit.settings import real_test_setting, runs_setting, seed_setting, setting, validate
from tinymlkit.train import TrainConfig

# The micro_speech firmware quantizes features as value * 256 / (25.6 * 26) - 128, i.e. with scale 26/256 and
# zero point -128. Calibrating the input on [0, 26 * 255 / 256] gives our models exactly that quantization, so
# they also run in that firmware unchanged.
FEATURE_RANGE = (0.0, 26.0 * 255.0 / 256.0)

TEMPLATES = Path(__file__).parent / "templates"  # the Arduino sketch


@dataclass
class KwsConfig:
    """A keyword-spotting run. ``data`` None means the built-in data set synthesized with eSpeak NG."""

    words: list[str] = setting(
        factory=lambda: ["yes", "no"],
        builtin=True,
        help="Comma-separated keywords ('silence' and 'unknown' are added).",
    )
    lang: str = setting("en", help="eSpeak NG language of the built-in voices (e.g. en, es, fr, hi, sw).", builtin=True)
    data: str | None = setting(None, source=True, help="Speech Commands-style folder; default: built-in voices.")
    mix: bool | None = setting(
        None,
        help="With --data: add the built-in voices (other words, silence, noise, the keywords in synthetic voices) "
        "to your clips, which are weighted up; default: when fewer than 3 speakers say the keywords.",
    )
    # The DS-CNN that also sees each feature channel standardized over the second: over five seeds it got more real
    # keywords right where as many real non-keywords passed, accepted fewer than half as many at its own threshold and
    # found more real keywords in real streams (docs/real_world.md, "Channel normalization in the model").
    model: str = setting(
        "ds_cnn_cmvn",
        flag="--family",
        help="Model family: ds_cnn_cmvn (a DS-CNN that also sees each channel standardized over the second), ds_cnn, "
        "or tiny_conv (the course's micro_speech model).",
    )
    width: float = setting(
        0.5,
        help="Width multiplier for the model's channels.",
        positive=True,
        max=4.0,
        why="wider models do not fit a microcontroller's RAM",
    )
    # At most 15 epochs: the quick start's yes,no model is best at epoch 15 of 21 (docs/kws.md, "Measured"). The
    # learning rate decays to zero along a cosine: over three seeds the models are steadier and do better on real
    # speech (docs/real_world.md, "Judged over three seeds"). Every epoch runs and the last weights are kept: early
    # stopping on the held-out voices restored weights from before the rate fell, which took more real words for
    # a keyword (docs/real_world.md, "Early stopping off").
    train: TrainConfig = field(
        default_factory=lambda: TrainConfig(
            epochs=15, batch_size=64, learning_rate=2e-3, decay=True, early_stopping=False
        )
    )
    # Rooms, microphones, levels and vocal tracts: what built-in voices lack against real ones (docs/real_world.md).
    augment: AudioAugment = AudioAugment(shift_ms=300, copies=2, voice=0.5, room=0.5, microphone=0.8, level=True)
    unknown_percent: float = setting(
        100.0, help="'unknown' clips, in percent of the mean keyword's clips.", min=0, max=10_000.0
    )
    silence_percent: float = setting(100.0, help="'silence' clips, in percent of the mean keyword's clips.", min=0)
    recognizer: RecognizerConfig | None = None  # None: calibrated on recordings of validation voices
    voices: int | None = setting(
        None,
        help="Built-in data: number of synthetic voices (default: the built-in set).",
        min=3,
        max=2000,
        why="more voices only slow synthesis",
        builtin=True,
    )
    extra_voices: bool | None = setting(
        None,
        help="Built-in data: add the flite, Festival and Piper voices installed here that speak the language; "
        "default: where a Piper voice is among them and the language has built-in unknown words for them to say "
        "too (English): more real keywords found and fewer real non-keywords accepted (docs/kws.md).",
        builtin=True,
    )
    music: bool = setting(
        True,
        help="Built-in data: add installed real music (drascula-music, or $TINYML_BACKGROUND_MUSIC) to the "
        "background noise and silence clips (docs/kws.md).",
        builtin=True,
    )
    real_test: str | None = real_test_setting()
    runs: str = runs_setting()
    seed: int = seed_setting()

    def __post_init__(self) -> None:
        validate(self)
        mix.check_mix(self.mix, self.data)


def load_data(config: KwsConfig, progress: ProgressCallback = silent) -> tuple[Dataset, str]:
    """The data set of a run and a description of its source: a folder, the built-in synthesized set, or your
    clips mixed with it (:mod:`tinymlkit.datatools.mix`; your held-out clips then in ``extras["real_test"]``)."""

    def read(root: Path, **options) -> Dataset:
        kept = {"unknown_percent": config.unknown_percent, "silence_percent": config.silence_percent}
        return load_speech_commands(root, config.words, **kept, seed=config.seed, progress=progress, **options)

    if not config.data:
        root = builtin_data(config, progress)
        return read(root), (
            f"built-in synthesized voices ({synthesizers(config)}, lang={config.lang}){_backgrounds(config)} at {root}"
        )
    root = Path(config.data)
    if not mix.should_mix(config.mix, root, config.words, (".wav",)):
        return read(root), str(root)
    builtin = builtin_data(config, progress)
    # Your other words are weighted up like your keywords: a voice heard only saying keywords is a cue for
    # "keyword" (docs/real_world.md, "A real speaker's own clips").
    words = [i for i, label in enumerate(keyword_labels(config.words)) if label != SILENCE]
    data, yours_test, repeats = mix.mixed(read(root, check_classes=False), read(builtin), words)
    data.extras["real_test"] = (yours_test, f"your held-out clips in {root}")
    return data, (
        f"{root} (your training clips, each x{repeats}; {len(yours_test)} held out, measured apart) mixed with "
        f"built-in synthesized voices ({synthesizers(config)}, lang={config.lang}){_backgrounds(config)} at {builtin}"
    )


def _synth_options(config: KwsConfig) -> dict:
    """The arguments of the built-in data's synthesis that follow from the config (beyond words, lang, seed)."""
    options: dict = {} if config.voices is None else {"voices": config.voices}
    options["extra_voices"] = _extra_voices(config)
    options["music"] = _music(config)
    return options


def _extra_voices(config: KwsConfig) -> list[str]:
    """The installed flite/Festival/Piper voices the built-in data adds. By default those of the language where a
    Piper voice is among them and the language has built-in unknown words for them to say (English): over five
    seeds that English model got more real keywords right and took fewer real non-keywords for keywords. flite and
    Festival without Piper got more keywords right but accepted more non-keywords; where the voices can say only the
    keywords (Italian) more non-keywords were accepted too (docs/kws.md, "Extra voices by default")."""
    from tinymlkit.apps.kws.synth import UNKNOWN_WORDS, extra_voices_for

    if config.extra_voices is False:
        return []
    installed = extra_voices_for(config.lang)
    if config.extra_voices is None:
        speaks_unknown_words = config.lang.split("-")[0].lower() in UNKNOWN_WORDS
        if not (speaks_unknown_words and any(v.engine == "piper" for v in installed)):
            return []
    return [v.variant for v in installed]


def _music(config: KwsConfig) -> list[Path]:
    """The installed music the built-in data is made with: none when the config turns it off."""
    from tinymlkit.apps.kws.music import music_files

    return music_files() if config.music else []


def synthesizers(config: KwsConfig) -> str:
    """The synthesizers of the run's built-in data: "eSpeak NG", plus the flite/Festival/Piper voices used."""
    from tinymlkit.apps.kws.voices import describe

    extra = _synth_options(config)["extra_voices"]
    return "eSpeak NG" + (f" + {describe(extra)}" if extra else "")


def _backgrounds(config: KwsConfig) -> str:
    """The built-in data's backgrounds beyond its synthetic noise, for the data source line: "" or real music."""
    music = _music(config)
    return f", with {len(music)} pieces of real music behind" if music else ""


def builtin_data(config: KwsConfig, progress: ProgressCallback = silent) -> Path:
    """The built-in synthesized data set for the run's words and language, made once and then cached."""
    from tinymlkit.apps.kws.synth import synthesize_keyword_dataset, unknown_vocabulary
    from tinymlkit.cache import cached_dataset
    from tinymlkit.data.installed import fingerprint

    options = _synth_options(config)
    settings = {"words": config.words, "lang": config.lang, "voices": config.voices, "seed": config.seed}
    # a set made with another list of unknown words (an older version's) is not reused: the key hashes the list
    settings["unknown_words"] = unknown_vocabulary(config.lang, config.words)
    if options["extra_voices"]:  # a machine with flite, Festival or Piper never reuses a set made without them
        settings["extra_voices"] = options["extra_voices"]
    if options["music"]:  # nor one made with other music, or none
        settings["music"] = fingerprint(options["music"])
    return cached_dataset(
        "kws",
        settings,
        lambda root: synthesize_keyword_dataset(
            root, words=config.words, lang=config.lang, seed=config.seed, progress=progress, **options
        ),
    )


def features(data: Dataset, config: KwsConfig, progress: ProgressCallback = silent) -> Features:
    """Device features per split as flat vectors, computed as a listening device computes them (clips heard
    one after another); training clips are augmented (voice, shift, room, microphone, level, background noise)."""
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
    return Features(out)


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
    held_out: Dataset,
    tflm,
    words: list[str],
    seed: int,
    streams: int = 10,
    seconds: float = 10.0,
    progress: ProgressCallback = silent,
    background=None,
) -> list[ScoredStream]:
    """Compose ``streams`` recordings of held-out clips in background noise (or over ``background``, a
    :class:`~tinymlkit.apps.kws.stream.Background`), keywords and other words (which must not fire) in random
    order, and score them with the int8 model in TFLM every 20 ms, as the board does. The words spoken are the
    keywords only."""
    from tinymlkit.apps.kws.streaming import stream_scores
    from tinymlkit.progress import track

    recordings = held_out_recordings(held_out, words, seed, streams, seconds, background)
    return [
        (*stream_scores(audio, tflm), said)
        for audio, said in track(recordings, "Listening to held-out recordings", progress, total=streams)
    ]


def held_out_recordings(
    held_out: Dataset, words: list[str], seed: int, streams: int, seconds: float = 10.0, background=None
):
    """The recordings :func:`score_streams` listens to, one at a time: each as (audio, the keywords said in it)."""
    from tinymlkit.apps.kws.stream import compose_stream

    for i in range(streams):
        audio, spoken = compose_stream(
            held_out, [*words, UNKNOWN], seconds=seconds, seed=seed + i, background=background
        )
        yield audio, [w for w in spoken if w.label in words]


def count_detections(
    scored: list[ScoredStream], labels: list[str], words: list[str], recognizer: RecognizerConfig
) -> tuple[int, int, int]:
    """Hits, misses and false alarms of ``recognizer`` over scored recordings."""
    from tinymlkit.apps.kws.detections import match_detections
    from tinymlkit.apps.kws.streaming import recognize

    hits = misses = false_alarms = 0
    for times, scores, truth in scored:
        score = match_detections(recognize(times, scores, labels, recognizer), truth, words)
        hits, misses, false_alarms = (
            hits + len(score.hits),
            misses + len(score.misses),
            false_alarms + len(score.false_alarms),
        )
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
    candidates = [
        RecognizerConfig(average_window_ms=w, threshold=t) for w in RECOGNIZER_WINDOWS_MS for t in RECOGNIZER_THRESHOLDS
    ]

    def merit(candidate: RecognizerConfig) -> tuple[int, int, int]:
        hits, _, false_alarms = count_detections(scored, validation.labels, words, candidate)
        return hits - 2 * false_alarms, -candidate.threshold, -candidate.average_window_ms

    return max(candidates, key=merit)


def streaming_check(
    held_out: Dataset,
    tflm,
    words: list[str],
    recognizer: RecognizerConfig,
    seed: int,
    streams: int = 10,
    seconds: float = 10.0,
    progress: ProgressCallback = silent,
    background=None,
) -> StreamingCheck:
    """Run the int8 model in TFLM with the command recognizer over ``streams`` recordings made of held-out clips
    (keywords and other words) in background noise, or over ``background`` (music, speech: a
    :class:`~tinymlkit.apps.kws.stream.Background`), and count hits, misses and false alarms."""
    scored = score_streams(held_out, tflm, words, seed, streams, seconds, progress, background)
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


@dataclass
class KwsDetails:
    """What a keyword-spotting run adds to its report: the check listening to held-out recordings (with the
    recognizer settings it chose, which the sketch uses)."""

    streaming: StreamingCheck

    def card_lines(self) -> list[str]:
        s = self.streaming
        return [
            f"Listening to {s.streams} held-out recordings ({s.seconds} s): {s.hits} of {s.words} keywords found, "
            f"{s.false_alarms} false alarms ({s.false_alarms_per_hour:.1f} per hour)."
        ]


class KwsRecipe(Recipe):
    """Keyword spotting: 1 s audio clips -> micro features (49 x 40) -> tiny_conv / DS-CNN -> the word."""

    name = "kws"
    title = "keyword spotting"
    config_type = KwsConfig
    task = Classification(negatives=(SILENCE, UNKNOWN))
    card = CardText(
        "Recognize a few spoken keywords on a microcontroller (always-on listening, one second of audio at a time), "
        "for hands-free control of a device in a quiet to moderately noisy room.",
        "identifying or verifying who speaks, safety-critical or emergency controls, languages or accents far from "
        "the training voices, or transcribing speech.",
        group=("speaker (voice)", "speakers (voices)"),
        limitations=(
            "the test clips are one isolated word each; continuous speech, far-field or very noisy rooms "
            "cause more false accepts",
        ),
    )
    templates = TEMPLATES

    def load_data(self, config: KwsConfig, progress: ProgressCallback = silent) -> tuple[Dataset, str]:
        return load_data(config, progress)

    def features(self, data: Dataset, config: KwsConfig, progress: ProgressCallback = silent) -> Features:
        return features(data, config, progress)

    def build_model(self, config: KwsConfig, data: Dataset):
        from tinymlkit.models import build_model

        return build_model(config.model, MICRO_SPEECH.shape, len(data.labels), config.width)

    def input_range(self, config: KwsConfig, data: Dataset) -> tuple[float, float]:
        return FEATURE_RANGE

    def measure(self, run: Trained, progress: ProgressCallback = silent) -> KwsDetails:
        """Listen to recordings of held-out voices with the int8 model and the recognizer (calibrated on
        validation voices unless the config gives one)."""
        config, tflm = run.config, run.int8.tflm
        recognizer = config.recognizer or calibrate_recognizer(
            run.data.part("validation"), tflm, config.words, config.seed, progress
        )
        return KwsDetails(
            streaming_check(run.data.part("test"), tflm, config.words, recognizer, config.seed, progress=progress)
        )

    def sketch_context(self, config: KwsConfig, labels: list[str], tflm, details: KwsDetails | None = None) -> dict:
        context = sketch_context(labels, config)
        if details is not None:
            context["recognizer"] = RecognizerConfig(**details.streaming.recognizer)
        return context

    def synthesized(self, config: KwsConfig) -> bool:
        return not config.data or (Path(config.data) / "synth_kws.json").is_file()

    def settings(self, config: KwsConfig) -> dict:
        return _settings(config)

    def open_model(self, model: bytes, labels: list[str] | None = None, name: str = "model"):
        return kws_model(model, labels, name)

    def synthesize(self, out: Path, config: KwsConfig, progress: ProgressCallback = silent, force: bool = False) -> str:
        from tinymlkit.apps.kws.synth import synthesize_keyword_dataset

        options = _synth_options(config)
        return str(
            synthesize_keyword_dataset(
                out, words=config.words, lang=config.lang, seed=config.seed, progress=progress, force=force, **options
            )
        )

    def load_real_test(
        self, config: KwsConfig, folder: Path, progress: ProgressCallback = silent
    ) -> tuple[Dataset, str]:
        """Every clip of ``folder``: keyword folders, every other word's clips as ``unknown`` (all of them, for the
        false accepts), and ``silence`` as the loader makes it (none without a silence/ or noise folder)."""
        data = load_speech_commands(
            folder,
            config.words,
            unknown_percent=1e9,
            silence_percent=config.silence_percent,
            validation_percent=0.0,
            test_percent=0.0,
            seed=config.seed,
            progress=progress,
            check_classes=False,
        )
        return data, str(folder)

    def for_model(self, config: KwsConfig, labels: list[str] | None) -> KwsConfig:
        """The model's keywords; a folder given to measure a model is read as it is (never mixed)."""
        words = [w for w in labels or [] if w not in (SILENCE, UNKNOWN)]
        return replace(config, words=words or config.words, mix=False if config.data else config.mix)

    def evaluate(
        self,
        model: Path,
        data: Dataset,
        config: KwsConfig,
        labels: list[str] | None = None,
        progress: ProgressCallback = silent,
    ) -> Evaluation:
        from tinymlkit.evaluate.metrics import classify

        tflm = kws_model(Path(model).read_bytes(), data.labels, str(model))
        test = data.part("test")
        x = listening_features(test.x, MICRO_SPEECH, seed=config.seed, progress=progress)
        return Evaluation.of(classify(tflm.predict(x.reshape(len(x), -1), progress), test.y, data.labels))


recipe = KwsRecipe()


def run(config: KwsConfig = KwsConfig(), progress: ProgressCallback = silent) -> ModelReport:
    """Train, quantize, verify in TFLM and package a keyword spotter (:func:`tinymlkit.pipeline.run`)."""
    from tinymlkit.pipeline import run as run_recipe

    return run_recipe(recipe, config, progress)


def kws_model(model: bytes, labels: list[str] | None = None, name: str = "model"):
    """``model`` in TFLM, checked to take 49x40 micro features and give one score per label."""
    from tinymlkit.runtime.tflm import TFLMModel

    tflm = TFLMModel(model, name=name)
    classes = tflm.output.shape[-1]
    if labels is not None and len(labels) != classes:
        raise TinyMLError(f"the model has {classes} outputs but {len(labels)} labels were given; pass --labels")
    if int(np.prod(tflm.input.shape[1:])) != MICRO_SPEECH.frames * MICRO_SPEECH.channels:
        raise TinyMLError(
            f"{name} takes input {tflm.input.shape}, not {MICRO_SPEECH.frames}x"
            f"{MICRO_SPEECH.channels} micro features: not a keyword model"
        )
    return tflm


def recognizer_of_run(model: Path) -> RecognizerConfig:
    """The recognizer settings a training run chose for ``model`` (``<run>/deploy/model.tflite``), read from the
    run's report.json; the course's settings for a model from elsewhere."""
    import json

    from tinymlkit.errors import TinyMLError

    report = model.resolve().parent.parent / "report.json"
    if not report.is_file() or model.resolve().parent.name != "deploy":
        return RecognizerConfig()
    try:
        saved = json.loads(report.read_text(encoding="utf-8"))
        chosen = (saved.get("details") or saved.get("extra"))["streaming"]["recognizer"]
        return RecognizerConfig(**chosen)
    except (OSError, ValueError, KeyError, TypeError, TinyMLError) as exc:
        raise TinyMLError(
            f"{report} is damaged ({type(exc).__name__}: {exc}); the recognizer settings cannot be "
            "read: restore it from a copy, or delete it to use the course's settings"
        ) from None


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
