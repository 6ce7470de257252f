"""Optional voices of other offline synthesizers for the built-in keyword data: flite and Festival, found at run time.

eSpeak NG (:mod:`tinymlkit.apps.kws.espeak`) is a formant synthesizer and always there. Where a system package
brings another synthesizer, its voices can join the built-in data for the languages they speak (``tinyml kws train
--extra-voices``): most were made from recordings of real people (flite's awb, rms and slt; Festival's diphone and
HTS voices), so they sound closer to real speech. Nothing is downloaded; without them the data is eSpeak NG only::

    sudo apt-get install flite festival festvox-kallpc16k festvox-kdlpc16k festvox-us-slt-hts

:func:`installed` lists what this machine has: ``flite -lv`` names flite's voices (all English), and each folder
``<voices dir>/<language>/<voice>/`` of Festival is one voice of that language (``english``, ``us``,
``italian``...). :func:`synthesize` speaks a text with one of them, at a speaking rate and a pitch shift, as
float32 samples at 16 kHz. Both tools give the same samples for the same call, so the data stays reproducible.

One recorded person can stand behind voices of both tools (Kal is flite's kal and kal16 and Festival's
kal_diphone; SLT is flite's slt and Festival's cmu_us_slt_arctic_hts): :attr:`ExternalVoice.speaker` names that
person, and the data set holds out whole speakers, so a test voice is never heard in training by another name.
"""

from __future__ import annotations

import functools
import re
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from tinymlkit.data.audio import SAMPLE_RATE, read_audio
from tinymlkit.errors import TinyMLError

ENGINES = ("flite", "festival")
NATIVE_RATE = 175
"""The speaking rate (words per minute) both tools use at their own speed; rates are given relative to it."""

FESTIVAL_VOICE_DIRS = [Path("/usr/share/festival/voices"), Path("/usr/local/share/festival/voices")]
FESTIVAL_LANGUAGES = {
    "english": "en",
    "us": "en",
    "british": "en",
    "italian": "it",
    "spanish": "es",
    "czech": "cs",
    "finnish": "fi",
    "russian": "ru",
    "catalan": "ca",
    "welsh": "cy",
    "hindi": "hi",
    "marathi": "mr",
    "telugu": "te",
}
"""Festival's voice folders by language (its folder names) and the language codes they speak."""

# The people behind the voices Debian packages, with their gender and flite's mean pitch (Hz) for them.
KNOWN_SPEAKERS = {
    "kal": "male",
    "ked": "male",
    "rab": "male",
    "awb": "male",
    "rms": "male",
    "slt": "female",
    "bdl": "male",
    "clb": "female",
    "jmk": "male",
    "ksp": "male",
    "lp": "female",
    "pc": "male",
    "el": "male",
}
_FLITE_PITCH = {"kal": 100.0, "kal16": 100.0, "awb": 110.0, "rms": 100.0, "slt": 170.0}
_NAME_PARTS = {"cmu", "us", "uk", "nitech", "arctic", "diphone", "hts", "clunits", "cg", "multisyn", "ldom", "lpc"}


@dataclass(frozen=True)
class ExternalVoice:
    """A voice of an installed synthesizer other than eSpeak NG."""

    engine: str  # "flite" or "festival"
    name: str  # the tool's own name, e.g. "slt", "kal_diphone"
    lang: str  # the language it speaks, e.g. "en"
    speaker: str  # the recorded person behind it, shared by voices of the same person: the unit held out
    gender: str  # "male", "female" or "" when unknown

    @property
    def variant(self) -> str:
        """Its name in the data set (the ``variant`` column), e.g. "flite-slt", "festival-kal_diphone"."""
        return f"{self.engine}-{self.name}"

    def can_say(self, text: str) -> bool:
        """Whether it can read ``text`` (:func:`readable`)."""
        return readable(self.engine, text)


def readable(engine: str, text: str) -> bool:
    """Whether ``engine`` can read ``text``: plain words (no eSpeak phoneme input) in the characters it reads."""
    if "[[" in text:
        return False
    try:
        text.encode("ascii" if engine == "flite" else "latin-1")
    except UnicodeEncodeError:
        return False
    return True


