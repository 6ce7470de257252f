"""Benchmark: a real speaker's own clips mixed into the built-in data, the course's way to a model for one voice
(issue 10: "fine-tuning with 20 of a speaker's own clips per word").

The speakers are the voices of Debian's asterisk prompts (8 kHz telephone prompts): ``--speaker allison`` (the
default; a woman, US English, ``asterisk-core-sounds-en-wav`` with ``asterisk-core-sounds-en`` for the
transcripts) and ``--speaker carlo`` (a man, Italian, ``asterisk-core-sounds-it-wav`` and ``-it``). The prompts are
sentences, so each word is cut out of them by forced alignment of the prompt's transcript: ``pocketsphinx`` (``pip
install pocketsphinx``, in the ``bench`` extra) with the US English model its wheel carries. For Italian, which it
has no model of, each word is given in that model's nearest English sounds, from eSpeak NG's Italian phonemes
(:func:`arpabet`). Each word becomes a 1 s clip, the word in its middle and silence around it, in the Speech
Commands layout (``<word>/<speaker>_nohash_<n>.wav``). The keywords (``--words``; by default the content words the
speaker says most often: ``press,please``, 66 and 45 takes aligned; ``premere,prego``, 76 and 32) are split by the
toolkit's own rule for your clips (a stable hash of the file name: a quarter held out, a tenth for validation):
``--takes`` of each word (20) land in training, the others are held out, and so is a sample of the speaker's other
words (``unknown``).

Three runs of ``tinyml kws train`` at the same seed, in the speaker's language, all measured on the held-out takes
with ``--real-test``: the built-in voices only; with the speaker's training takes mixed in (``--data``, weighted up
as ``tinyml kws train --data my_words`` does); and with ``--other-takes`` of other words as well (40, one take a
word, from the half of the speaker's words that is not held out), which join ``unknown``. Printed: keywords right
per word and other words taken for a keyword, side by side (docs/real_world.md, "A real speaker's own clips").

    PYTHONPATH=src nice python benchmarks/own_voice.py [--speaker allison|carlo] [--words press,please] [--takes 20]
                        [--other-takes 40] [--seed 0] [--runs DIR]
"""

import argparse
import os
import random
import re
import sys
import tempfile
import time
from dataclasses import dataclass, replace
from pathlib import Path

from real_world import NUMBER_WORDS, SOUNDS, TRANSCRIPTS, prompt_texts

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")


@dataclass(frozen=True)
class Voice:
    """A speaker of the asterisk prompts: the folder of the prompts, the language (of the transcript, the
    ``asterisk-core-sounds-<lang>`` package, and the built-in voices), the Debian package of the recordings and the
    default keywords (the content words the speaker says most often)."""

    name: str
    folder: str
    lang: str
    package: str
    words: str

    @property
    def prompts(self) -> Path:
        """The folder of the speaker's prompt recordings."""
        return Path(SOUNDS) / self.folder


VOICES = {
    "allison": Voice("allison", "en_US_f_Allison", "en", "asterisk-core-sounds-en-wav", "press,please"),  # a woman
    "carlo": Voice("carlo", "it_IT_m_Carlo", "it", "asterisk-core-sounds-it-wav", "premere,prego"),  # a man, Italian
}
MARGIN_S = 0.06
"""Audio kept before and after each aligned word (the aligner's edges are 10 ms frames, often a frame early)."""
UNKNOWN_TAKES = 4
"""At most this many takes of each other word (of 4 letters or more) join the held-out ``unknown`` clips."""


def transcript(voice: Voice) -> dict[str, str]:
    """What each prompt says, by file stem, as words (digits spelled out); bracketed entries (tones) left out.
    English keeps its apostrophes ("don't", a word of the aligner's dictionary); elsewhere an apostrophe splits the
    elided article from its word ("l'operatore": "l operatore")."""
    path = Path(TRANSCRIPTS.format(lang=voice.lang))
    if not path.is_file() or not voice.prompts.is_dir():
        sys.exit(f"no prompts of {voice.name}: sudo apt-get install asterisk-core-sounds-{voice.lang} {voice.package}")
    digits = NUMBER_WORDS[voice.lang].split()[:10]
    letters = r"[^a-z' ]" if voice.lang == "en" else r"[\W\d_]"
    said = {}
    for name, text in prompt_texts(path).items():
        if name.startswith(";") or "[" in text:
            continue
        text = re.sub(r"\d", lambda m: f" {digits[int(m.group())]} ", text.lower().replace("-", " "))
        words = re.sub(letters, " ", text).split()
        if words:
            said[name] = " ".join(words)
    return said


ESPEAK_TO_ARPABET = {  # eSpeak NG's phoneme names (Italian) -> the nearest phones of pocketsphinx's US English model
    "tS": "CH", "dZ": "JH", "ts": "T S", "dz": "D Z", "l^": "L Y", "n^": "N Y", "S": "SH", "Z": "ZH",
    "*": "R", "R": "R", "r": "R", "a": "AA", "e": "EY", "E": "EH", "i": "IY", "I": "IY", "o": "OW", "O": "AO",
    "u": "UW", "U": "UW", "@": "AH", "j": "Y", "w": "W", "N": "NG", "h": "HH", "p": "P", "b": "B", "t": "T",
    "d": "D", "k": "K", "g": "G", "f": "F", "v": "V", "s": "S", "z": "Z", "m": "M", "n": "N", "l": "L",
}  # fmt: skip
"""The aligner has no model of Italian; words are aligned as their nearest English sounds, a common stand-in."""


