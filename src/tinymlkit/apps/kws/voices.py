"""Optional voices of other offline synthesizers for the built-in keyword data: flite, Festival and Piper, found at
run time.

eSpeak NG (:mod:`tinymlkit.apps.kws.espeak`) is a formant synthesizer and always there. Where a package brings
another synthesizer, its voices join the built-in data for the languages they speak (by default where a Piper
voice is installed, in a language with built-in unknown words: English; ``tinyml kws train --extra-voices``
always, ``--no-extra-voices`` never): they were made from recordings of real people (flite's awb, rms and slt;
Festival's diphone and HTS voices; Piper's neural voices), so they sound closer to real speech. Nothing is
downloaded; without them the data is eSpeak NG only::

    sudo apt-get install flite festival festvox-kallpc16k festvox-us-slt-hts  # ked_diphone left out: docs/kws.md
    pip install -e ".[voices]"      # Piper (piper-tts) and one of its English voices, packaged on PyPI

:func:`installed` lists what this machine has: ``flite -lv`` names flite's voices (all English), each folder
``<voices dir>/<language>/<voice>/`` of Festival is one voice of that language (``english``, ``us``,
``italian``...), and a Piper voice is a ``<lang>_<REGION>-<name>-<quality>.onnx`` model with its ``.onnx.json``,
in an installed Python package whose name holds "piper" or in a folder of :data:`PIPER_VOICES_ENV`.
:func:`synthesize` speaks a text with one of them, at a speaking rate and a pitch shift, as float32 samples at
16 kHz. The same call gives the same samples, so the data stays reproducible (Piper draws its variation of timing
and tone from the call's ``seed``).

One recorded person can stand behind voices of both tools (Kal is flite's kal and kal16 and Festival's
kal_diphone; SLT is flite's slt and Festival's cmu_us_slt_arctic_hts): :attr:`ExternalVoice.speaker` names that
person, and the data set holds out whole speakers, so a test voice is never heard in training by another name.
"""

from __future__ import annotations

import functools
import importlib.metadata
import importlib.util
import json
import os
import re
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from tinymlkit.data.audio import SAMPLE_RATE, read_audio
from tinymlkit.errors import TinyMLError

ENGINES = ("flite", "festival", "piper")
NATIVE_RATE = 175
"""The speaking rate (words per minute) the tools use at their own speed; rates are given relative to it."""
PIPER_VOICES_ENV = "TINYML_PIPER_VOICES"
"""Folders (``os.pathsep``-separated) holding Piper voices downloaded by hand, beside those installed by pip."""

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
    "joe": "male",
}
_FLITE_PITCH = {"kal": 100.0, "kal16": 100.0, "awb": 110.0, "rms": 100.0, "slt": 170.0}
_NAME_PARTS = {"cmu", "us", "uk", "nitech", "arctic", "diphone", "hts", "clunits", "cg", "multisyn", "ldom", "lpc"}


@dataclass(frozen=True)
class ExternalVoice:
    """A voice of an installed synthesizer other than eSpeak NG."""

    engine: str  # "flite", "festival" or "piper"
    name: str  # the tool's own name, e.g. "slt", "kal_diphone", "en_US-joe-medium"
    lang: str  # the language it speaks, e.g. "en"
    speaker: str  # the recorded person behind it, shared by voices of the same person: the unit held out
    gender: str  # "male", "female" or "" when unknown
    model: str = ""  # Piper: the .onnx file

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


def _packaged_piper_models() -> list[Path]:
    """The .onnx files of the installed Python packages named "*piper*" (a voice packaged for pip)."""
    models = []
    for dist in importlib.metadata.distributions():
        if "piper" in (dist.metadata["Name"] or "").lower():
            models += [Path(str(dist.locate_file(f))) for f in dist.files or [] if f.name.endswith(".onnx")]
    return models


def _piper_models() -> list[Path]:
    """The .onnx files of Piper voice packages, then those of the :data:`PIPER_VOICES_ENV` folders."""
    folders = filter(None, os.environ.get(PIPER_VOICES_ENV, "").split(os.pathsep))
    return _packaged_piper_models() + [m for folder in folders for m in sorted(Path(folder).glob("*.onnx"))]


