"""Benchmark: models trained on built-in (synthesized) data only, measured on real recordings and photos beside
their synthetic test split (issue 10). Real items never enter training: they are the runs' ``--real-test`` folders.

The real data comes from packages a fresh machine can install, no download of data sets:

- keyword spotting: Debian's ``asterisk-core-sounds-<lang>-wav`` (8 kHz telephone prompts, one real speaker per
  language: en and es Allison, fr June, it Carlo; ``sudo apt-get install asterisk-core-sounds-en-wav``): three
  number words as keywords ("one", "two", "three" by default), every other number word of 0-20 and the tens as a
  non-keyword that must not be accepted; the model trained on the built-in voices of that language;
- person detection: the photos bundled in the ``scikit-image`` wheel (``pip install scikit-image``): astronaut and
  camera show a person, coffee, chelsea, rocket, brick, coins... do not; each becomes the 176x144 grayscale frame
  the board's camera would give (the loader's camera path). A second set: its ``lfw_subset``, 100 face crops of
  real people and 100 crops without a face (25x25 pixels each, so blurred once scaled up to a camera frame); a
  third, when Debian's ``opencv-doc`` is installed: 4 photos with a person and 23 without from OpenCV's example
  data and matplotlib's sample data (added after the scenes were designed);
- magic wand: ``--wand-strokes PATH``, real people's strokes (the course's JSON, or an IMU recording folder).

    PYTHONPATH=src nice python benchmarks/real_world.py [--apps person,kws,wand] [--lang en|es|fr|it]
                        [--words one,two,three] [--epochs N] [--scenes N] [--family F] [--runs DIR]

The default run is modest (person detection on 4,000 scenes instead of 16,000; every app's default otherwise);
``--scenes 16000`` gives the default person model.
"""

import argparse
import os
import shutil
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

SOUNDS = "/usr/share/asterisk/sounds"
VOICES = {  # language -> (folder of the asterisk prompts, Debian package): each a different real speaker
    "en": ("en_US_f_Allison", "asterisk-core-sounds-en-wav"),
    "es": ("es_MX_f_Allison", "asterisk-core-sounds-es-wav"),
    "fr": ("fr_CA_f_June", "asterisk-core-sounds-fr-wav"),
    "it": ("it_IT_m_Carlo", "asterisk-core-sounds-it-wav"),
}
TENS = (20, 30, 40, 50, 60, 70, 80, 90)
NUMBER_WORDS = {  # the numbers 0-20 and the tens to 90, in order: the prompts digits/<n>.wav
    "en": """zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen
        seventeen eighteen nineteen twenty thirty forty fifty sixty seventy eighty ninety""",
    "es": """cero uno dos tres cuatro cinco seis siete ocho nueve diez once doce trece catorce quince dieciséis
        diecisiete dieciocho diecinueve veinte treinta cuarenta cincuenta sesenta setenta ochenta noventa""",
    "fr": """zéro un deux trois quatre cinq six sept huit neuf dix onze douze treize quatorze quinze seize dix-sept
        dix-huit dix-neuf vingt trente quarante cinquante soixante soixante-dix quatre-vingts quatre-vingt-dix""",
    "it": """zero uno due tre quattro cinque sei sette otto nove dieci undici dodici tredici quattordici quindici
        sedici diciassette diciotto diciannove venti trenta quaranta cinquanta sessanta settanta ottanta novanta""",
}
NUMBERS = {lang: dict(zip(words.split(), [*range(21), *TENS[1:]], strict=True)) for lang, words in NUMBER_WORDS.items()}
DEFAULT_WORDS = {"en": "one,two,three", "es": "uno,dos,tres", "fr": "un,deux,trois", "it": "uno,due,tre"}
PERSON_PHOTOS = ("astronaut", "camera")
OTHER_PHOTOS = (
    "coffee",
    "chelsea",
    "rocket",
    "brick",
    "coins",
    "moon",
    "page",
    "horse",
    "clock",
    "grass",
    "gravel",
    "hubble_deep_field",
    "text",
)


