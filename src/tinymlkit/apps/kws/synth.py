"""The built-in keyword-spotting data set: keywords spoken by synthetic eSpeak NG voices, offline, on disk.

:func:`synthesize_keyword_dataset` writes the Speech Commands layout, so the same loader reads it and real
recordings::

    <root>/<word>/<speaker>_nohash_<n>.wav       1 s, 16 kHz, mono, 16-bit: each keyword, many voices
    <root>/unknown/<speaker>_nohash_<n>.wav      other words of the same language (never a keyword)
    <root>/silence/<noise>_nohash_<n>.wav        near-silent clips: background noise at a low level
    <root>/_background_noise_/*.wav              a minute each of white, pink, brown noise, room hum, fan, babble
    <root>/validation_list.txt, testing_list.txt the held-out clips, as paths relative to <root>
    <root>/metadata.csv                          one row per clip: voice, language, variant, gender, rate, pitch...
    <root>/synth_kws.json                        the settings and counts, to tell how the set was made

A *voice* (the "speaker" in the file names) is an eSpeak voice variant (the timbre: "f3", "m1", "klatt4"...)
in one accent of the language, with a pitch and speed persona; it says each keyword a few times with small
changes of speed, pitch and intonation. Validation and test voices are chosen by a stable hash of the variant
name (about 10 % of the variants each, mixing genders), and every voice of a held-out variant is held out: the
test set measures how the model does on timbres it never heard. Where flite, Festival or Piper is installed, their
voices of the language can join in (``extra_voices``; :mod:`tinymlkit.apps.kws.voices`; variants such as
"flite-slt"), each with :data:`EXTERNAL_PERSONAS` pitch and speed personas (a Piper voice with
:data:`PIPER_PERSONAS`); they are held out with the eSpeak variants by the recorded person behind them, so one
person's voices of both tools share a split.
Where real music is installed (``music``; :mod:`tinymlkit.apps.kws.music`), :data:`MUSIC_PIECES` medleys of it
join the background noise and :data:`MUSIC_SILENCE_SHARE` of the silence clips are cut from them, at louder levels
than the noise (music playing in the room, no word said).
Background noise is not mixed into the keyword clips (each only gets a faint noise floor so it is never digitally
silent): the training loader mixes it in.

eSpeak keeps a little state between utterances, so the speech is made in worker processes that each start
fresh and render a fixed share of the clips in a fixed order (:mod:`tinymlkit.apps.kws.synth_render`): the same
seed gives identical files, whatever the number of workers.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import re
import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from tinymlkit.apps.kws import espeak
from tinymlkit.apps.kws import music as music_library
from tinymlkit.apps.kws import voices as external
from tinymlkit.apps.kws.data import BACKGROUND_DIR, SILENCE, UNKNOWN
from tinymlkit.apps.kws.scripts import check_script
from tinymlkit.apps.kws.synth_render import CLIP_SAMPLES, render_all
from tinymlkit.data import noise
from tinymlkit.data.audio import SAMPLE_RATE, write_wav
from tinymlkit.data.split import SPLITS
from tinymlkit.errors import TinyMLError
from tinymlkit.fileio import building_dir, check_output_dir
from tinymlkit.progress import ProgressCallback, ProgressEvent, silent

EXCLUDED_VARIANTS = {
    **{f"robosoft{s}": "robotic effect voice" for s in ("", "2", "3", "4", "5", "6", "7", "8")},
    "UniRobot": "robotic effect voice",
    "anikaRobot": "robotic effect voice",
    "Demonic": "heavy echo effect",
    "RicishayMax": "heavy echo effect",
    "RicishayMax2": "heavy echo effect",
    "RicishayMax3": "heavy echo effect",
    "whisper": "whispered (no voicing)",
    "whisperf": "whispered (no voicing)",
    "caleb": "whispered (no voicing)",
    "fast": "a speed setting, not a timbre",
}
"""Variants left out of the default voice set, and why (pass ``variants=`` to use them anyway)."""

DEFAULT_PERSONAS = 3
EXTERNAL_PERSONAS = 12
"""Voices per flite/Festival voice: few voices, from real recordings, so each speaks as several personas."""
PIPER_PERSONAS = 80
"""Voices per Piper voice: a neural voice varies its timing and tone at every call, so one takes a larger share (in
English 80 of 338 voices, a quarter of the spoken clips; measured in docs/kws.md)."""
MAX_VOICES = 2000  # more synthetic speakers only lengthen synthesis; real variety comes from real recordings
MAX_CLIPS = 100_000  # per word: about 3 GB of audio, beyond any laptop run
"""Voices per variant by default: the same timbre at different pitches, speeds and accents."""

NOISE_FILES = {
    "white": "white_noise.wav",
    "pink": "pink_noise.wav",
    "brown": "brown_noise.wav",
    "hum": "room_hum.wav",
    "fan": "fan.wav",
    "babble": "babble.wav",
}

MUSIC_PIECES = 6
"""Music medleys among the background recordings when music is given: as many as the synthetic noises, so half the
noise mixed into training clips is music."""
MUSIC_SILENCE_SHARE = 3
"""With music, the silence clips cycle through the noises and then this many music turns (a third of them)."""
NOISE_LEVEL_DB = (-65.0, -35.0)
"""RMS level of the noise silence clips."""
MUSIC_LEVEL_DB = (-50.0, -20.0)
"""RMS level of the music silence clips (louder than the noise ones): from far off to a radio near by."""
BACKGROUND_LEVEL_DB = -18.0
"""RMS level of the background recordings (noises and music medleys) the training mixes behind its clips."""

# Common short words per language for the ``unknown`` class (keywords and their homophones are removed).
# English includes the other words of the Speech Commands vocabulary, so a model trained here meets them, and the
# other number words and near-rhymes of the digits ("fourteen", "forty", "tune", "free"), which real voices' digits
# were taken for (docs/real_world.md, "Near-rhymes as unknown words").
UNKNOWN_WORDS: dict[str, tuple[str, ...]] = {
    "en": tuple(
        """up down left right on off stop go zero one two three four five six seven eight nine ten bed bird cat
        dog happy house tree wow backward forward follow learn visual marvin sheila the and but when what where
        who why how this that here there now today night day morning light dark red blue green white black
        yellow big small hot cold open close start play pause next back more less fast slow high low in out
        over under near far good bad nice fine okay maybe please thanks hello bye sorry water coffee tea milk
        bread apple door window table chair phone music radio lamp car bus train book paper pen hand head eye
        ear nose mouth foot arm leg home room kitchen garden street city friend mother father brother sister
        baby man woman child people time year week month hour minute money work school game ball fish horse
        cow rain snow wind sun moon star cloud fire rock sand sea river hill road bridge jump run walk sit
        stand sleep eat drink read write sing dance call help wait look listen turn move push pull give take
        make find keep hold show tell ask say think know guess yet yeah nope yell mess test dress best rest
        snow toe so low bow eleven twelve thirteen fourteen fifteen sixteen seventeen eighteen nineteen twenty
        thirty forty fifty sixty seventy eighty ninety hundred thousand million done fun sun gun none once ton son
        someone do you who new shoe through true blue few tune tool tooth see me key free knee agree degree thee
        thing throw thrill""".split()
    ),
    "es": tuple(
        """uno dos tres cuatro cinco seis siete ocho nueve diez casa perro gato árbol agua sol luna rojo azul
        verde blanco negro arriba abajo izquierda derecha alto bajo grande pequeño hola adiós gracias mesa
        silla puerta ventana libro coche tren calle ciudad amigo madre padre hermano hermana niño mujer hombre
        tiempo día noche hoy mañana comer beber hablar mirar abrir cerrar parar seguir luz música""".split()
    ),
    "fr": tuple(
        """un deux trois quatre cinq six sept huit neuf dix maison chien chat arbre eau soleil lune rouge bleu
        vert blanc noir haut bas gauche droite grand petit bonjour merci salut table chaise porte fenêtre livre
        voiture train rue ville ami mère père frère sœur enfant femme homme temps jour nuit demain manger
        boire parler regarder ouvrir fermer arrêter suivre lumière musique oui non""".split()
    ),
    "de": tuple(
        """eins zwei drei vier fünf sechs sieben acht neun zehn Haus Hund Katze Baum Wasser Sonne Mond rot blau
        grün weiß schwarz oben unten links rechts groß klein hallo danke bitte Tisch Stuhl Tür Fenster Buch
        Auto Zug Straße Stadt Freund Mutter Vater Bruder Schwester Kind Frau Mann Zeit Tag Nacht heute morgen
        essen trinken sprechen sehen öffnen schließen halt weiter Licht Musik ja nein""".split()
    ),
    "pt": tuple(
        """um dois três quatro cinco seis sete oito nove dez casa cão gato árvore água sol lua vermelho azul
        verde branco preto cima baixo esquerda direita grande pequeno olá obrigado tchau mesa cadeira porta
        janela livro carro trem rua cidade amigo mãe pai irmão irmã criança mulher homem tempo dia noite hoje
        amanhã comer beber falar olhar abrir fechar parar seguir luz música sim não""".split()
    ),
    "hi": tuple(
        """एक दो तीन चार पाँच छह सात आठ नौ दस घर कुत्ता बिल्ली पेड़ पानी सूरज चाँद लाल नीला हरा सफ़ेद काला ऊपर नीचे
        बाएँ दाएँ बड़ा छोटा नमस्ते धन्यवाद मेज़ कुर्सी दरवाज़ा खिड़की किताब गाड़ी सड़क शहर दोस्त माँ पिता भाई बहन
        बच्चा औरत आदमी समय दिन रात आज कल खाना पीना बोलना देखना खोलो बंद रुको चलो रोशनी गाना हाँ नहीं""".split()
    ),
    "sw": tuple(
        """moja mbili tatu nne tano sita saba nane tisa kumi nyumba mbwa paka mti maji jua mwezi nyekundu bluu
        kijani nyeupe nyeusi juu chini kushoto kulia kubwa ndogo habari asante tafadhali meza kiti mlango
        dirisha kitabu gari treni barabara mji rafiki mama baba kaka dada mtoto mwanamke mwanamume wakati siku
        usiku leo kesho kula kunywa kusema kuona fungua funga simama endelea taa muziki ndiyo hapana""".split()
    ),
}

# For other languages: made-up words of common phonemes, spoken through the language's own phoneme table
# (eSpeak's [[ ]] phoneme input), so they sound like that language without a word list.
_CONSONANTS = ("p", "t", "k", "b", "d", "g", "m", "n", "s", "l", "f", "h", "w", "j", "r")
_VOWELS = ("a", "e", "i", "o", "u")
_PSEUDO_WORDS = 120


@dataclass(frozen=True)
class Voice:
    """A synthetic speaker: an eSpeak variant in one accent with a pitch/speed persona, in one split."""

    id: str  # the "speaker" part of its file names
    lang: str  # the eSpeak language code of its accent, e.g. "en-us"
    variant: str
    gender: str  # as the variant file declares it: "male", "female" or ""
    rate: int  # words per minute
    pitch: int  # 0-100
    range_: int  # pitch range, 0-100
    split: str
    engine: str = "espeak"  # or "flite", "festival" (:mod:`tinymlkit.apps.kws.voices`)


@dataclass
class SynthSummary:
    """What :func:`synthesize_keyword_dataset` wrote and how long it took."""

    root: Path
    words: list[str]
    lang: str
    accents: list[str]
    counts: dict[str, dict[str, int]]  # split -> label -> clips
    voices: dict[str, list[str]]  # split -> voice ids
    variants: dict[str, list[str]]  # split -> variant names
    noise_files: list[str]
    sped_up: int  # words said faster to fit in 1 s
    trimmed: int  # words cut at 1 s even so
    seconds: float = 0.0
    espeak_version: str = ""
    notes: list[str] = field(default_factory=list)
    extra_voices: list[str] = field(default_factory=list)  # flite/Festival/Piper voices used, e.g. "flite-slt"
    music: list[str] = field(default_factory=list)  # names of the music files behind the background medleys

    @property
    def total(self) -> int:
        return sum(sum(c.values()) for c in self.counts.values())

    def __str__(self) -> str:
        labels = list(self.counts["train"])
        width = max(len(label) for label in labels)
        accents = f"{len(self.accents)} accent{'s' * (len(self.accents) != 1)}"
        variants = sum(len(v) for v in self.variants.values()) - len(self.extra_voices)
        extra = f" and {len(self.extra_voices)} of {external.describe(self.extra_voices)}" if self.extra_voices else ""
        lines = [
            f"{self.total} clips in {self.root}, spoken by "
            + ", ".join(f"{len(self.voices[s])} {s}" for s in SPLITS)
            + f" voices ({variants} eSpeak NG {self.espeak_version} variants"
            + f" in {accents} of '{self.lang}'{extra}), made in {self.seconds:.1f} s",
            f"{'':{width}}  " + "  ".join(f"{s:>10}" for s in SPLITS),
        ]
        lines += [f"{label:{width}}  " + "  ".join(f"{self.counts[s][label]:>10}" for s in SPLITS) for label in labels]
        if self.sped_up or self.trimmed:
            lines.append(f"{self.sped_up} words said faster and {self.trimmed} cut to fit in 1 s")
        if self.music:
            lines.append(f"background: synthetic noise and {len(self.music)} pieces of real music")
        return "\n".join(lines + self.notes)


def default_variants() -> list[str]:
    """The eSpeak variants used by default: every installed one except :data:`EXCLUDED_VARIANTS`."""
    return [v for v in espeak.variants() if v not in EXCLUDED_VARIANTS]


def accents_of(lang: str) -> list[str]:
    """``lang`` and its regional accents that eSpeak has ("en" -> en, en-029, en-gb-scotland, ..., en-us).

    Codes that differ only by script (e.g. "en-shaw", "cmn-latn-pinyin") are left out, and each voice file
    appears once. A regional code gives itself and its own sub-regions ("en-us" -> en-us, en-us-nyc).
    """
    espeak.check_language(lang)
    voices = espeak._language_voices()
    seen: dict[str, str] = {}
    for code in [lang] + [c for c in voices if c.startswith(lang + "-")]:
        if any(len(part) == 4 and part.isalpha() for part in code.split("-")[1:]):
            continue  # a script subtag, not an accent
        seen.setdefault(voices[code], code)
    return sorted(seen.values())


def unknown_vocabulary(lang: str, words: Sequence[str], unknown_words: Sequence[str] | None = None) -> list[str]:
    """The texts spoken for the ``unknown`` class: ``unknown_words``, else the built-in list of the language,
    else made-up words in its phonemes; without the keywords or anything that sounds exactly like one."""
    base = lang.split("-")[0]
    if unknown_words is not None:
        candidates = [w.strip() for w in unknown_words if w.strip()]
        if not candidates:
            raise TinyMLError("the unknown-word list is empty; give some other words of the language, or leave it out")
    elif base in UNKNOWN_WORDS:
        candidates = list(UNKNOWN_WORDS[base])
    else:
        candidates = _pseudo_words(_stable_int(f"pseudo/{lang}"))
    banned_text = {w.casefold() for w in words}
    banned_sound = {_sound(w, lang) for w in words}
    chosen = []
    for text in dict.fromkeys(candidates):
        if text.casefold() not in banned_text and _sound(text, lang) not in banned_sound:
            chosen.append(text)
    if not chosen:
        raise TinyMLError("every unknown word is a keyword or sounds like one; give other unknown words")
    return chosen


def _sound(text: str, lang: str) -> str:
    """eSpeak's phonemes for ``text`` without stress and syllable marks: equal for homophones."""
    return re.sub(r"[',%=_|\s]", "", espeak.phonemes(text, lang))


