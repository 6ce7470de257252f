"""Benchmark: models trained on built-in (synthesized) data only, measured on real recordings and photos beside
their synthetic test split (issue 10). Real items never enter training: they are the runs' ``--real-test`` folders.

The real data comes from packages a fresh machine can install, no download of data sets:

- keyword spotting: Debian's ``asterisk-core-sounds-<lang>-wav`` (8 kHz telephone prompts of one real speaker per
  language: en and es Allison, fr June, it Carlo; ``sudo apt-get install asterisk-core-sounds-en-wav``, required),
  and where installed more speakers of the language: ``asterisk-prompt-es-co`` (July, Colombian Spanish),
  ``asterisk-prompt-fr-armelle`` (Armelle, French), ``asterisk-prompt-it-menardi-wav`` (Menardi, Italian), and
  ``tuxpaint-stamps-default`` (the numbers 0-9 recorded for a children's drawing program, one voice a language and a
  second English one, British; 11-48 kHz, not telephone); each speaker is its own id in the file names and is also
  measured apart. Three number words are keywords ("one", "two", "three" by default), every other number word of 0-20
  and the tens a non-keyword that must not be accepted; the model is trained on the built-in voices of that language.
  The clips are also heard in 10 fixed orders (a clip's features depend on the one before it), with the operating
  curve: the same counts with the ``unknown`` score moved, as a threshold would move it. Streaming: recordings
  composed of the real clips over white noise, over music (``asterisk-moh-opsound-wav``, music on hold: required) and
  over speech (the core speaker's other prompts, those whose transcript holds no number word and no word that sounds
  like one, such as "to", one after another), the two real backgrounds 10 dB below the words; keywords found (also
  per word), false alarms and false alarms per minute of each background (``--sweep``: at every recognizer window and
  threshold; ``--extra-voices off``: the built-in data without the flite, Festival and Piper voices installed here,
  which English adds by default where a Piper voice is); and where ``ktuberling-data`` is installed, everyday words
  of one more real speaker (the toy's stamp names, 72 in English) that must not be taken for a keyword;
- person detection: the photos bundled in the ``scikit-image`` wheel (``pip install scikit-image``): astronaut and
  camera show a person, coffee, chelsea, rocket, brick, coins... do not; each becomes the 176x144 grayscale frame
  the board's camera would give (the loader's camera path). A second set: its ``lfw_subset``, 100 face crops of
  real people and 100 crops without a face (25x25 pixels each, so blurred once scaled up to a camera frame); a
  third, when Debian's ``opencv-doc`` is installed: 4 photos with a person and 23 without from OpenCV's example
  data and matplotlib's sample data (added after the scenes were designed); a fourth, when ``gcompris-qt-data`` is
  installed: 6 photos with people (musicians) and 72 without (animals, monuments, instruments) that GCompris's
  activities show;
- magic wand: ``--wand-strokes PATH``, real people's strokes (the course's JSON, or an IMU recording folder).

    PYTHONPATH=src nice python benchmarks/real_world.py [--apps person,kws,wand] [--lang en|es|fr|it]
                        [--words one,two,three] [--epochs N] [--streams N] [--sweep] [--extra-voices on|off]
                        [--scenes N] [--family F] [--seed N[,N...]] [--runs DIR]

The default run is modest (person detection on 4,000 scenes instead of 16,000; every app's default otherwise);
``--scenes 16000`` gives the default person model. With several seeds (``--seed 0,1,2``) each app runs at each, and
the output ends with each app's headline figures per seed and their mean: on real sets this small, one run cannot
judge a change (docs/real_world.md). The real keyword clips are also scored in 10 fixed orders (a clip's features
depend on the clip heard before it), and the means over those orders are among the headline figures.
"""

import argparse
import os
import re
import shutil
import struct
import sys
import tempfile
import time
import zlib
from dataclasses import dataclass, replace
from pathlib import Path

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

SOUNDS = "/usr/share/asterisk/sounds"
MUSIC = "/usr/share/asterisk/moh"  # asterisk-moh-opsound-wav: five pieces of music on hold, 8 kHz
TRANSCRIPTS = "/usr/share/doc/asterisk-core-sounds-{lang}/core-sounds-{lang}.txt.gz"  # what each prompt says


@dataclass(frozen=True)
class Speaker:
    """One real speaker's number words: the id in the file names, where the file of number ``n`` is (``{n}`` in
    ``files``, under SOUNDS unless absolute), the Debian package, and the files' kind (``gsm``: headerless GSM 06.10 at
    8 kHz, which soundfile reads as RAW; ``ogg``: Ogg Vorbis at any rate). A speaker may say only some numbers."""

    name: str
    files: str
    package: str
    ext: str = "wav"

    def file(self, number: int, sounds: str | None = None) -> Path:
        """The recording of ``number``; ``sounds`` replaces the folder holding ``digits/`` (the core speaker's)."""
        path = Path(SOUNDS) / self.files.format(n=number)
        return Path(sounds) / "digits" / path.name if sounds else path


