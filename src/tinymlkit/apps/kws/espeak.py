"""Offline speech synthesis with eSpeak NG, called through ctypes.

The shared library and its data (over 100 languages, over 100 voice variants) come from the ``espeakng-loader``
wheel; no system package is needed. :func:`synthesize` turns text into a float32 mono array at 16 kHz::

    from tinymlkit.apps.kws import espeak
    audio = espeak.synthesize("yes", lang="en-us", variant="f3", rate=180, pitch=60)

A voice is a language (``espeak.languages()``: "en", "en-us", "es", "hi", ...) plus a variant
(``espeak.variants()``: "m1".."m8", "f1".."f5", "klatt".."klatt6", named ones such as "Annie"); the variant
changes the timbre (formants, pitch band, breathiness, the Klatt synthesizer), the language the pronunciation.

Safety: eSpeak NG keeps its state in C globals, so one process has one engine. This module initializes it once,
in synchronous mode (no audio device, no thread of its own), and serializes every call with a lock, so it is
safe to use from several threads of one process, one call at a time. Separate processes each load their own
engine; start them with the "spawn" method (a child forked while another thread is inside eSpeak would
inherit a half-updated engine).

Determinism: with ``seed`` given, the engine's noise generators are reseeded before the utterance. eSpeak still
carries a little state from one utterance to the next (the phase of its pitch flutter, its gain control), so
the same call can give slightly different samples depending on what the process synthesized before; a fresh
process that makes the same sequence of calls gives identical samples.
:func:`tinymlkit.apps.kws.synth.synthesize_keyword_dataset` relies on that.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import difflib
import functools
import os
import threading
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from tinymlkit.data.audio import SAMPLE_RATE, resample
from tinymlkit.errors import TinyMLError

RATE_RANGE = (80, 450)
"""Speaking rates eSpeak NG accepts, in words per minute."""

# speak_lib.h constants
_AUDIO_OUTPUT_SYNCHRONOUS = 2
_INITIALIZE_DONT_EXIT = 0x8000  # return an error instead of calling exit() when the data cannot be loaded
_POS_CHARACTER = 1
_CHARS_UTF8 = 1
_PHONEMES = 0x100  # text may hold phoneme mnemonics in [[ ]]
_ENDPAUSE = 0x1000
_RATE, _PITCH, _RANGE = 1, 3, 4
_ERRORS = {-1: "internal error", 1: "buffer full", 2: "not found"}


class _Voice(ctypes.Structure):
    """``espeak_VOICE`` from speak_lib.h."""

    _fields_ = [
        ("name", ctypes.c_char_p),
        ("languages", ctypes.c_void_p),  # (priority byte, NUL-terminated code) pairs, then a 0 byte
        ("identifier", ctypes.c_char_p),
        ("gender", ctypes.c_ubyte),
        ("age", ctypes.c_ubyte),
        ("variant", ctypes.c_ubyte),
        ("xx1", ctypes.c_ubyte),
        ("score", ctypes.c_int),
        ("spare", ctypes.c_void_p),
    ]


_SynthCallback = ctypes.CFUNCTYPE(ctypes.c_int, ctypes.POINTER(ctypes.c_short), ctypes.c_int, ctypes.c_void_p)


@dataclass(frozen=True)
class VariantInfo:
    """A voice variant: its name (as passed to :func:`synthesize`) and the gender its file declares, if any."""

    name: str
    gender: str  # "male", "female" or "" when the variant file says nothing


class _Engine:
    """The process's one eSpeak NG instance. Use it only while holding ``_LOCK``."""

    def __init__(self) -> None:
        try:
            import espeakng_loader
        except ImportError as e:  # a declared dependency, but say how to fix a broken install
            raise TinyMLError("eSpeak NG is missing: pip install 'espeakng-loader>=0.2,<0.3'") from e
        self.data_path = Path(espeakng_loader.get_data_path())
        try:
            lib = ctypes.CDLL(espeakng_loader.get_library_path())
        except OSError as e:
            raise TinyMLError(f"cannot load the eSpeak NG library ({e}); reinstall espeakng-loader") from e
        lib.espeak_Initialize.argtypes = [ctypes.c_int, ctypes.c_int, ctypes.c_char_p, ctypes.c_int]
        lib.espeak_Initialize.restype = ctypes.c_int
        lib.espeak_SetSynthCallback.argtypes = [_SynthCallback]
        lib.espeak_SetSynthCallback.restype = None
        lib.espeak_SetVoiceByName.argtypes = [ctypes.c_char_p]
        lib.espeak_SetVoiceByName.restype = ctypes.c_int
        lib.espeak_SetParameter.argtypes = [ctypes.c_int, ctypes.c_int, ctypes.c_int]
        lib.espeak_SetParameter.restype = ctypes.c_int
        lib.espeak_Synth.argtypes = [
            ctypes.c_void_p,
            ctypes.c_size_t,
            ctypes.c_uint,
            ctypes.c_int,
            ctypes.c_uint,
            ctypes.c_uint,
            ctypes.c_void_p,
            ctypes.c_void_p,
        ]
        lib.espeak_Synth.restype = ctypes.c_int
        lib.espeak_Synchronize.restype = ctypes.c_int
        lib.espeak_ListVoices.argtypes = [ctypes.POINTER(_Voice)]
        lib.espeak_ListVoices.restype = ctypes.POINTER(ctypes.POINTER(_Voice))
        lib.espeak_TextToPhonemes.argtypes = [ctypes.POINTER(ctypes.c_void_p), ctypes.c_int, ctypes.c_int]
        lib.espeak_TextToPhonemes.restype = ctypes.c_char_p
        lib.espeak_Info.argtypes = [ctypes.c_void_p]
        lib.espeak_Info.restype = ctypes.c_char_p
        self._set_rand_seed = getattr(lib, "espeak_ng_SetRandSeed", None)
        if self._set_rand_seed is not None:
            self._set_rand_seed.argtypes = [ctypes.c_long]
            self._set_rand_seed.restype = ctypes.c_int
        self.lib = lib
        # The directory that holds espeak-ng-data (eSpeak also accepts the data folder itself).
        rate = lib.espeak_Initialize(_AUDIO_OUTPUT_SYNCHRONOUS, 0, os.fsencode(self.data_path), _INITIALIZE_DONT_EXIT)
        if rate <= 0:
            raise TinyMLError(f"eSpeak NG could not start with its data at {self.data_path}; reinstall espeakng-loader")
        self.native_rate = int(rate)
        self._chunks: list[np.ndarray] = []
        self._callback_error: BaseException | None = None
        # Keep a reference to the C callback for the life of the engine: if it were garbage collected, eSpeak
        # would call freed memory.
        self._callback = _SynthCallback(self._on_audio)
        lib.espeak_SetSynthCallback(self._callback)
        self.voice: str | None = None
        self.libc_srand = _find_libc_srand()

    def _on_audio(self, wav: ctypes._Pointer, n: int, events: int) -> int:
        try:
            if n > 0 and wav:
                self._chunks.append(np.ctypeslib.as_array(wav, shape=(n,)).copy())
            return 0
        except BaseException as e:  # never let an exception cross the C boundary; abort the utterance instead
            self._callback_error = e
            return 1

    def check(self, status: int, what: str) -> None:
        if status != 0:
            raise TinyMLError(f"eSpeak NG failed to {what} ({_ERRORS.get(status, f'status {status}')})")

    def set_voice(self, voice: str) -> None:
        if voice != self.voice:
            self.voice = None
            self.check(self.lib.espeak_SetVoiceByName(voice.encode("utf-8")), f"select voice '{voice}'")
            self.voice = voice

    def synth(self, text: str, rate: int, pitch: int, range_: int, seed: int | None) -> np.ndarray:
        for parameter, value in ((_RATE, rate), (_PITCH, pitch), (_RANGE, range_)):
            self.check(self.lib.espeak_SetParameter(parameter, value, 0), "set a voice parameter")
        if seed is not None:
            if self._set_rand_seed is not None:
                self._set_rand_seed(seed)
            if self.libc_srand is not None:  # the Klatt voices draw their noise from the C library's rand()
                self.libc_srand(seed & 0xFFFFFFFF)
        data = text.encode("utf-8") + b"\0"
        self._chunks = []
        self._callback_error = None
        flags = _CHARS_UTF8 | _PHONEMES | _ENDPAUSE
        status = self.lib.espeak_Synth(data, len(data), 0, _POS_CHARACTER, 0, flags, None, None)
        if self._callback_error is not None:
            raise self._callback_error
        self.check(status, "synthesize")
        self.check(self.lib.espeak_Synchronize(), "finish synthesis")
        chunks, self._chunks = self._chunks, []
        return np.concatenate(chunks) if chunks else np.zeros(0, np.int16)

    def phonemes(self, text: str) -> str:
        buf = ctypes.create_string_buffer(text.encode("utf-8"))
        ptr = ctypes.c_void_p(ctypes.addressof(buf))
        parts = []
        while ptr.value:  # one clause per call; eSpeak advances the pointer and sets it to NULL at the end
            out = self.lib.espeak_TextToPhonemes(ctypes.byref(ptr), _CHARS_UTF8, 0)
            if out:
                parts.append(out.decode("utf-8", "replace").strip())
        return " ".join(p for p in parts if p)

    def list_voices(self, spec: bytes | None) -> list[_VoiceEntry]:
        arg = None
        if spec is not None:
            voice = _Voice()
            keep = ctypes.create_string_buffer(spec)
            voice.languages = ctypes.addressof(keep)
            arg = ctypes.byref(voice)
        array = self.lib.espeak_ListVoices(arg)
        entries = []
        i = 0
        while array and array[i]:
            v = array[i].contents
            entries.append(
                _VoiceEntry(
                    name=(v.name or b"").decode("utf-8", "replace"),
                    identifier=(v.identifier or b"").decode("utf-8", "replace"),
                    languages=_parse_languages(v.languages),
                )
            )
            i += 1
        return entries


