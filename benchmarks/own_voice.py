"""Benchmark: a real speaker's own clips mixed into the built-in data, the course's way to a model for one voice
(issue 10: "fine-tuning with 20 of a speaker's own clips per word").

The speaker is Allison, the voice of Debian's ``asterisk-core-sounds-en-wav`` (8 kHz telephone prompts, required,
with ``asterisk-core-sounds-en`` for the transcripts). Her prompts are sentences, so each word is cut out of them by
forced alignment of the prompt's transcript: ``pocketsphinx`` (``pip install pocketsphinx``, in the ``bench`` extra)
with the US English model its wheel carries. Each word becomes a 1 s clip, the word in its middle and silence
around it, in the Speech Commands layout (``<word>/allison_nohash_<n>.wav``). The keywords (``--words``, default
``press,please``: the content words she says most often, 66 and 45 times) are split by the toolkit's own rule for your
clips (a stable hash of the file name: a quarter held out, a tenth for validation): ``--takes`` of each word (20)
land in training, the others are held out, and so is a sample of her other words (``unknown``).

Three runs of ``tinyml kws train`` at the same seed, all measured on the held-out takes with ``--real-test``:
the built-in voices only; with her training takes mixed in (``--data``, weighted up as ``tinyml kws train --data
my_words`` does); and with ``--other-takes`` of her other words as well (40, one take a word, from the half of her
words that is not held out), which join ``unknown``. Printed: keywords right per word and her other words taken
for a keyword, side by side (docs/real_world.md, "A real speaker's own clips").

    PYTHONPATH=src nice python benchmarks/own_voice.py [--words press,please] [--takes 20] [--other-takes 40]
                        [--seed 0] [--runs DIR]
"""

import argparse
import os
import random
import re
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

from real_world import SOUNDS, TRANSCRIPTS, prompt_texts

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

PROMPTS = Path(SOUNDS) / "en_US_f_Allison"  # asterisk-core-sounds-en-wav
TRANSCRIPT = Path(TRANSCRIPTS.format(lang="en"))  # asterisk-core-sounds-en
DIGITS = "zero one two three four five six seven eight nine".split()
MARGIN_S = 0.06
"""Audio kept before and after each aligned word (the aligner's edges are 10 ms frames, often a frame early)."""
UNKNOWN_TAKES = 4
"""At most this many takes of each other word (of 4 letters or more) join the held-out ``unknown`` clips."""


def transcript() -> dict[str, str]:
    """What each prompt says, by file stem, as words (digits spelled out); bracketed entries (tones) left out."""
    if not TRANSCRIPT.is_file() or not PROMPTS.is_dir():
        sys.exit("no Allison prompts: sudo apt-get install asterisk-core-sounds-en asterisk-core-sounds-en-wav")
    said = {}
    for name, text in prompt_texts(TRANSCRIPT).items():
        if name.startswith(";") or "[" in text:
            continue
        text = re.sub(r"\d", lambda m: f" {DIGITS[int(m.group())]} ", text.lower().replace("-", " "))
        words = re.sub(r"[^a-z' ]", " ", text).split()
        if words:
            said[name] = " ".join(words)
    return said