KTUBERLING = "/usr/share/ktuberling/sounds/{lang}"  # ktuberling-data: the toy's stamps named aloud, one voice each
TUXPAINT = "/usr/share/tuxpaint/stamps/symbols/math/{n}"  # tuxpaint-stamps-default: 0-9 spoken, one file a language
SPEAKERS = {  # language -> its real speakers, the core one (required) first; the others are used when installed
    "en": (
        Speaker("allison", "en_US_f_Allison/digits/{n}.wav", "asterisk-core-sounds-en-wav"),
        Speaker("tuxpaint", TUXPAINT + ".ogg", "tuxpaint-stamps-default", "ogg"),
        Speaker("tuxpaint-gb", TUXPAINT + "_en_GB.ogg", "tuxpaint-stamps-default", "ogg"),
    ),
    "es": (
        Speaker("allison", "es_MX_f_Allison/digits/{n}.wav", "asterisk-core-sounds-es-wav"),
        Speaker("july", "es/digits/{n}.gsm", "asterisk-prompt-es-co", "gsm"),  # July E. Jimenez, Colombian Spanish
        Speaker("tuxpaint", TUXPAINT + "_es.ogg", "tuxpaint-stamps-default", "ogg"),
    ),
    "fr": (
        Speaker("june", "fr_CA_f_June/digits/{n}.wav", "asterisk-core-sounds-fr-wav"),
        Speaker("armelle", "fr/digits/{n}.gsm", "asterisk-prompt-fr-armelle", "gsm"),  # Armelle Desjardins, French
        Speaker("tuxpaint", TUXPAINT + "_fr.ogg", "tuxpaint-stamps-default", "ogg"),
    ),
    "it": (
        Speaker("carlo", "it_IT_m_Carlo/digits/{n}.wav", "asterisk-core-sounds-it-wav"),
        Speaker("menardi", "it_IT_f_Menardi/digits/{n}.wav", "asterisk-prompt-it-menardi-wav"),
        Speaker("tuxpaint", TUXPAINT + "_it.ogg", "tuxpaint-stamps-default", "ogg"),
    ),
}
REAL_SEED = 0
"""The seed of the real streams (the clips' order and gaps, where each recording starts in its background): the
same for every ``--seed``, so that models of several seeds are heard over the same recordings."""
CLIP_ORDERS = 10
"""The real keyword set is also scored in this many fixed clip orders (:func:`over_orders`)."""
ORDER_SEEDS = [REAL_SEED + 100 + k for k in range(CLIP_ORDERS)]
"""The seeds of those orders, the same for every run (and for KTuberling's words, :func:`other_words`)."""
UNKNOWN_SHIFTS = (-1.0, -0.5, 0.0, 0.5, 1.0, 1.5)
"""The clip test's operating curve (:func:`over_orders`): the ``unknown`` score times e^d before the answer is taken."""
SWEEP_WINDOWS_MS = (300, 500, 750, 1000)
SWEEP_THRESHOLDS = (60, 80, 100, 120, 150, 180, 200, 220)
BACKGROUND_SNR_DB = 10.0  # music and speech this much below the words' speech (RMS): a radio or people nearby
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
HOMOPHONES = {  # words that sound like a number word (or are one: an article): kept out of the speech background
    "en": "won to too for fore ate",  # "to" said alone is "two"
    "es": "un una",
    "fr": "une",
    "it": "un una",
}
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


def asterisk_words(out: Path, lang: str, sounds: str | None = None) -> tuple[Path, list[str]]:
    """A Speech Commands-layout folder of the number words of one language's real speakers, every installed one:
    ``<word>/<speaker>_nohash_0.wav`` (the loader resamples 8 kHz and the rest to 16 kHz); and the speakers used.
    The core speaker is required (``sounds`` overrides its folder); a missing other one is skipped, and a speaker
    who says only some numbers (Tux Paint's 0-9) adds those."""
    import soundfile as sf

    from tinymlkit.data.audio import write_wav

    used = []
    for i, speaker in enumerate(SPEAKERS[lang]):
        first = speaker.file(1, sounds if i == 0 else None)
        if not first.is_file():
            if i == 0:
                sys.exit(
                    f"no asterisk prompts in {first.parent}: sudo apt-get install {speaker.package} (or --asterisk DIR)"
                )
            print(f"kws: speaker {speaker.name} skipped (no {first}: sudo apt-get install {speaker.package})")
            continue
        for word, number in NUMBERS[lang].items():
            source = speaker.file(number, sounds if i == 0 else None)
            if not source.is_file():
                continue
            (out / word).mkdir(parents=True, exist_ok=True)
            target = out / word / f"{speaker.name}_nohash_0.wav"
            if speaker.ext == "gsm":
                audio, rate = sf.read(source, format="RAW", subtype="GSM610", samplerate=8000, channels=1)
                write_wav(target, audio, rate)
            elif speaker.ext == "ogg":
                audio, rate = sf.read(source, always_2d=True)
                write_wav(target, audio.mean(axis=1), rate)
            else:
                shutil.copy(source, target)
        used.append(speaker.name)
    return out, used


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