@dataclass(frozen=True)
class _VoiceEntry:
    name: str
    identifier: str  # the voice file, e.g. "gmw/en-US"
    languages: tuple[tuple[int, str], ...]  # (priority, code); a lower number is a better match


def _parse_languages(address: int | None) -> tuple[tuple[int, str], ...]:
    """Decode eSpeak's language list: a priority byte, a NUL-terminated code, repeated, ended by a 0 byte."""
    codes = []
    while address and (priority := ctypes.string_at(address, 1)[0]) != 0:
        code = ctypes.string_at(address + 1)
        codes.append((priority, code.decode("utf-8", "replace")))
        address += 1 + len(code) + 1
    return tuple(codes)


def _find_libc_srand():  # noqa: ANN202 - a ctypes function or None
    name = ctypes.util.find_library("c")
    try:
        libc = ctypes.CDLL(name) if name else ctypes.CDLL(None)
        srand = libc.srand
    except (OSError, AttributeError, TypeError):
        return None
    srand.argtypes = [ctypes.c_uint]
    srand.restype = None
    return srand


_LOCK = threading.RLock()
_ENGINE: _Engine | None = None


def _engine() -> _Engine:
    """The process's engine, started on first use. Call with ``_LOCK`` held."""
    global _ENGINE
    if _ENGINE is None:
        _ENGINE = _Engine()
    return _ENGINE