def arpabet(word: str, lang: str) -> str:
    """``word`` of ``lang`` in the English model's phones, from eSpeak NG's phonemes: stress, length and syllable
    marks and the short vowel eSpeak puts into a rolled r ("@-") dropped, a doubled consonant said once. An elided
    article of one letter (the "l" of "l'operatore") is its consonant."""
    from tinymlkit.apps.kws import espeak

    if len(word) == 1 and word in ESPEAK_TO_ARPABET and word not in "aeiou":
        return ESPEAK_TO_ARPABET[word]
    marks = re.sub(r"@-|[',%=_|:\s]", "", espeak.phonemes(word, lang))
    phones, i = [], 0
    while i < len(marks):
        two = marks[i : i + 2]
        key = two if two in ESPEAK_TO_ARPABET else marks[i]
        i += len(key)
        for phone in ESPEAK_TO_ARPABET.get(key, "").split():
            if not phones or phone != phones[-1] or phone in ("AA", "EY", "EH", "IY", "OW", "AO", "UW", "AH"):
                phones.append(phone)
    return " ".join(phones)


def aligned_words(voice: Voice, work: Path) -> tuple[list[tuple[str, Path, float, float]], int]:
    """Every word of every prompt that the aligner places within a 1 s clip: (word, prompt file, start s, end s),
    and the number of prompts it could not align (a word missing from its dictionary, such as a name). English uses
    the model's own dictionary; another language one written to ``work`` by :func:`arpabet`."""
    import numpy as np
    import soundfile as sf
    from scipy.signal import resample_poly

    try:
        from pocketsphinx import Decoder
    except ImportError:
        sys.exit('no forced aligner: pip install -e ".[bench]" (or pip install pocketsphinx)')

    said = transcript(voice)
    options = {}
    if voice.lang != "en":
        vocabulary = sorted({w for text in said.values() for w in text.split()})
        lines = [f"{w} {arpabet(w, voice.lang)}" for w in vocabulary]
        options["dict"] = str(work / f"{voice.lang}.dict")
        Path(options["dict"]).write_text("\n".join(line for line in lines if len(line.split()) > 1) + "\n")
    decoder = Decoder(samprate=16000, bestpath=False, loglevel="FATAL", **options)
    words, failed = [], 0
    for stem, text in sorted(said.items()):
        path = voice.prompts / f"{stem}.wav"
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
    voice: Voice, work: Path, keywords: list[str], takes: int, other_takes: int, seed: int
) -> tuple[Path, Path, Path, dict]:
    """The speaker's folders: keywords (``takes`` of each in the toolkit's train split of your clips, and the
    validation ones met on the way); the same with ``other_takes`` takes of other words (one a word, from half of the
    speaker's words); and the held-out one (every other take of the keywords, and up to :data:`UNKNOWN_TAKES` takes
    of each word of the other half). Also the count of each kind."""
    from tinymlkit.data.split import split_of
    from tinymlkit.datatools.mix import OWN_SPLIT

    start = time.perf_counter()
    words, failed = aligned_words(voice, work)
    took = time.perf_counter() - start
    print(f"aligned {len(words)} words of {voice.name}'s prompts in {took:.0f} s ({failed} prompts not)")
    own, own_others, held = (
        work / f"{voice.name}-keywords",
        work / f"{voice.name}-keywords-and-other-words",
        work / f"{voice.name}-held-out",
    )
    rng = random.Random(seed)
    counts: dict[str, int] = {}

    def name(word: str) -> str:  # a new file name for each take, numbered across all of them
        return f"{word}/{voice.name}_nohash_{sum(counts.values())}.wav"

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
                f"{voice.name} says {word!r} {len(found)} times, too few for {takes} training takes; choose another"
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
    """One training run and its figures on the speaker's held-out takes."""
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
    parser.add_argument("--speaker", default="allison", choices=sorted(VOICES), help="whose prompts (and language)")
    parser.add_argument("--words", default=None, help="keywords: words the speaker says often (press,please)")
    parser.add_argument("--takes", type=int, default=20, help="the speaker's takes of each keyword in training")
    parser.add_argument(
        "--other-takes", type=int, default=40, help="takes of other words in the third run (0: no third run)"
    )
    parser.add_argument("--seed", type=int, default=0, help="the runs' seed (takes drawn, built-in data, training)")
    parser.add_argument("--runs", default=os.path.join(tempfile.gettempdir(), "tinyml-bench-runs"))
    args = parser.parse_args()
    from tinymlkit.apps.kws.recipe import KwsConfig

    voice = VOICES[args.speaker]
    keywords = (args.words or voice.words).split(",")
    Path(args.runs).mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix="own-voice-", dir=args.runs))  # kept: the reports name these folders
    own, own_others, held, counts = make_sets(voice, work, keywords, args.takes, args.other_takes, args.seed)
    print(f"{voice.name}'s clips in {work}: " + ", ".join(f"{k} {v}" for k, v in counts.items()))
    base = KwsConfig(words=keywords, lang=voice.lang, real_test=str(held), runs=args.runs, seed=args.seed)
    columns = {
        "built-in voices only": measure(base, "built-in voices only"),
        f"+ own {args.takes} takes a word": measure(replace(base, data=str(own)), "with the speaker's takes"),
    }
    if args.other_takes:
        name = f"+ {args.other_takes} other words"
        columns[name] = measure(replace(base, data=str(own_others)), "with the takes and other words")
    held_out = ", ".join(f"{k} {v}" for k, v in counts.items() if "held" in k)
    print(f"\n{voice.name}'s held-out takes ({held_out}), int8 in TFLM")
    print(f"  {'figure':26} " + " ".join(f"{name:>24}" for name in columns))
    for figure in next(iter(columns.values())):
        print(f"  {figure:26} " + " ".join(f"{c[figure]:>24.3f}" for c in columns.values()))


if __name__ == "__main__":
    main()