GCOMPRIS = "/usr/share/gcompris-qt/rcc"  # gcompris-qt-data: each activity's files in one Qt resource bundle
GCOMPRIS_ACTIVITY = "/gcompris/src/activities/{activity}/resource/"
GCOMPRIS_PHOTOS = {  # (label, activity) -> the photos' names; None: every photo of the activity
    ("person", "explore_world_music"): "australia ireland italy japan mexico orchestra",  # musicians, singers
    ("no_person", "explore_world_music"): "africa america middleeast",  # instruments alone
    ("no_person", "explore_world_animals"): None,
    ("no_person", "explore_farm_animals"): None,
    ("no_person", "explore_monuments"): None,
}
GCOMPRIS_NOT_COUNTED = {"cabrillo", "christTheRedeemer", "mountRushmore", "statueofLiberty"}  # statues of people


def qt_resources(path: Path) -> dict[str, bytes]:
    """The files of a Qt binary resource bundle (.rcc, as Qt's ``rcc -binary`` writes it): path -> contents.
    The format (Qt's ``qresource.cpp``): a header ``qres``, format version, then the offsets of a tree of 14-byte
    nodes (22 bytes from version 2: a time stamp added), of the names (UTF-16) and of the data; a file's data is its
    length and bytes, zlib-compressed behind a 4-byte length when its node's flag 1 is set."""
    blob = path.read_bytes()
    if blob[:4] != b"qres":
        sys.exit(f"{path} is not a Qt resource bundle; reinstall gcompris-qt-data")
    version, tree, data, names = struct.unpack(">IIII", blob[4:20])
    node_size = 22 if version >= 2 else 14
    files = {}

    def name(offset: int) -> str:
        (length,) = struct.unpack(">H", blob[names + offset : names + offset + 2])
        return blob[names + offset + 6 : names + offset + 6 + 2 * length].decode("utf-16-be")

    def walk(node: int, parent: str) -> None:
        at = tree + node * node_size
        name_offset, flags = struct.unpack(">IH", blob[at : at + 6])
        here = f"{parent}/{name(name_offset)}" if node else ""
        if flags & 2:  # a folder: its children's count and first node
            count, first = struct.unpack(">II", blob[at + 6 : at + 14])
            for child in range(first, first + count):
                walk(child, here)
            return
        (offset,) = struct.unpack(">I", blob[at + 10 : at + 14])
        (length,) = struct.unpack(">I", blob[data + offset : data + offset + 4])
        content = blob[data + offset + 4 : data + offset + 4 + length]
        files[here] = zlib.decompress(content[4:]) if flags & 1 else content

    walk(0, "")
    return files


def gcompris_photos(out: Path) -> Path | None:
    """person/ (6: musicians and singers) and no_person/ (72: animals, buildings, instruments) photos that
    GCompris's activities show (Debian's ``gcompris-qt-data``; their licences are in each activity's README); four
    monuments that are statues of people are left out. None when gcompris-qt-data is not installed."""
    import io

    from PIL import Image

    if not Path(GCOMPRIS, "explore_world_music.rcc").is_file():
        return None
    bundles = {activity: qt_resources(Path(GCOMPRIS) / f"{activity}.rcc") for _, activity in GCOMPRIS_PHOTOS}
    for (label, activity), names in GCOMPRIS_PHOTOS.items():
        (out / label).mkdir(parents=True, exist_ok=True)
        prefix = GCOMPRIS_ACTIVITY.format(activity=activity)
        for path, content in bundles[activity].items():
            stem = Path(path).stem
            if not (path.startswith(prefix) and path.endswith(".webp")) or stem in GCOMPRIS_NOT_COUNTED:
                continue
            if names is None or stem in names.split():
                with Image.open(io.BytesIO(content)) as image:  # WebP, which the loader does not read: PNG
                    image.convert("RGB").save(out / label / f"{activity}-{stem}_nohash_0.png")
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


def prompt_texts(transcript: Path) -> dict[str, str]:
    """What each prompt of an asterisk sounds package says, by file stem, from its ``name: text`` transcript."""
    import gzip

    said = {}
    for line in gzip.open(transcript, "rt", encoding="utf-8", errors="replace"):
        name, _, text = line.partition(":")
        said[name.strip()] = text
    return said