@functools.cache
def _all_language_voices() -> dict[str, str]:
    """Each language code eSpeak lists, mapped to the voice file that speaks it best (lowest priority number)."""
    with _LOCK:
        entries = _engine().list_voices(None)
    best: dict[str, tuple[int, str]] = {}
    for entry in entries:
        for priority, code in entry.languages:
            if code and code != "variant" and (priority, entry.identifier) < best.get(code, (256, "")):
                best[code] = (priority, entry.identifier)
    return {code: identifier for code, (_, identifier) in sorted(best.items())}


@functools.cache
def _language_voices() -> dict[str, str]:
    """:func:`_all_language_voices` without the languages whose pronunciation dictionary is not installed."""
    with _LOCK:
        data = _engine().data_path
    return {code: ident for code, ident in _all_language_voices().items() if _has_dictionary(data, ident)}


def _has_dictionary(data: Path, identifier: str) -> bool:
    """Whether the dictionary a voice file needs (its ``dictionary`` line, else its first language) exists."""
    name = ""
    try:
        lines = (data / "lang" / identifier).read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError:
        return True  # not a plain file we can read: let eSpeak decide
    for line in lines:
        words = line.split("//", 1)[0].split()
        if len(words) >= 2 and words[0] == "dictionary":
            name = words[1]
            break
        if len(words) >= 2 and words[0] == "language" and not name:
            name = words[1]
    return not name or any((data / f"{n}_dict").is_file() for n in (name, name.split("-")[0]))


def languages() -> tuple[str, ...]:
    """The language codes eSpeak NG can speak, sorted (e.g. "en", "en-us", "en-gb-scotland", "es", "hi")."""
    return tuple(_language_voices())


@functools.cache
def variant_info() -> tuple[VariantInfo, ...]:
    """Every voice variant with the gender its file declares, sorted by name (case-insensitively)."""
    with _LOCK:
        engine = _engine()
        entries = engine.list_voices(b"variant")
        variants_dir = engine.data_path / "voices" / "!v"
    names = {e.identifier.split("/", 1)[-1] for e in entries if e.identifier.startswith("!v/")}
    if variants_dir.is_dir():  # the listing skips nothing today, but the folder is the ground truth
        names |= {p.name for p in variants_dir.iterdir() if p.is_file()}
    return tuple(VariantInfo(n, _declared_gender(variants_dir / n)) for n in sorted(names, key=str.lower))