def asterisk_words(out: Path, lang: str, sounds: str | None = None) -> Path:
    """A Speech Commands-layout folder of the number words of one language's asterisk prompts:
    ``<word>/<speaker>_nohash_0.wav`` (the loader resamples 8 kHz to 16 kHz)."""
    folder, package = VOICES[lang]
    digits = Path(sounds or Path(SOUNDS) / folder) / "digits"
    if not (digits / "1.wav").is_file():
        sys.exit(f"no asterisk prompts in {digits}: sudo apt-get install {package} (or pass --asterisk DIR)")
    speaker = folder.rsplit("_", 1)[-1].lower()
    for word, number in NUMBERS[lang].items():
        (out / word).mkdir(parents=True, exist_ok=True)
        shutil.copy(digits / f"{number}.wav", out / word / f"{speaker}_nohash_0.wav")
    return out


def skimage_photos(out: Path) -> Path:
    """person/ and no_person/ PNG files of the photos bundled with scikit-image."""
    import numpy as np
    from PIL import Image

    try:
        from skimage import data
    except ImportError:
        sys.exit("scikit-image is needed for the person photos: pip install scikit-image")
    for label, names in (("person", PERSON_PHOTOS), ("no_person", OTHER_PHOTOS)):
        (out / label).mkdir(parents=True, exist_ok=True)
        for name in names:
            pixels = np.asarray(getattr(data, name)())
            if pixels.dtype != np.uint8:  # the horse is a boolean silhouette, some others float
                a = pixels.astype(np.float64)
                pixels = np.round(255 * (a - a.min()) / max(1e-9, float(np.ptp(a)))).astype(np.uint8)
            Image.fromarray(pixels).save(out / label / f"{name}_nohash_0.png")
    return out


def lfw_crops(out: Path) -> Path:
    """person/ (100 face crops of real people) and no_person/ (100 crops without a face) from scikit-image's
    lfw_subset, 25x25 grayscale each."""
    import numpy as np
    from PIL import Image
    from skimage import data

    crops = data.lfw_subset()
    for label, part in (("person", crops[:100]), ("no_person", crops[100:])):
        (out / label).mkdir(parents=True, exist_ok=True)
        for i, crop in enumerate(part):
            Image.fromarray(np.round(crop * 255).astype(np.uint8)).save(out / label / f"lfw{i:03d}_nohash_0.png")
    return out


OPENCV_DATA = "/usr/share/doc/opencv-doc/examples/data"
MORE_PERSON_PHOTOS = ("basketball1.png", "left01.jpg", "messi5.jpg")  # + matplotlib's grace_hopper.jpg
MORE_OTHER_PHOTOS = """aero1.jpg aero3.jpg aloeL.jpg apple.jpg baboon.jpg board.jpg box_in_scene.png building.jpg
    butterfly.jpg chicky_512.png ela_original.jpg fruits.jpg home.jpg left.jpg leuvenA.jpg licenseplate_motion.jpg
    orange.jpg rubberwhale1.png smarties.png squirrel_cls.jpg stuff.jpg sudoku.png text_defocus.jpg""".split()


def more_photos(out: Path) -> Path | None:
    """person/ (4) and no_person/ (23) photos from OpenCV's example data (Debian's ``opencv-doc``) and matplotlib's
    sample data: a set added after the scenes were designed, to check transfer beyond the scikit-image photos.
    None when opencv-doc is not installed."""
    import matplotlib

    if not Path(OPENCV_DATA, "messi5.jpg").is_file():
        return None
    hopper = Path(matplotlib.__file__).parent / "mpl-data" / "sample_data" / "grace_hopper.jpg"
    for label, files in (
        ("person", [*(Path(OPENCV_DATA) / n for n in MORE_PERSON_PHOTOS), hopper]),
        ("no_person", [Path(OPENCV_DATA) / n for n in MORE_OTHER_PHOTOS]),
    ):
        (out / label).mkdir(parents=True, exist_ok=True)
        for f in files:
            shutil.copy(f, out / label / f"{Path(f).stem}_nohash_0{Path(f).suffix}")
    return out