def backgrounds(lang: str, clips, sounds: str | None = None) -> dict:
    """The streaming test's backgrounds: white noise (None: as the training run's check makes it), the music on
    hold of ``asterisk-moh-opsound-wav`` and the core speaker's other prompts (no number and no
    :data:`HOMOPHONES` word in them, by the package's transcript) as continuous speech; music and speech
    BACKGROUND_SNR_DB below the real clips' speech."""
    import numpy as np

    from tinymlkit.apps.kws.stream import load_background, speech_extent

    music = sorted(Path(MUSIC).glob("*.wav"))
    if not music:
        sys.exit(f"no music in {MUSIC} for the music background: sudo apt-get install asterisk-moh-opsound-wav")
    speech = [np.sqrt(np.mean(np.square(c[slice(*speech_extent(c, 16000))]))) for c in clips]
    rms = float(np.mean(speech)) * 10 ** (-BACKGROUND_SNR_DB / 20)
    core = SPEAKERS[lang][0]
    prompts = sorted(Path(sounds or core.file(1).parent.parent).glob("*.wav"))
    # The core sets are one list of prompts translated, so English's transcript tells what another language's says.
    transcripts = [Path(TRANSCRIPTS.format(lang=code)) for code in dict.fromkeys((lang, "en"))]
    transcript = next((t for t in transcripts if t.is_file()), None)
    if transcript:
        numbers = {*NUMBERS[lang], *NUMBERS["en"], *HOMOPHONES[lang].split(), *HOMOPHONES["en"].split()}
        said = prompt_texts(transcript)
        prompts = [
            p
            for p in prompts
            if p.stem in said
            and not any(ch.isdigit() for ch in said[p.stem])
            and not numbers & set(re.findall(r"\w+", said[p.stem].lower()))
        ]
        if transcript != transcripts[0]:
            print(f"kws: speech background: prompts chosen by {transcript} (no {transcripts[0].name} installed)")
    else:
        print(f"kws: no transcript {transcripts[0]}: the speech background may say a number word")
    if not prompts:
        sys.exit(f"no prompts of {core.name} for the speech background: sudo apt-get install {core.package}")
    return {
        "noise": None,
        "music": load_background(music, rms, f"music on hold, {len(music)} pieces"),
        "speech": load_background(prompts, rms, f"speech ({len(prompts)} prompts of {core.name})"),
    }


def run_kws(args, work: Path) -> dict[str, float]:
    from tinymlkit.apps.kws.recipe import KwsConfig, count_detections, recipe, run
    from tinymlkit.apps.kws.recognizer import RecognizerConfig
    from tinymlkit.datatools.augment import AudioAugment
    from tinymlkit.evaluate.real_world import load_real_test, match_labels

    folder, speakers = asterisk_words(work / f"asterisk-{args.lang}", args.lang, args.asterisk)
    config = KwsConfig(
        words=args.words.split(","),
        lang=args.lang,
        runs=args.runs,
        real_test=str(folder),
        extra_voices=None if args.extra_voices == "default" else args.extra_voices == "on",
        seed=args.seed,
    )
    if args.family:
        config = replace(config, model=args.family)
    if args.epochs:
        config = replace(config, train=replace(config.train, epochs=args.epochs))
    if args.augment == "plain":  # as before the acoustic augmentation: shift and noise only
        config = replace(config, augment=AudioAugment(shift_ms=300, copies=2))
    if args.music != "default":
        config = replace(config, music=args.music == "on")
    if config.music:
        from tinymlkit.apps.kws.music import music_files

        if any(Path(MUSIC) in f.resolve().parents for f in music_files()):
            sys.exit(f"the training music includes the test music in {MUSIC}; set TINYML_BACKGROUND_MUSIC elsewhere")
    data, source = load_real_test(recipe, config, folder)  # read first: a missing package fails before training
    sounds = backgrounds(args.lang, data.x, args.asterisk)
    start = time.perf_counter()
    report = run(config)
    side_by_side(
        f"keyword spotting ({', '.join(config.words)}; {config.model}; {args.augment} augmentation; real speakers "
        f"{', '.join(speakers)}), {time.perf_counter() - start:.0f} s",
        report,
        [false_accepts(report)],
    )
    data = match_labels(data, report.data.labels, source)
    per_speaker(report, config, data, speakers)
    right, accepted = over_orders(report, config, data)
    others = other_words(report, config, args.lang)
    real = report.real_world
    figures = {
        "synthetic accuracy": report.int8_metrics["accuracy"],
        "keywords right": sum(right_per_class(real).get(w, 0) for w in config.words),
        "non-keywords accepted": real.false_accepts,
        f"keywords right, {CLIP_ORDERS} orders": right,
        f"non-keywords accepted, {CLIP_ORDERS} orders": accepted,
        "other words taken (KTuberling)": others,
    }
    s = report.details.streaming
    print(
        f"  streaming, synthetic held-out voices in the built-in noise ({s.streams} recordings, {s.seconds:.0f} s): "
        f"{s.hits} of {s.words} keywords found, {s.false_alarms} false alarms"
    )
    print(
        f"  streaming, the real clips (keywords and non-keywords in random order with gaps) over each background, "
        f"{args.streams} recordings of 10 s each:"
    )
    recognizer = RecognizerConfig(**report.details.streaming.recognizer)
    seconds = args.streams * 10.0
    print(
        f"  {'background':12} {'seconds':>8} {'keywords found':>15} {'false alarms':>13} {'per minute':>11}   "
        "found per keyword"
    )
    scored = {name: real_streams(report, config, data, args.streams, background) for name, background in sounds.items()}
    for name, streams in scored.items():
        hits, misses, false_alarms = count_detections(streams, data.labels, config.words, recognizer)
        per_word = found_per_keyword(streams, data.labels, config.words, recognizer)
        found = ", ".join(f"{w} {f}/{n}" for w, (f, n) in per_word.items())
        print(
            f"  {name:12} {seconds:>8.0f} {f'{hits}/{hits + misses}':>15} {false_alarms:>13} "
            f"{false_alarms * 60 / seconds:>11.2f}   {found}"
        )
        figures[f"{name}: found"] = hits
        figures[f"{name}: false alarms"] = false_alarms
    if args.sweep:
        best = recognizer_sweep(scored, data.labels, config.words, seconds)
        figures.update({f"{name}: best, <= 1 alarm/min": best.get(name, (0,))[0] for name in scored})
    for name, background in sounds.items():
        if background is not None:
            print(
                f"  ({name}: {background.name}, {len(background.audio) / 16000:.0f} s of it, RMS {background.rms:.4f}, "
                f"{BACKGROUND_SNR_DB:.0f} dB below the words)"
            )
    print("  (noise: white noise, as before; each keyword recording starts at a random place of the background)")
    print(f"  model: {report.model.flash_bytes:,} B flash, {report.model.arena_bytes:,} B arena (64-bit host)")
    print(f"  run folder: {report.run_dir}")
    return figures