def _pseudo_words(seed: int) -> list[str]:
    rng = np.random.default_rng(seed)
    out = []
    for _ in range(_PSEUDO_WORDS):
        syllables = [str(rng.choice(_CONSONANTS)) + str(rng.choice(_VOWELS)) for _ in range(int(rng.integers(1, 4)))]
        stress = int(rng.integers(len(syllables)))
        syllables[stress] = syllables[stress][:-1] + "'" + syllables[stress][-1]
        if rng.random() < 0.3:
            syllables[-1] += str(rng.choice(("n", "m", "s", "l", "t", "k")))
        out.append("[[" + "".join(syllables) + "]]")
    return out


def _check_words(words: Sequence[str]) -> list[str]:
    if isinstance(words, str):
        raise TinyMLError(f"give the keywords as a list, e.g. words={words.split(',')!r}")
    words = [w.strip() if isinstance(w, str) else w for w in words]
    if not words:
        raise TinyMLError("no keywords given; pass at least one, e.g. words=['yes', 'no']")
    for w in words:
        if not isinstance(w, str) or not w:
            raise TinyMLError("a keyword is empty; give words such as yes,no")
        if not w.isprintable() or w.startswith("-") or not any(c.isalpha() for c in w):
            raise TinyMLError(
                f"keyword {w!r} is not a word eSpeak can say: use letters (no control characters, no leading -)"
            )
        if any(c in w for c in '/\\:*?"<>|') or w.startswith((".", "_")):
            raise TinyMLError(
                f"keyword '{w}' cannot be a folder name; leave out / \\ : * ? \" < > | and a leading . or _"
            )
        if w.casefold() in (SILENCE, UNKNOWN):
            raise TinyMLError(f"'{w}' cannot be a keyword: the '{SILENCE}' and '{UNKNOWN}' classes are added for you")
    dupes = sorted({w for w in words if sum(x.casefold() == w.casefold() for x in words) > 1})
    if dupes:
        raise TinyMLError(f"keyword {dupes[0]!r} is given more than once; list each keyword once")
    return words