def _piper_voices() -> list[ExternalVoice]:
    """The Piper voices (a model with its Piper config beside it) where the piper-tts package is installed."""
    if importlib.util.find_spec("piper") is None:  # found, not imported: workers speaking flite stay light
        return []
    found = {}
    for model in _piper_models():
        try:
            config = json.loads(model.with_name(model.name + ".json").read_text())
        except (OSError, ValueError):
            continue
        parts = model.stem.split("-")  # en_US-joe-medium
        lang = str(config.get("language", {}).get("family", ""))
        if "phoneme_id_map" in config and lang and len(parts) == 3 and model.stem not in found:
            who = parts[1]
            found[model.stem] = ExternalVoice("piper", model.stem, lang, who, KNOWN_SPEAKERS.get(who, ""), str(model))
    return list(found.values())


@functools.cache
def installed() -> tuple[ExternalVoice, ...]:
    """Every flite, Festival and Piper voice installed on this machine (none without the tools), sorted by variant."""
    found = []
    flite = shutil.which("flite")
    if flite:
        found += _flite_voices(flite)
    if shutil.which("festival") and shutil.which("stdbuf"):
        found += _festival_voices()
    found += _piper_voices()
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
    names = ", ".join(v.variant for v in installed()) or "none: install flite, festival or piper with its voices"
    raise TinyMLError(f"no installed voice '{variant}' (installed: {names})")


def describe(variants: list[str]) -> str:
    """The synthesizers and voices of data-set names, for a summary: "flite (awb, slt), Festival (kal_diphone)"."""
    parts = []
    for engine, title in (("flite", "flite"), ("festival", "Festival"), ("piper", "Piper")):
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


@functools.cache
def _piper(model: str):
    """A Piper voice (its phonemizer and config), loaded once per process."""
    from piper import PiperVoice

    return PiperVoice.load(model)


def _piper_say(voice: ExternalVoice, text: str, stretch: float, factor: float, seed: int, out: Path) -> None:
    """Piper speaks ``text`` into ``out``. Its model draws random timing and tone inside the network, from a generator
    that ONNX Runtime seeds when a session is made: a session of the call's ``seed`` makes each call reproducible
    (and costs about 0.1 s, unoptimized, beside the 0.15 s of speaking a word on one core). The pitch moves with the
    formants, as for a smaller or larger speaker: the samples are written at ``factor`` times the voice's rate,
    spoken ``factor`` times slower first."""
    import onnxruntime
    import soundfile
    from piper import SynthesisConfig

    rng = np.random.default_rng(seed)
    config = SynthesisConfig(
        length_scale=stretch * factor,
        noise_scale=float(rng.uniform(0.5, 0.9)),  # Piper's default: 0.667
        noise_w_scale=float(rng.uniform(0.6, 1.0)),  # 0.8
    )
    try:
        piper = _piper(voice.model)
        onnxruntime.set_seed(int(seed) % 2**31)
        options = onnxruntime.SessionOptions()
        options.graph_optimization_level = onnxruntime.GraphOptimizationLevel.ORT_DISABLE_ALL
        options.intra_op_num_threads = 1
        piper.session = onnxruntime.InferenceSession(voice.model, options, providers=["CPUExecutionProvider"])
        chunks = [c.audio_float_array for c in piper.synthesize(text, config)]
    except Exception as exc:  # a damaged or foreign model: ONNX Runtime and Piper raise their own kinds
        raise TinyMLError(
            f"Piper could not speak with {voice.model} ({type(exc).__name__}); reinstall the voice or remove it"
        ) from None
    soundfile.write(out, np.concatenate([np.zeros(0, np.float32), *chunks]), round(piper.config.sample_rate * factor))


def synthesize(variant: str, text: str, rate: int = NATIVE_RATE, semitones: float = 0.0, seed: int = 0) -> np.ndarray:
    """Speak ``text`` with the installed voice ``variant`` ("flite-slt") at ``rate`` words per minute (relative to
    :data:`NATIVE_RATE`) and its pitch moved by ``semitones``: float32 mono at 16 kHz, with the tool's silences.
    flite, Festival's diphone voices and Piper change the pitch; Festival's HTS voices keep their own. ``seed``
    draws Piper's variation of timing and tone (the other tools say a text one way)."""
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
        elif voice.engine == "piper":
            _piper_say(voice, text, stretch, factor, seed, out)
        else:
            _festival().say(voice.name, text, stretch, factor, out)
        return _read(out, variant)