def variants() -> tuple[str, ...]:
    """The names of the voice variants (e.g. "m1", "f3", "klatt4", "Annie"), sorted case-insensitively."""
    return tuple(v.name for v in variant_info())


def _declared_gender(path: Path) -> str:
    """The ``gender`` line of a variant file ("male"/"female"), or "" when it has none."""
    try:
        lines = path.read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError:
        return ""
    for line in lines:
        words = line.split("//", 1)[0].split()
        if len(words) >= 2 and words[0].lower() == "gender" and words[1].lower() in ("male", "female"):
            return words[1].lower()
    return ""


def version() -> str:
    """The eSpeak NG library version, e.g. "1.52.0" (recorded with synthesized data sets)."""
    with _LOCK:
        info = _engine().lib.espeak_Info(None)
    return (info or b"").decode("utf-8", "replace").split()[0] if info else ""


def native_sample_rate() -> int:
    """The rate eSpeak NG synthesizes at (22050 Hz for its standard voices)."""
    with _LOCK:
        return _engine().native_rate


def check_language(lang: str) -> str:
    """Return ``lang`` if eSpeak NG knows it, else raise a one-line :class:`TinyMLError`."""
    if lang in _all_language_voices() and lang not in languages():
        raise TinyMLError(
            f"this build of eSpeak NG lacks the dictionary for '{lang}'; "
            "pick another code from tinymlkit.apps.kws.espeak.languages()"
        )
    if lang not in languages():
        raise TinyMLError(
            f"eSpeak NG has no language '{lang}'{_suggest(lang, languages())}; "
            "list the valid codes with tinymlkit.apps.kws.espeak.languages()"
        )
    return lang


def check_variant(variant: str) -> str:
    """Return ``variant`` if eSpeak NG has it, else raise a one-line :class:`TinyMLError`."""
    if variant not in variants():
        raise TinyMLError(
            f"eSpeak NG has no voice variant '{variant}'{_suggest(variant, variants())}; "
            "list the valid names with tinymlkit.apps.kws.espeak.variants()"
        )
    return variant


def _suggest(name: str, valid: tuple[str, ...]) -> str:
    close = difflib.get_close_matches(name, valid, n=3, cutoff=0.6)
    return f" (did you mean {', '.join(close)}?)" if close else ""


def _check_range(name: str, value: int, low: int, high: int) -> int:
    if not low <= value <= high:
        raise TinyMLError(f"{name} must be between {low} and {high}, got {value}")
    return int(value)


def synthesize(
    text: str,
    lang: str = "en",
    variant: str = "m1",
    rate: int = 160,
    pitch: int = 50,
    range_: int = 50,
    *,
    sample_rate: int = SAMPLE_RATE,
    seed: int | None = None,
) -> np.ndarray:
    """Speak ``text`` and return float32 mono samples in [-1, 1] at ``sample_rate`` Hz.

    ``lang`` is an eSpeak language code (:func:`languages`), ``variant`` a voice variant (:func:`variants`) or
    "" for the language's own voice; ``text`` may hold eSpeak phoneme mnemonics in ``[[ ]]``. ``rate`` is in
    words per minute (80-450), ``pitch`` (0-100, 50 = the variant's own) and ``range_`` (0-100, 0 = monotone)
    shape the intonation. ``seed`` reseeds eSpeak's noise
    generators first (see the module notes on determinism). The result includes eSpeak's own leading and
    trailing silence.
    """
    if not text.strip():
        raise TinyMLError("nothing to say: the text is empty")
    check_language(lang)
    if variant:
        check_variant(variant)
    _check_range("rate (words per minute)", rate, *RATE_RANGE)
    _check_range("pitch", pitch, 0, 100)
    _check_range("pitch range", range_, 0, 100)
    with _LOCK:
        engine = _engine()
        engine.set_voice(_voice_name(lang, variant))
        pcm = engine.synth(text, int(rate), int(pitch), int(range_), seed)
        native = engine.native_rate
    audio = pcm.astype(np.float32) / 32768.0
    return resample(audio, native, sample_rate)


def phonemes(text: str, lang: str = "en") -> str:
    """eSpeak's phoneme transcription of ``text`` in ``lang`` (its ASCII mnemonics), e.g. to spot homophones."""
    check_language(lang)
    with _LOCK:
        engine = _engine()
        engine.set_voice(_voice_name(lang, ""))
        return engine.phonemes(text)


def _voice_name(lang: str, variant: str) -> str:
    """What eSpeak's SetVoiceByName needs: the language's voice file, plus "+variant" if any."""
    identifier = _language_voices()[lang]
    return f"{identifier}+{variant}" if variant else identifier