def _check_int(name: str, value: int, low: int, high: int | None = None) -> int:
    if isinstance(value, bool) or not isinstance(value, int | np.integer) or value < low or (high and value > high):
        limit = f"between {low} and {high}" if high else f"at least {low}"
        raise TinyMLError(f"{name} must be a whole number {limit}, got {value!r}")
    return int(value)


def _check_pair(name: str, pair: tuple[int, int], low: int, high: int) -> tuple[int, int]:
    a, b = (int(x) for x in pair)
    if not low <= a <= b <= high:
        raise TinyMLError(f"{name} must be two numbers low <= high within {low}-{high}, got {tuple(pair)}")
    return a, b


def synthesize_keyword_dataset(
    root: str | Path,
    words: Sequence[str] = ("yes", "no"),
    lang: str = "en",
    *,
    voices: int | None = None,
    variants: Sequence[str] | None = None,
    accents: Sequence[str] | None = None,
    clips_per_word: int = 800,
    unknown_count: int = 800,
    unknown_words: Sequence[str] | None = None,
    silence_count: int = 800,
    noise_seconds: int = 60,
    rate_range: tuple[int, int] = (120, 220),
    pitch_range: tuple[int, int] = (20, 80),
    holdout: float = 0.1,
    seed: int = 0,
    workers: int = 2,
    progress: ProgressCallback = silent,
    force: bool = False,
    extra_voices: Sequence[str] | None = None,
    music: Sequence[str | Path] = (),
) -> SynthSummary:
    """Write a keyword-spotting data set spoken by synthetic eSpeak NG voices to ``root`` (see the module notes).

    ``voices`` is the number of synthetic speakers (default: :data:`DEFAULT_PERSONAS` per variant), spread over
    ``variants`` (default: :func:`default_variants`) and ``accents`` (default: :func:`accents_of` ``lang``). Each
    keyword gets ``clips_per_word`` clips; ``unknown_count`` clips say other words (``unknown_words``, or a built-in
    list for en, es, fr, de, pt, hi and sw, or made-up words in the language's sounds); ``silence_count`` clips are
    quiet noise. Speaking rates are drawn from ``rate_range`` (words per minute) and pitches from ``pitch_range``
    (eSpeak's 0-100 scale, 50 = the variant's own). About ``holdout`` of the variants go to validation and as many
    to test. ``extra_voices`` names installed flite/Festival/Piper voices of ``lang`` to add ("flite-slt";
    :func:`extra_voices_for` lists them all); default: eSpeak NG only. ``music`` lists audio files of real music to
    add to the background noise and silence (:func:`tinymlkit.apps.kws.music.music_files` finds the installed ones);
    default: none. The same arguments give identical files. An existing ``root`` is replaced only if it is empty or
    an unchanged earlier output; ``force`` writes beside the user's own files there, which are kept (see
    :mod:`tinymlkit.fileio`). Long because its many arguments are each checked at the edge before any audio is made;
    the work itself is in the helpers it calls.
    """
    started = time.perf_counter()
    words = _check_words(words)
    espeak.check_language(lang)
    check_script(words, lang, espeak.languages())
    clips_per_word = _check_int("clips_per_word", clips_per_word, 1, MAX_CLIPS)
    unknown_count = _check_int("unknown_count", unknown_count, 0, MAX_CLIPS)
    silence_count = _check_int("silence_count", silence_count, 0, MAX_CLIPS)
    noise_seconds = _check_int("noise_seconds", noise_seconds, 2, 3600)
    workers = _check_int("workers", workers, 1, 64)
    seed = _check_int("seed", seed, 0, 2**32 - 1)
    rate_range = _check_pair("rate_range", rate_range, *espeak.RATE_RANGE)
    pitch_range = _check_pair("pitch_range", pitch_range, 0, 100)
    if not 0 < holdout <= 0.3:
        raise TinyMLError(f"holdout must be a fraction in (0, 0.3], got {holdout}")
    variant_list = list(dict.fromkeys(variants)) if variants is not None else default_variants()
    for v in variant_list:
        espeak.check_variant(v)
    accent_list = list(dict.fromkeys(accents)) if accents is not None else accents_of(lang)
    for a in accent_list:
        espeak.check_language(a)
    if not accent_list:
        raise TinyMLError("the accent list is empty; omit it to use every accent of the language")
    n_voices = DEFAULT_PERSONAS * len(variant_list) if voices is None else _check_int("voices", voices, 3, MAX_VOICES)
    if len(variant_list) < 3:
        raise TinyMLError("give at least 3 voice variants, so that training, validation and test each get one")
    extra = extra_voices_for(lang, extra_voices) if extra_voices is not None else []
    if isinstance(music, str | Path):
        raise TinyMLError(f"give the music files as a list, e.g. music=[{str(music)!r}]")
    music_files = [Path(f) for f in dict.fromkeys(music)]
    for f in music_files:
        if not f.is_file():
            raise TinyMLError(f"music file {f} not found; check the path")
    root = check_output_dir(Path(root), force)

    voice_list = _make_voices(n_voices, variant_list, accent_list, rate_range, pitch_range, holdout, seed, extra)
    vocabulary = unknown_vocabulary(lang, words, unknown_words)
    jobs = _speech_jobs(words, voice_list, clips_per_word, vocabulary, unknown_count, seed)
    babble = _babble_streams(voice_list, vocabulary, noise_seconds, seed)
    notes = []
    if lang.split("-")[0] not in UNKNOWN_WORDS and unknown_words is None and unknown_count:
        notes.append(f"no word list for '{lang}': unknown clips are made-up words in its sounds")

    with building_dir(root, force) as tmp:
        for label in [*words, UNKNOWN]:
            (tmp / label).mkdir(exist_ok=True)
        results, streams = render_all(jobs, babble, tmp, workers, progress)
        rows = _speech_rows(jobs, results, {v.id: v for v in voice_list})
        pieces = music_library.medleys(music_files, MUSIC_PIECES, noise_seconds, seed) if music_files else []
        rows += _write_noise(tmp, streams, silence_count, noise_seconds, holdout, seed, progress, pieces)
        counts = _counts(rows, [*words, UNKNOWN, SILENCE])
        summary = SynthSummary(
            root=root,
            words=list(words),
            lang=lang,
            accents=accent_list,
            counts=counts,
            voices={s: sorted(v.id for v in voice_list if v.split == s) for s in SPLITS},
            variants={s: sorted({v.variant for v in voice_list if v.split == s}, key=str.lower) for s in SPLITS},
            noise_files=[f"{BACKGROUND_DIR}/{name}" for name in [*NOISE_FILES.values(), *_music_names(pieces)]],
            sped_up=sum(r["sped_up"] for r in results.values()),
            trimmed=sum(r["trimmed"] for r in results.values()),
            espeak_version=espeak.version(),
            notes=notes,
            extra_voices=[v.variant for v in extra],
            music=[f.name for f in music_files],
        )
        _write_index(tmp, rows, summary, seed)
    summary.seconds = round(time.perf_counter() - started, 2)
    return summary