def speaker_of(name: str) -> str:
    """The person behind a voice name: "kal16" -> "kal", "cmu_us_slt_arctic_hts" -> "slt", "lp_diphone" -> "lp"."""
    parts = [p for p in name.lower().split("_") if p and p not in _NAME_PARTS]
    return re.sub(r"\d+k?$", "", parts[0] if parts else name.lower()) or name.lower()


def _flite_voices(flite: str) -> list[ExternalVoice]:
    try:
        listing = subprocess.run([flite, "-lv"], capture_output=True, text=True, timeout=20).stdout
    except (OSError, subprocess.SubprocessError):
        return []
    names = listing.split(":", 1)[1].split() if ":" in listing else []
    # "awb_time" and the like are limited-domain voices: they can say only their own domain (the time).
    return [
        ExternalVoice("flite", n, "en", speaker_of(n), KNOWN_SPEAKERS.get(speaker_of(n), ""))
        for n in sorted(set(names))
        if re.fullmatch(r"[a-z0-9]+", n)
    ]


def _festival_voices() -> list[ExternalVoice]:
    found: dict[str, ExternalVoice] = {}
    for base in FESTIVAL_VOICE_DIRS:
        if not base.is_dir():
            continue
        for folder in sorted(base.iterdir()):
            lang = FESTIVAL_LANGUAGES.get(folder.name, folder.name if re.fullmatch(r"[a-z]{2}", folder.name) else "")
            if not lang or not folder.is_dir():
                continue
            for voice in sorted(folder.iterdir()):
                if voice.is_dir() and re.fullmatch(r"[a-z0-9_]+", voice.name) and voice.name not in found:
                    who = speaker_of(voice.name)
                    found[voice.name] = ExternalVoice("festival", voice.name, lang, who, KNOWN_SPEAKERS.get(who, ""))
    return list(found.values())


@functools.cache
def installed() -> tuple[ExternalVoice, ...]:
    """Every flite and Festival voice installed on this machine (none without the tools), sorted by variant."""
    found = []
    flite = shutil.which("flite")
    if flite:
        found += _flite_voices(flite)
    if shutil.which("festival") and shutil.which("stdbuf"):
        found += _festival_voices()
    return tuple(sorted(found, key=lambda v: v.variant))


def for_language(lang: str) -> list[ExternalVoice]:
    """The installed voices that speak ``lang`` (an eSpeak code such as "en-us": its base language counts)."""
    base = lang.split("-")[0].lower()
    return [v for v in installed() if v.lang == base]


def find(variant: str) -> ExternalVoice:
    """The installed voice of a data-set name such as "flite-slt", or a one-line :class:`TinyMLError`."""
    for voice in installed():
        if voice.variant == variant:
            return voice
    names = ", ".join(v.variant for v in installed()) or "none: install flite or festival with its voices"
    raise TinyMLError(f"no installed voice '{variant}' (installed: {names})")


def describe(variants: list[str]) -> str:
    """The synthesizers and voices of data-set names, for a summary: "flite (awb, slt), Festival (kal_diphone)"."""
    parts = []
    for engine, title in (("flite", "flite"), ("festival", "Festival")):
        names = [v.split("-", 1)[1] for v in variants if v.startswith(engine + "-")]
        if names:
            parts.append(f"{title} ({', '.join(names)})")
    return ", ".join(parts)


# ----------------------------------------------------------------------------------------------------------------
# Speaking


def _read(path: Path, what: str) -> np.ndarray:
    try:
        return read_audio(path, SAMPLE_RATE)
    except (OSError, TinyMLError) as exc:
        raise TinyMLError(f"{what} wrote no readable audio ({exc}); check the installed voice") from None