def side_by_side(title: str, report, extra_rows: list[tuple[str, str, str]] = ()) -> None:
    """One table: each figure on the synthetic test split beside the real-world one."""
    real = report.real_world
    rows = [
        (name, f"{real.test_metrics.get(name, float('nan')):.3f}", f"{real.metrics.get(name, float('nan')):.3f}")
        for name in real.metrics
    ]
    test_recall = report.per_class_recall or {}
    for label, r in (real.per_class_recall or {}).items():
        rows.append((f"recall {label}", f"{test_recall.get(label, float('nan')):.3f}", f"{r:.3f}"))
    rows += list(extra_rows)
    print(f"\n{title}")
    print(f"  trained on: {report.data.source}")
    print(
        f"  real-world set: {real.source}: "
        + ", ".join(f"{k} {v}" for k, v in real.counts.items())
        + (f"; loading notes: {real.notes}" if real.notes else "")
    )
    print(f"  {'':28} {'synthetic test':>15} {'real world':>12}")
    for name, synthetic, world in rows:
        print(f"  {name:28} {synthetic:>15} {world:>12}")


def false_accepts(report) -> tuple[str, str, str]:
    """The row of non-keywords (unknown, silence) taken for a keyword, synthetic test vs real."""
    real, cm, labels = report.real_world, report.confusion, report.data.labels
    negatives = [labels.index(n) for n in ("silence", "unknown") if n in labels]
    commands = [i for i in range(len(labels)) if i not in negatives]
    fa = sum(cm[i][j] for i in negatives for j in commands)
    total = sum(sum(cm[i]) for i in negatives)
    return ("non-keywords accepted", f"{fa}/{total}", f"{real.false_accepts}/{real.negatives}")


def run_kws(args, work: Path) -> None:
    from tinymlkit.apps.kws.recipe import KwsConfig, run
    from tinymlkit.datatools.augment import AudioAugment

    folder = asterisk_words(work / f"asterisk-{args.lang}", args.lang, args.asterisk)
    config = KwsConfig(
        words=args.words.split(","), lang=args.lang, runs=args.runs, real_test=str(folder), model=args.family
    )
    if args.epochs:
        config = replace(config, train=replace(config.train, epochs=args.epochs))
    if args.augment == "plain":  # as before the acoustic augmentation: shift and noise only
        config = replace(config, augment=AudioAugment(shift_ms=300, copies=2))
    start = time.perf_counter()
    report = run(config)
    side_by_side(
        f"keyword spotting ({', '.join(config.words)}; {config.model}; {args.augment} augmentation), "
        f"{time.perf_counter() - start:.0f} s",
        report,
        [false_accepts(report)],
    )
    s, real = report.details.streaming, real_streaming(report, config, folder)
    print(f"  {'streaming: keywords found':28} {f'{s.hits}/{s.words}':>15} {f'{real.hits}/{real.words}':>12}")
    print(f"  {'streaming: false alarms':28} {s.false_alarms:>15} {real.false_alarms:>12}")
    print(
        f"  (streaming: {s.streams} recordings of {s.seconds / s.streams:.0f} s each, words in random order with "
        "gaps, in background noise; real: the real clips, keywords and non-keywords, in white noise)"
    )
    print(f"  model: {report.model.flash_bytes:,} B flash, {report.model.arena_bytes:,} B arena (64-bit host)")
    print(f"  run folder: {report.run_dir}")


def real_streaming(report, config, folder: Path):
    """The run's int8 model and recognizer listening to recordings composed of the real clips (keywords and
    non-keywords, which must not fire) in noise, as the training run's streaming check does with held-out voices."""
    from tinymlkit.apps.kws.recipe import recipe, streaming_check
    from tinymlkit.apps.kws.recognizer import RecognizerConfig
    from tinymlkit.evaluate.real_world import load_real_test, match_labels
    from tinymlkit.runtime.tflm import TFLMModel

    data, source = load_real_test(recipe, config, folder)
    data = match_labels(data, report.data.labels, source)
    tflm = TFLMModel((Path(report.run_dir) / "deploy" / "model.tflite").read_bytes())
    recognizer = RecognizerConfig(**report.details.streaming.recognizer)
    s = report.details.streaming
    return streaming_check(data, tflm, config.words, recognizer, config.seed, s.streams, s.seconds / s.streams)