def extra_voices_for(lang: str, names: Sequence[str] | None = None) -> list[external.ExternalVoice]:
    """The flite/Festival/Piper voices a data set of ``lang`` uses: ``names`` (each installed and speaking ``lang``), or
    by default every installed voice of ``lang`` (none on a machine without the tools)."""
    if names is None:
        return external.for_language(lang)
    if isinstance(names, str):
        raise TinyMLError(f"give the extra voices as a list, e.g. extra_voices={names.split(',')!r}")
    chosen = [external.find(n) for n in dict.fromkeys(names)]
    for voice in chosen:
        if voice.lang != lang.split("-")[0].lower():
            raise TinyMLError(f"{voice.variant} speaks '{voice.lang}', not '{lang}'; leave it out")
    return chosen


def _stable_int(text: str) -> int:
    """A 60-bit integer from ``text`` that is the same on every machine and Python run."""
    return int(hashlib.sha1(text.encode("utf-8")).hexdigest()[:15], 16)


def holdout_splits(names: Sequence[str], groups: dict[str, str], fraction: float) -> dict[str, str]:
    """Assign each name to a split: about ``fraction`` to test and as many to validation (at least one each).

    Names are ordered by a stable hash within each group (e.g. gender) and the groups interleaved, so the
    held-out names mix the groups; the first go to test, the next to validation. Independent of any seed.
    """
    by_group: dict[str, list[str]] = {}
    for name in sorted(set(names)):
        by_group.setdefault(groups.get(name, ""), []).append(name)
    for members in by_group.values():
        members.sort(key=lambda n: _stable_int(f"holdout/{n}"))
    order: list[str] = []
    lists = [by_group[g] for g in sorted(by_group)]
    for i in range(max((len(m) for m in lists), default=0)):
        order += [m[i] for m in lists if i < len(m)]
    n = max(1, round(fraction * len(order))) if len(order) >= 3 else 0
    return {name: "test" if i < n else "validation" if i < 2 * n else "train" for i, name in enumerate(order)}