def real_scores(report, config, data, orders: list[int]):
    """The int8 model of the run in TFLM on the real clips, heard as a listening device computes features: clip
    after clip in the seeded order, so a clip's neighbours count. Returns the scores per order (orders, clips,
    labels), the keywords' label indices and which clips are non-keywords (silence or unknown)."""
    import numpy as np

    from tinymlkit.apps.kws.data import SILENCE, UNKNOWN

    keywords = [data.labels.index(w) for w in config.words]
    negative = np.isin(data.y, [data.labels.index(n) for n in (SILENCE, UNKNOWN) if n in data.labels])
    return scores_in_orders(report, data.labels, data.x, orders), keywords, negative


def scores_in_orders(report, labels: list[str], clips, orders: list[int]):
    """The run's int8 model in TFLM on ``clips`` (n, 16000) heard one after another in each seeded order: the
    scores, (orders, clips, labels); their argmax along the last axis are the answers."""
    import numpy as np

    from tinymlkit.apps.kws.frontend import MICRO_SPEECH, listening_features
    from tinymlkit.apps.kws.recipe import kws_model

    tflm = kws_model((Path(report.run_dir) / "deploy" / "model.tflite").read_bytes(), labels)
    scores = []
    for order in orders:
        x = listening_features(clips, MICRO_SPEECH, seed=order)
        scores.append(tflm.predict(x.reshape(len(x), -1)))
    return np.array(scores)


def answers_with_shift(scores, unknown: int | None, shift: float):
    """The answers (label indices) with the ``unknown`` score times e^``shift`` (0: the model's own answers)."""
    import numpy as np

    if unknown is None or shift == 0:
        return np.argmax(scores, axis=-1)
    shifted = np.array(scores, dtype=np.float64)
    shifted[..., unknown] *= np.exp(shift)
    return np.argmax(shifted, axis=-1)


def ktuberling_files(lang: str) -> list[Path]:
    """KTuberling's recordings of ``lang`` (none where ``ktuberling-data`` is not installed), without the words that
    are or sound like a number word."""
    sayable = set(NUMBERS[lang]) | set(HOMOPHONES[lang].split())
    return [f for f in sorted(Path(KTUBERLING.format(lang=lang)).glob("*.ogg")) if f.stem not in sayable]


def right_and_accepted(predicted, y, negative, keywords: list[int]) -> tuple[int, int]:
    """Of one set of answers to the real clips: keywords right, and non-keywords (``negative``) taken for a keyword."""
    import numpy as np

    return int(np.sum(~negative & (predicted == y))), int(np.sum(negative & np.isin(predicted, keywords)))