def aligned_words() -> tuple[list[tuple[str, Path, float, float]], int]:
    """Every word of every prompt that the aligner places within a 1 s clip: (word, prompt file, start s, end s),
    and the number of prompts it could not align (a word missing from its dictionary, such as a name)."""
    import numpy as np
    import soundfile as sf
    from scipy.signal import resample_poly

    try:
        from pocketsphinx import Decoder
    except ImportError:
        sys.exit('no forced aligner: pip install -e ".[bench]" (or pip install pocketsphinx)')

    decoder = Decoder(samprate=16000, bestpath=False, loglevel="FATAL")
    words, failed = [], 0
    for stem, text in sorted(transcript().items()):
        path = PROMPTS / f"{stem}.wav"
        if not path.is_file():
            continue
        audio, rate = sf.read(path, dtype="int16")
        if audio.ndim > 1 or rate not in (8000, 16000):
            continue
        pcm = np.clip(resample_poly(audio.astype(np.float64), 16000 // rate, 1), -32768, 32767).astype(np.int16)
        try:
            decoder.set_align_text(text)
            decoder.start_utt()
            decoder.process_raw(pcm.tobytes(), full_utt=True)
            decoder.end_utt()
            segments = decoder.seg()
        except RuntimeError:
            segments = None
        if segments is None:
            failed += 1
            continue
        for s in segments:
            word = re.sub(r"\(\d+\)$", "", s.word)
            start, end = s.start_frame / 100, (s.end_frame + 1) / 100
            if word.isalpha() and end - start + 2 * MARGIN_S < 1.0:  # not <sil>, <s>, [NOISE]; fits a clip
                words.append((word, path, start, end))
    return words, failed


def write_take(prompt: Path, start: float, end: float, out: Path) -> None:
    """The word from ``start`` to ``end`` s of ``prompt`` (with :data:`MARGIN_S` either side, 10 ms fades) in the
    middle of a 1 s clip, at the prompt's sample rate."""
    import numpy as np
    import soundfile as sf

    audio, rate = sf.read(prompt, dtype="float32")
    a, b = max(0, int((start - MARGIN_S) * rate)), min(len(audio), int((end + MARGIN_S) * rate))
    word_audio = audio[a:b].copy()
    fade = min(len(word_audio) // 2, rate // 100)
    ramp = np.linspace(0.0, 1.0, fade, dtype=np.float32)
    word_audio[:fade] *= ramp
    word_audio[len(word_audio) - fade :] *= ramp[::-1]
    clip = np.zeros(rate, np.float32)
    offset = (rate - len(word_audio)) // 2
    clip[offset : offset + len(word_audio)] = word_audio
    out.parent.mkdir(parents=True, exist_ok=True)
    sf.write(out, clip, rate, subtype="PCM_16")


def make_sets(
    work: Path, keywords: list[str], takes: int, other_takes: int, seed: int
) -> tuple[Path, Path, Path, dict]:
    """Her folders: keywords (``takes`` of each in the toolkit's train split of your clips, and the validation ones
    met on the way); the same with ``other_takes`` takes of other words (one a word, from half of her words); and
    the held-out one (every other take of the keywords, and up to :data:`UNKNOWN_TAKES` takes of each word of the
    other half). Also the count of each kind."""
    from tinymlkit.data.split import split_of
    from tinymlkit.datatools.mix import OWN_SPLIT

    start = time.perf_counter()
    words, failed = aligned_words()
    print(
        f"aligned {len(words)} words of Allison's prompts in {time.perf_counter() - start:.0f} s ({failed} prompts not)"
    )
    own, own_others, held = (
        work / "allison-keywords",
        work / "allison-keywords-and-other-words",
        work / "allison-held-out",
    )
    rng = random.Random(seed)
    counts: dict[str, int] = {}

    def name(word: str) -> str:  # a new file name for each take, numbered across all of them
        return f"{word}/allison_nohash_{sum(counts.values())}.wav"

    def add(kind: str, take, file: str, *folders: Path) -> None:
        for folder in folders:
            write_take(*take[1:], folder / file)
        counts[kind] = counts.get(kind, 0) + 1

    for word in keywords:
        found = [w for w in words if w[0] == word]
        rng.shuffle(found)
        in_train = 0
        for take in found:
            file = name(word)
            split = split_of(file, *OWN_SPLIT)
            if split == "test" or in_train >= takes:
                add(f"{word} held out", take, file, held)
            else:
                add(f"{word} {split}", take, file, own, own_others)
                in_train += split == "train"
        if in_train < takes:
            sys.exit(
                f"Allison says {word!r} {len(found)} times, too few for {takes} training takes; choose another word"
            )
    others: dict[str, list] = {}
    for w in words:
        if w[0] not in keywords and len(w[0]) >= 4:
            others.setdefault(w[0], []).append(w)
    names = sorted(others)
    rng.shuffle(names)
    for word in names[: len(names) // 2][:other_takes]:
        add("other words for training", rng.choice(others[word]), name(word), own_others)
    for word in names[len(names) // 2 :]:
        for take in rng.sample(others[word], min(UNKNOWN_TAKES, len(others[word]))):
            add("other words held out", take, name(word), held)
    return own, own_others, held, counts


def measure(config, label: str) -> dict[str, float]:
    """One training run and its figures on her held-out takes."""
    from tinymlkit.apps.kws.recipe import run

    start = time.perf_counter()
    report = run(config)
    real = report.real_world
    figures = {f"{word} right": real.per_class_recall.get(word, float("nan")) for word in config.words}
    figures["keywords right"] = sum(
        real.per_class_recall.get(w, 0.0) * real.counts.get(w, 0) for w in config.words
    ) / max(1, sum(real.counts.get(w, 0) for w in config.words))
    figures["other words accepted"] = real.false_accepts / max(1, real.negatives)
    figures["synthetic test accuracy"] = report.int8_metrics["accuracy"]
    print(f"{label}: {time.perf_counter() - start:.0f} s; trained on {report.data.source}; run {report.run_dir}")
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--words", default="press,please", help="keywords: words Allison says often")
    parser.add_argument("--takes", type=int, default=20, help="her takes of each keyword in training")
    parser.add_argument(
        "--other-takes", type=int, default=40, help="her takes of other words in the third run (0: no third run)"
    )
    parser.add_argument("--seed", type=int, default=0, help="the runs' seed (her takes drawn, built-in data, training)")
    parser.add_argument("--runs", default=os.path.join(tempfile.gettempdir(), "tinyml-bench-runs"))
    args = parser.parse_args()
    from tinymlkit.apps.kws.recipe import KwsConfig

    keywords = args.words.split(",")
    Path(args.runs).mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix="own-voice-", dir=args.runs))  # kept: the reports name these folders
    own, own_others, held, counts = make_sets(work, keywords, args.takes, args.other_takes, args.seed)
    print(f"Allison's clips in {work}: " + ", ".join(f"{k} {v}" for k, v in counts.items()))
    base = KwsConfig(words=keywords, real_test=str(held), runs=args.runs, seed=args.seed)
    columns = {
        "built-in voices only": measure(base, "built-in voices only"),
        f"+ her {args.takes} takes a word": measure(replace(base, data=str(own)), "with her takes"),
    }
    if args.other_takes:
        name = f"+ {args.other_takes} other words"
        columns[name] = measure(replace(base, data=str(own_others)), "with her takes and other words")
    print(
        f"\nAllison's held-out takes ({', '.join(f'{k} {v}' for k, v in counts.items() if 'held' in k)}), int8 in TFLM"
    )
    print(f"  {'figure':26} " + " ".join(f"{name:>24}" for name in columns))
    for figure in next(iter(columns.values())):
        print(f"  {figure:26} " + " ".join(f"{c[figure]:>24.3f}" for c in columns.values()))


if __name__ == "__main__":
    main()