def _safe(name: str) -> str:
    return re.sub(r"[^A-Za-z0-9]", "", name) or "v"


def _make_voices(
    n: int,
    variants: list[str],
    accents: list[str],
    rate_range: tuple[int, int],
    pitch_range: tuple[int, int],
    holdout: float,
    seed: int,
    extra: Sequence[external.ExternalVoice] = (),
) -> list[Voice]:
    """``n`` eSpeak voices over ``variants``, then the personas of each flite/Festival/Piper voice of ``extra``.
    The held-out variants are drawn from the eSpeak variants and the people behind the ``extra`` voices
    together, by the same stable hash: one person's voices of both tools share a split."""
    genders = {v.name: v.gender for v in espeak.variant_info()}
    # With fewer voices than variants, take variants in the interleaved-gender hash order.
    order = holdout_splits(variants, genders, holdout)
    used = variants if n >= len(variants) else list(order)[:n]
    if len(used) < 3:
        raise TinyMLError("need at least 3 voices, so that training, validation and test each get one")
    if len({_safe(v).lower() for v in used}) < len(used):
        raise TinyMLError("two voice variants differ only in case or punctuation; list just one of them")
    people = {_person(e): e.gender for e in extra}
    split_of = holdout_splits([*used, *people], {**genders, **people}, holdout)
    voices = []
    for i in range(n):
        variant, k = used[i % len(used)], i // len(used)
        rng = np.random.default_rng([seed, _stable_int(f"voice/{variant}/{k}")])
        accent = accents[int(rng.integers(len(accents)))]
        voices.append(
            Voice(
                id=f"{accent}-{_safe(variant)}-{k}",
                lang=accent,
                variant=variant,
                gender=genders.get(variant, ""),
                rate=int(rng.integers(rate_range[0], rate_range[1] + 1)),
                pitch=int(rng.integers(pitch_range[0], pitch_range[1] + 1)),
                range_=int(rng.integers(30, 71)),
                split=split_of[variant],
            )
        )
    return voices + _external_voices(extra, rate_range, pitch_range, split_of, seed)