def run_person(args, work: Path) -> None:
    from tinymlkit.apps.person.recipe import PersonConfig, recipe, run
    from tinymlkit.evaluate.real_world import load_real_test, match_labels, measure_real_world

    photos = skimage_photos(work / "photos")
    config = PersonConfig(scenes=args.scenes, runs=args.runs, real_test=str(photos))
    if args.epochs:
        config = replace(config, train=replace(config.train, epochs=args.epochs))
    start = time.perf_counter()
    report = run(config)
    side_by_side(f"person detection ({config.scenes} synthetic scenes), {time.perf_counter() - start:.0f} s", report)
    tflite = (Path(report.run_dir) / "deploy" / "model.tflite").read_bytes()
    sets = [(lfw_crops(work / "lfw"), "scikit-image lfw_subset (25x25 crops)")]
    more = more_photos(work / "more-photos")
    if more:
        sets.append((more, "OpenCV's and matplotlib's example photos"))
    else:
        print("  (OpenCV's example photos skipped: sudo apt-get install opencv-doc)")
    for folder, name in sets:
        photos, source = load_real_test(recipe, config, folder)
        photos = match_labels(photos, report.data.labels, source)
        other = measure_real_world(recipe, config, photos, name, tflite, report.int8_metrics)
        print(
            f"  another real set, {other.source}: accuracy {other.metrics['accuracy']:.3f}; recall "
            + ", ".join(
                f"{k} {v:.3f} ({round(v * other.counts[k])} of {other.counts[k]})"
                for k, v in (other.per_class_recall or {}).items()
            )
        )
    print(f"  run folder: {report.run_dir}")


def run_wand(args, work: Path) -> None:
    from tinymlkit.apps.wand.recipe import WandConfig, run

    if not args.wand_strokes:
        print(
            "\nmagic wand: skipped (no real strokes: pass --wand-strokes PATH, the course's strokes JSON or an IMU "
            "recording folder)"
        )
        return
    config = WandConfig(runs=args.runs, real_test=args.wand_strokes)
    if args.epochs:
        config = replace(config, train=replace(config.train, epochs=args.epochs))
    start = time.perf_counter()
    report = run(config)
    side_by_side(f"magic wand ({config.users} synthetic users), {time.perf_counter() - start:.0f} s", report)
    print(f"  run folder: {report.run_dir}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--apps", default="person,kws,wand", help="comma-separated: person, kws, wand")
    parser.add_argument("--lang", default="en", choices=sorted(VOICES), help="kws: language (one real speaker each)")
    parser.add_argument("--words", default=None, help="kws: keywords, number words of the prompts (one,two,three)")
    parser.add_argument("--epochs", type=int, default=None, help="training epochs (default: each app's)")
    parser.add_argument("--family", default="ds_cnn", help="kws: model family (ds_cnn, or tiny_conv)")
    parser.add_argument(
        "--augment", default="acoustic", choices=("acoustic", "plain"), help="kws: the default, or shift and noise only"
    )
    parser.add_argument("--scenes", type=int, default=4000, help="person: synthetic scenes (the default model: 16000)")
    parser.add_argument("--asterisk", default=None, help="kws: folder of the asterisk prompts (holding digits/)")
    parser.add_argument("--wand-strokes", default=None, help="real strokes: the course's JSON or an IMU folder")
    parser.add_argument("--runs", default=os.path.join(tempfile.gettempdir(), "tinyml-bench-runs"))
    args = parser.parse_args()
    args.words = args.words or DEFAULT_WORDS[args.lang]
    unknown = set(args.words.split(",")) - set(NUMBERS[args.lang])
    if unknown:
        sys.exit(f"--words must be number words of the {args.lang} asterisk prompts, not {', '.join(sorted(unknown))}")
    runners = {"person": run_person, "kws": run_kws, "wand": run_wand}
    apps = args.apps.split(",")
    for app in apps:
        if app not in runners:
            sys.exit(f"--apps: unknown app {app}; choose from {', '.join(runners)}")
    Path(args.runs).mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix="real-world-sets-", dir=args.runs))  # kept: the reports name these folders
    print(f"real-world test folders: {work}")
    for app in apps:
        runners[app](args, work)


if __name__ == "__main__":
    main()