def other_words(report, config, lang: str) -> float | None:
    """KTuberling's spoken stamp names (Debian's ``ktuberling-data``: one more real speaker a language, 72 English
    words such as "ball", "hat" and "train", no number word): how many the run's model takes for a keyword, the mean
    over the clip orders. None where the package is not installed."""
    import numpy as np

    from tinymlkit.data.audio import SAMPLE_RATE, fit_length, read_audio

    files = ktuberling_files(lang)
    if not files:
        print(f"  (KTuberling's {lang} words skipped: sudo apt-get install --no-install-recommends ktuberling-data)")
        return None
    clips = np.stack([fit_length(read_audio(f), SAMPLE_RATE) for f in files])
    labels = report.data.labels
    answers = np.argmax(scores_in_orders(report, labels, clips, ORDER_SEEDS), axis=-1)
    keyword = np.isin(answers, [labels.index(w) for w in config.words])
    accepted, taken = keyword.sum(axis=1), [f.stem for f, once in zip(files, keyword.any(axis=0), strict=True) if once]
    print(
        f"  another real speaker's other words (KTuberling, {len(files)} words): taken for a keyword "
        f"{accepted.mean():.1f} of {len(files)} on average over {CLIP_ORDERS} orders ({accepted.min()} to "
        f"{accepted.max()}); at least once: {', '.join(taken) or 'none'}"
    )
    return float(accepted.mean())


def per_speaker(report, config, data, speakers: list[str]) -> None:
    """Each real speaker's clips apart: keywords right, non-keywords accepted, in the order of the run's
    real-world section (its seed), counted per speaker."""
    import numpy as np

    scores, keywords, negative = real_scores(report, config, data, [config.seed])
    predicted = np.argmax(scores[0], axis=-1)
    for speaker in speakers:
        mine = data.group == speaker
        right = {
            w: int(np.sum(mine & (data.y == k) & (predicted == k))) for w, k in zip(config.words, keywords, strict=True)
        }
        said = {w: int(np.sum(mine & (data.y == k))) for w, k in zip(config.words, keywords, strict=True)}
        accepted = int(np.sum(mine & negative & np.isin(predicted, keywords)))
        print(
            f"  speaker {speaker}: keywords right {sum(right.values())} of {sum(said.values())} ("
            + ", ".join(f"{w} {right[w]}/{said[w]}" for w in config.words)
            + f"), non-keywords accepted {accepted} of {int(np.sum(mine & negative))}"
        )


def over_orders(report, config, data) -> tuple[float, float]:
    """The real clips heard in :data:`CLIP_ORDERS` fixed orders (the same for every run and seed): the mean number
    of keywords right and of non-keywords accepted. A clip's features depend on the clip before it, so one order
    can move 2 of 9 keywords; the mean over orders leaves only the model's own spread. Then the operating curve:
    the same means with the ``unknown`` score moved by each of :data:`UNKNOWN_SHIFTS` (whether any threshold would
    meet both targets, or the model does not separate the words)."""
    import numpy as np

    from tinymlkit.apps.kws.data import UNKNOWN

    scores, keywords, negative = real_scores(report, config, data, ORDER_SEEDS)
    unknown = data.labels.index(UNKNOWN) if UNKNOWN in data.labels else None

    def counts(shift: float) -> tuple[list[int], list[int]]:
        answers = answers_with_shift(scores, unknown, shift)
        right, accepted = zip(*(right_and_accepted(a, data.y, negative, keywords) for a in answers), strict=True)
        return list(right), list(accepted)

    right, accepted = counts(0.0)
    print(
        f"  the real clips in {CLIP_ORDERS} orders: keywords right {np.mean(right):.1f} of {int(np.sum(~negative))} on "
        f"average ({min(right)} to {max(right)}), non-keywords accepted {np.mean(accepted):.1f} of "
        f"{int(np.sum(negative))} ({min(accepted)} to {max(accepted)})"
    )
    if unknown is not None:
        curve = [(shift, *counts(shift)) for shift in UNKNOWN_SHIFTS]
        print(
            "  operating curve (the unknown score times e^d; keywords right / non-keywords accepted, means): "
            + ", ".join(f"d {shift:+.1f}: {np.mean(r):.1f} / {np.mean(a):.1f}" for shift, r, a in curve)
        )
    return float(np.mean(right)), float(np.mean(accepted))


def real_streams(report, config, data, streams: int, background=None):
    """The run's int8 model listening to recordings composed of the real clips (keywords and non-keywords, which
    must not fire) in white noise or over ``background``, as the training run's streaming check does with held-out
    voices: the scored recordings, for any recognizer to be counted on."""
    from tinymlkit.apps.kws.recipe import score_streams
    from tinymlkit.runtime.tflm import TFLMModel

    tflm = TFLMModel((Path(report.run_dir) / "deploy" / "model.tflite").read_bytes())
    return score_streams(data, tflm, config.words, REAL_SEED, streams, 10.0, background=background)