def _person(voice: external.ExternalVoice) -> str:
    """The name a flite/Festival/Piper voice's recorded person is held out by (never an eSpeak variant's name)."""
    return f"recorded:{voice.speaker}"


def _external_voices(
    extra: Sequence[external.ExternalVoice],
    rate_range: tuple[int, int],
    pitch_range: tuple[int, int],
    split_of: dict[str, str],
    seed: int,
) -> list[Voice]:
    """:data:`EXTERNAL_PERSONAS` voices per flite/Festival voice (:data:`PIPER_PERSONAS` per Piper voice), in the
    split of the person behind it."""
    voices = []
    for ext in extra:
        for k in range(PIPER_PERSONAS if ext.engine == "piper" else EXTERNAL_PERSONAS):
            rng = np.random.default_rng([seed, _stable_int(f"voice/{ext.variant}/{k}")])
            voices.append(
                Voice(
                    id=f"{ext.engine}-{_safe(ext.name)}-{k}",
                    lang=ext.lang,
                    variant=ext.variant,
                    gender=ext.gender,
                    rate=int(rng.integers(rate_range[0], rate_range[1] + 1)),
                    pitch=int(rng.integers(pitch_range[0], pitch_range[1] + 1)),
                    range_=50,
                    split=split_of[_person(ext)],
                    engine=ext.engine,
                )
            )
    return voices