class _Festival:
    """One Festival process of this worker, fed Scheme on stdin; each command ends with a marker line."""

    def __init__(self) -> None:
        self.proc = subprocess.Popen(
            ["stdbuf", "-oL", "festival", "--pipe"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            encoding="latin-1",
            bufsize=1,
        )
        self.voice = ""

    def command(self, scheme: str) -> str:
        assert self.proc.stdin is not None and self.proc.stdout is not None
        try:
            self.proc.stdin.write(scheme + '\n(format t "@@tinyml-done\\n")\n')
            self.proc.stdin.flush()
        except OSError:
            raise TinyMLError("Festival stopped; check that it runs (festival --version)") from None
        out = []
        for line in self.proc.stdout:
            if line.strip() == "@@tinyml-done":
                text = "".join(out)
                if "SIOD ERROR" in text:
                    raise TinyMLError(f"Festival failed: {text.strip().splitlines()[-1][:200]}")
                return text
            out.append(line)
        raise TinyMLError("Festival stopped; check that it runs (festival --version)")

    def say(self, voice: str, text: str, stretch: float, pitch: float, out: Path) -> None:
        if voice != self.voice:
            self.voice = ""
            # Keep the voice's own pitch model and HTS settings, so each utterance can start from them (defvar:
            # bound, to nil, where no voice of that kind was loaded yet).
            self.command(
                f"(voice_{voice})(defvar int_lr_params nil)(defvar hts_engine_params nil)"
                "(set! tinyml-lr int_lr_params)(set! tinyml-hts hts_engine_params)"
            )
            self.voice = voice
        quoted = text.replace("\\", "\\\\").replace('"', '\\"')
        self.command(
            f"(Parameter.set 'Duration_Stretch {stretch:.4f})"
            "(if (assoc 'target_f0_mean tinyml-lr) (set! int_lr_params (cons (list 'target_f0_mean "
            f"(* {pitch:.4f} (car (cdr (assoc 'target_f0_mean tinyml-lr))))) tinyml-lr)))"
            f'(set! hts_engine_params (append tinyml-hts (list (list "-r" {1 / stretch:.4f}))))'
            f'(utt.save.wave (utt.synth (Utterance Text "{quoted}")) "{out}" \'riff)'
        )

    def close(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
        self.proc.wait()


_FESTIVAL: _Festival | None = None


def _festival() -> _Festival:
    global _FESTIVAL
    if _FESTIVAL is None or _FESTIVAL.proc.poll() is not None:
        _FESTIVAL = _Festival()
    return _FESTIVAL


def close() -> None:
    """Stop this process's Festival, if it started one."""
    global _FESTIVAL
    if _FESTIVAL is not None:
        _FESTIVAL.close()
        _FESTIVAL = None


def synthesize(variant: str, text: str, rate: int = NATIVE_RATE, semitones: float = 0.0) -> np.ndarray:
    """Speak ``text`` with the installed voice ``variant`` ("flite-slt") at ``rate`` words per minute (relative to
    :data:`NATIVE_RATE`) and its pitch moved by ``semitones``: float32 mono at 16 kHz, with the tool's silences.
    flite and Festival's diphone voices change the pitch; Festival's HTS voices keep their own."""
    voice = find(variant)
    if not voice.can_say(text):
        raise TinyMLError(f"{variant} cannot read {text!r}; give it plain words of its language")
    stretch = NATIVE_RATE / max(int(rate), 1)
    factor = 2.0 ** (semitones / 12.0)
    with tempfile.TemporaryDirectory(prefix="tinyml-voice-") as tmp:
        out = Path(tmp) / "say.wav"
        if voice.engine == "flite":
            command = ["flite", "-voice", voice.name, "-o", str(out), "--setf", f"duration_stretch={stretch:.4f}"]
            if voice.name in _FLITE_PITCH:
                command += ["--setf", f"int_f0_target_mean={_FLITE_PITCH[voice.name] * factor:.2f}"]
            done = subprocess.run([*command, "-t", text], capture_output=True, text=True, timeout=60)
            if done.returncode != 0:
                raise TinyMLError(f"flite failed for {variant}: {(done.stderr or 'no message').strip()[:200]}")
        else:
            _festival().say(voice.name, text, stretch, factor, out)
        return _read(out, variant)