def found_per_keyword(streams, labels: list[str], words: list[str], recognizer) -> dict[str, tuple[int, int]]:
    """Each keyword's (found, spoken) in the scored recordings: which words a model never finds."""
    from tinymlkit.apps.kws.recipe import count_detections

    said = {w: sum(1 for *_, truth in streams for word in truth if word.label == w) for w in words}
    return {w: (count_detections(streams, labels, [w], recognizer)[0], said[w]) for w in words}


def recognizer_sweep(
    scored: dict, labels: list[str], words: list[str], seconds: float, table: bool = True
) -> dict[str, tuple]:
    """Keywords found and false alarms a minute over each background for every averaging window and threshold:
    whether another calibration would reach the targets, or the model does not recognize the words at all. Ends
    with each background's best setting: the most keywords found at no more than 1 false alarm a minute (returned:
    background -> (found, spoken, false alarms a minute, window, threshold); a background without one is left out).
    ``table`` False prints the best settings only."""
    from tinymlkit.apps.kws.recipe import count_detections
    from tinymlkit.apps.kws.recognizer import RecognizerConfig

    say = print if table else lambda *_: None
    say("  recognizer sweep (window ms, threshold): keywords found, false alarms a minute, per background")
    say(f"  {'window':>6} {'threshold':>9} " + " ".join(f"{name:>17}" for name in scored))
    best: dict[str, tuple[int, int, float, int, int]] = {}
    for window in SWEEP_WINDOWS_MS:
        for threshold in SWEEP_THRESHOLDS:
            recognizer = RecognizerConfig(average_window_ms=window, threshold=threshold)
            cells = []
            for name, streams in scored.items():
                hits, misses, false_alarms = count_detections(streams, labels, words, recognizer)
                per_minute = false_alarms * 60 / seconds
                cells.append(f"{hits:>3}/{hits + misses:<3} {per_minute:5.1f}/min")
                if per_minute <= 1.0 and hits > best.get(name, (0,))[0]:
                    best[name] = (hits, hits + misses, per_minute, window, threshold)
            say(f"  {window:>6} {threshold:>9} " + " ".join(f"{c:>17}" for c in cells))
    print("  best within 1 false alarm a minute (found, false alarms a minute, window ms, threshold):")
    for name in scored:
        if name in best:
            hits, said, per_minute, window, threshold = best[name]
            print(f"    {name:12} {hits}/{said}, {per_minute:.1f}/min at {window} ms, {threshold}")
        else:
            print(f"    {name:12} no setting finds a keyword at 1 false alarm a minute or fewer")
    return best


def run_person(args, work: Path) -> dict[str, float]:
    from tinymlkit.apps.person.recipe import PersonConfig, recipe, run
    from tinymlkit.evaluate.real_world import load_real_test, match_labels, measure_real_world

    photos = skimage_photos(work / "photos")
    config = PersonConfig(scenes=args.scenes, runs=args.runs, real_test=str(photos), seed=args.seed)
    if args.epochs:
        config = replace(config, train=replace(config.train, epochs=args.epochs))
    start = time.perf_counter()
    report = run(config)
    side_by_side(f"person detection ({config.scenes} synthetic scenes), {time.perf_counter() - start:.0f} s", report)
    figures = {"synthetic accuracy": report.int8_metrics["accuracy"]}
    figures.update({f"photos: {k} right": n for k, n in right_per_class(report.real_world).items()})
    tflite = (Path(report.run_dir) / "deploy" / "model.tflite").read_bytes()
    sets = [(lfw_crops(work / "lfw"), "scikit-image lfw_subset (25x25 crops)", "face crops")]
    more = more_photos(work / "more-photos")
    if more:
        sets.append((more, "OpenCV's and matplotlib's example photos", "OpenCV photos"))
    else:
        print("  (OpenCV's example photos skipped: sudo apt-get install opencv-doc)")
    gcompris = gcompris_photos(work / "gcompris-photos")
    if gcompris:
        sets.append((gcompris, "the photos of GCompris's activities", "GCompris photos"))
    else:
        print("  (GCompris's photos skipped: sudo apt-get install --no-install-recommends gcompris-qt-data)")
    for folder, name, short in sets:
        photos, source = load_real_test(recipe, config, folder)
        photos = match_labels(photos, report.data.labels, source)
        other = measure_real_world(recipe, config, photos, name, tflite, report.int8_metrics)
        right = right_per_class(other)
        print(
            f"  another real set, {other.source}: accuracy {other.metrics['accuracy']:.3f}; recall "
            + ", ".join(f"{k} {other.per_class_recall[k]:.3f} ({n} of {other.counts[k]})" for k, n in right.items())
        )
        figures.update({f"{short}: {k} right": n for k, n in right.items()})
    print(f"  run folder: {report.run_dir}")
    return figures