def _can_say(voice: Voice, texts: Sequence[str]) -> bool:
    return voice.engine == "espeak" or all(external.readable(voice.engine, t) for t in texts)


def _speech_jobs(
    words: list[str], voices: list[Voice], per_word: int, vocabulary: list[str], unknown_count: int, seed: int
) -> list[dict]:
    """One job per speech clip: what to say, with which voice and settings, where to write it."""
    jobs = []
    plan = [(w, per_word, [w]) for w in words] + ([(UNKNOWN, unknown_count, vocabulary)] if unknown_count else [])
    for label, count, texts in plan:
        rng = np.random.default_rng([seed, _stable_int(f"plan/{label}")])
        able = [v for v in voices if _can_say(v, texts)]  # the other tools cannot read eSpeak's phoneme input
        speakers = rng.permutation(len(able))
        text_order = rng.permutation(len(texts))
        taken: Counter[str] = Counter()
        for j in range(count):
            voice = able[int(speakers[j % len(able)])]
            path = f"{label}/{voice.id}_nohash_{taken[voice.id]}.wav"
            taken[voice.id] += 1
            r = np.random.default_rng([seed, _stable_int(path)])
            ending = str(r.choice([".", "!", "?", ","], p=[0.5, 0.2, 0.15, 0.15]))
            jobs.append(
                {
                    "path": path,
                    "label": label,
                    "text": texts[int(text_order[j % len(texts)])] + ending,
                    "speaker": voice.id,
                    "engine": voice.engine,
                    "lang": voice.lang,
                    "variant": voice.variant,
                    "rate": int(np.clip(round(voice.rate * r.uniform(0.9, 1.1)), *espeak.RATE_RANGE)),
                    "pitch": int(np.clip(voice.pitch + r.integers(-5, 6), 0, 100)),
                    "range": int(np.clip(voice.range_ + r.integers(-10, 11), 0, 100)),
                    "seed": int(r.integers(1, 2**31 - 1)),
                    "level_db": round(float(r.uniform(-32.0, -14.0)), 2),
                    "offset": float(r.random()),
                    "floor_db": round(float(r.uniform(-80.0, -65.0)), 2),
                }
            )
    return jobs