def right_per_class(real) -> dict[str, int]:
    """How many of a real set's examples of each class the model got right (label -> count)."""
    return {k: round(v * real.counts[k]) for k, v in (real.per_class_recall or {}).items()}


def run_wand(args, work: Path) -> dict[str, float]:
    from tinymlkit.apps.wand.recipe import WandConfig, run

    if not args.wand_strokes:
        print(
            "\nmagic wand: skipped (no real strokes: pass --wand-strokes PATH, the course's strokes JSON or an IMU "
            "recording folder)"
        )
        return {}
    config = WandConfig(runs=args.runs, real_test=args.wand_strokes, seed=args.seed)
    if args.epochs:
        config = replace(config, train=replace(config.train, epochs=args.epochs))
    start = time.perf_counter()
    report = run(config)
    side_by_side(f"magic wand ({config.users} synthetic users), {time.perf_counter() - start:.0f} s", report)
    print(f"  run folder: {report.run_dir}")
    real = report.real_world.metrics["accuracy"]
    return {"synthetic accuracy": report.int8_metrics["accuracy"], "real accuracy": real}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--apps", default="person,kws,wand", help="comma-separated: person, kws, wand")
    parser.add_argument("--lang", default="en", choices=sorted(SPEAKERS), help="kws: language (its real speakers)")
    parser.add_argument("--words", default=None, help="kws: keywords, number words of the prompts (one,two,three)")
    parser.add_argument("--epochs", type=int, default=None, help="training epochs (default: each app's)")
    parser.add_argument(
        "--seed",
        default="0",
        help="the runs' seed (built-in data, training; the real streams stay seed 0's), or several (0,1,2): each "
        "app is run at each, and a table of the headline figures per seed and their mean ends the output",
    )
    parser.add_argument(
        "--family", default=None, help="kws: model family (ds_cnn_cmvn, ds_cnn or tiny_conv; default: the recipe's)"
    )
    parser.add_argument(
        "--augment",
        default="acoustic",
        choices=("acoustic", "plain"),
        help="kws: the default, or shift and noise only",
    )
    parser.add_argument(
        "--music",
        default="default",
        choices=["default", "on", "off"],
        help="kws: real music behind the built-in data (on where installed; default: the recipe's)",
    )
    parser.add_argument(
        "--extra-voices",
        default="default",
        choices=["default", "on", "off"],
        help="kws: the flite, Festival and Piper voices installed here in the built-in data (default: the recipe's, "
        "on in English where a Piper voice is; docs/kws.md)",
    )
    parser.add_argument("--streams", type=int, default=30, help="kws: real recordings of 10 s per background")
    parser.add_argument(
        "--sweep", action="store_true", help="kws: also count the real streams at every recognizer window and threshold"
    )
    parser.add_argument("--scenes", type=int, default=4000, help="person: synthetic scenes (the default model: 16000)")
    parser.add_argument("--asterisk", default=None, help="kws: folder of the asterisk prompts (holding digits/)")
    parser.add_argument("--wand-strokes", default=None, help="real strokes: the course's JSON or an IMU folder")
    parser.add_argument("--runs", default=os.path.join(tempfile.gettempdir(), "tinyml-bench-runs"))
    args = parser.parse_args()
    args.words = args.words or DEFAULT_WORDS[args.lang]
    try:
        seeds = [int(seed) for seed in args.seed.split(",")]
    except ValueError:
        sys.exit(f"--seed takes whole numbers, one or comma-separated (0,1,2), not {args.seed}")
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
    figures: dict[str, dict[int, dict[str, float]]] = {app: {} for app in apps}
    for seed in seeds:
        for app in apps:
            figures[app][seed] = runners[app](argparse.Namespace(**{**vars(args), "seed": seed}), work)
    if len(seeds) > 1:
        for app in apps:
            over_seeds(app, figures[app])


def over_seeds(app: str, runs: dict[int, dict[str, float]]) -> None:
    """One app's headline figures at each seed, and their mean: a lever is judged by the mean, not by one run."""
    names = list(dict.fromkeys(name for figures in runs.values() for name in figures))
    if not names:
        return
    print(f"\n{app} over {len(runs)} seeds (counts of real examples)")
    print(f"  {'figure':32} " + " ".join(f"{f'seed {seed}':>8}" for seed in runs) + f" {'mean':>8}")
    for name in names:
        values = [float("nan") if runs[seed].get(name) is None else runs[seed][name] for seed in runs]
        cells = [f"{v:>8.3f}" if isinstance(v, float) else f"{v:>8}" for v in values]
        print(f"  {name:32} " + " ".join(cells) + f" {sum(values) / len(values):>8.3g}")


if __name__ == "__main__":
    main()