def _babble_streams(voices: list[Voice], vocabulary: list[str], seconds: int, seed: int) -> list[dict]:
    """Speech streams for the babble noise: eight training voices reading random words."""
    rng = np.random.default_rng([seed, _stable_int("babble")])
    train = [v for v in voices if v.split == "train" and _can_say(v, vocabulary)]
    picked = [train[i] for i in rng.choice(len(train), size=min(8, len(train)), replace=False)]
    streams = []
    for voice in picked:
        sentences = [
            " ".join(vocabulary[int(i)] for i in rng.integers(len(vocabulary), size=int(rng.integers(4, 9)))) + "."
            for _ in range(max(4, seconds // 3))
        ]
        streams.append(
            {
                "engine": voice.engine,
                "lang": voice.lang,
                "variant": voice.variant,
                "rate": voice.rate,
                "pitch": voice.pitch,
                "range": voice.range_,
                "seed": int(rng.integers(1, 2**31 - 1)),
                "sentences": sentences,
                "samples": (seconds // 2 + 1) * SAMPLE_RATE,
            }
        )
    return streams


# ----------------------------------------------------------------------------------------------------------------
# Noise, silence and the index files


def _write_noise(
    root: Path,
    streams: list[np.ndarray],
    silence_count: int,
    seconds: int,
    holdout: float,
    seed: int,
    progress: ProgressCallback,
    music: Sequence[np.ndarray] = (),
) -> list[dict]:
    """Write the background-noise files (and the ``music`` medleys) and the silence clips; return the silence
    clips' metadata rows."""
    folder = root / BACKGROUND_DIR
    folder.mkdir()
    for name, piece in zip(_music_names(music), music, strict=True):
        write_wav(folder / name, noise.at_level(piece, BACKGROUND_LEVEL_DB))
    total = len(NOISE_FILES) + silence_count
    progress(ProgressEvent("Making noise", 0, total))
    n = seconds * SAMPLE_RATE
    sources: dict[str, np.ndarray] = {}
    for done, (kind, name) in enumerate(NOISE_FILES.items(), 1):
        rng = np.random.default_rng([seed, _stable_int(f"noise/{kind}")])
        if kind == "babble":
            audio = noise.babble(streams, n, rng) if streams else noise.pink(n, rng)
        else:
            audio = noise.GENERATORS[kind](n, rng, SAMPLE_RATE)
        sources[kind] = audio
        write_wav(folder / name, noise.at_level(audio, BACKGROUND_LEVEL_DB))
        progress(ProgressEvent("Making noise", done, total))

    rows = []
    if silence_count:
        (root / SILENCE).mkdir()
    kinds = list(NOISE_FILES) + ["music"] * (MUSIC_SILENCE_SHARE if music else 0)
    ids = [f"noise-{kinds[j % len(kinds)]}-{(j // len(kinds)) % 10}" for j in range(silence_count)]
    split_of = holdout_splits(ids, {}, holdout)
    taken: Counter[str] = Counter()
    for j, speaker in enumerate(ids):
        kind = kinds[j % len(kinds)]
        path = f"{SILENCE}/{speaker}_nohash_{taken[speaker]}.wav"
        taken[speaker] += 1
        rng = np.random.default_rng([seed, _stable_int(path)])
        low, high = MUSIC_LEVEL_DB if kind == "music" else NOISE_LEVEL_DB
        if kind in ("babble", "music"):  # cut from a recording
            source = music[int(rng.integers(len(music)))] if kind == "music" else sources[kind]
            start = int(rng.integers(len(source) - CLIP_SAMPLES))
            clip = source[start : start + CLIP_SAMPLES]
        else:
            clip = noise.GENERATORS[kind](CLIP_SAMPLES, rng, SAMPLE_RATE)
        level = round(float(rng.uniform(low, high)), 2)
        write_wav(root / path, noise.at_level(clip, level))
        rows.append(
            {
                "path": path,
                "label": SILENCE,
                "split": split_of.get(speaker, "train"),
                "speaker": speaker,
                "text": kind,
                "level_db": level,
            }
        )
        if (j + 1) % 50 == 0 or j + 1 == silence_count:
            progress(ProgressEvent("Making noise", len(NOISE_FILES) + j + 1, total))
    return rows


def _music_names(pieces: Sequence[np.ndarray]) -> list[str]:
    return [f"music_{i + 1}.wav" for i in range(len(pieces))]


def _speech_rows(jobs: list[dict], results: dict[str, dict], voices: dict[str, Voice]) -> list[dict]:
    rows = []
    for job in jobs:
        voice = voices[job["speaker"]]
        done = results[job["path"]]
        rows.append(
            {
                "path": job["path"],
                "label": job["label"],
                "split": voice.split,
                "speaker": voice.id,
                "lang": voice.lang,
                "variant": voice.variant,
                "gender": voice.gender,
                "rate": done["rate"],
                "pitch": job["pitch"],
                "range": job["range"],
                "text": job["text"],
                "speech_s": done["speech_s"],
                "level_db": job["level_db"],
            }
        )
    return rows


METADATA_COLUMNS = (
    "path",
    "label",
    "split",
    "speaker",
    "lang",
    "variant",
    "gender",
    "rate",
    "pitch",
    "range",
    "text",
    "speech_s",
    "level_db",
)


def _counts(rows: list[dict], labels: list[str]) -> dict[str, dict[str, int]]:
    counts = {s: dict.fromkeys(labels, 0) for s in SPLITS}
    for row in rows:
        counts[row["split"]][row["label"]] += 1
    return counts


def _write_index(root: Path, rows: list[dict], summary: SynthSummary, seed: int) -> None:
    rows = sorted(rows, key=lambda r: r["path"])
    (root / "validation_list.txt").write_text("".join(r["path"] + "\n" for r in rows if r["split"] == "validation"))
    (root / "testing_list.txt").write_text("".join(r["path"] + "\n" for r in rows if r["split"] == "test"))
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=METADATA_COLUMNS, restval="", lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    (root / "metadata.csv").write_text(out.getvalue(), encoding="utf-8")
    info = {
        "made_by": "tinymlkit.apps.kws.synth.synthesize_keyword_dataset",
        "espeak_version": summary.espeak_version,
        "seed": seed,
        "words": summary.words,
        "lang": summary.lang,
        "accents": summary.accents,
        "counts": summary.counts,
        "variants": summary.variants,
        "voices": {s: len(v) for s, v in summary.voices.items()},
        "sped_up": summary.sped_up,
        "trimmed": summary.trimmed,
        "notes": summary.notes,
        "extra_voices": summary.extra_voices,
        "music": summary.music,
    }
    (root / "synth_kws.json").write_text(json.dumps(info, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
