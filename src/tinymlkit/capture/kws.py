"""Recording keyword clips (and background noise) into the Speech Commands layout the KWS loader reads.

    mic = WavFileMicrophone("takes.wav")            # or SoundDeviceMicrophone(), or SerialMicrophone(port)
    result = record_keywords(mic, "my_words", label="yes", speaker="spk01", count=20)
    status = kws_status("my_words", words=["yes", "no"])     # what is still missing before training

Each take is longer than the clip (1.5 s by default) so that the word fits whenever it is spoken; the clip
saved is the 1 s around the speech, found from the energy of 10 ms frames (:func:`trim_to_speech`). Takes
with no speech, or with the word cut off at the take's edge, are not kept. ``silence`` takes are kept as they
are (the middle second). Rows in ``metadata.csv``: path, label, speaker, device, speech_ms, level_dbfs,
snr_db, recorded_at.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from tinymlkit.apps.kws.data import BACKGROUND_DIR, SILENCE, UNKNOWN
from tinymlkit.capture.microphone import LevelCallback, Microphone, level_dbfs
from tinymlkit.capture.session import (
    ExampleSession,
    SessionResult,
    Take,
    auto_review,
    check_name,
    split_counts,
    writable_folder,
)
from tinymlkit.data.audio import SAMPLE_RATE, loudest_window, write_wav
from tinymlkit.errors import TinyMLError

TAKE_SECONDS = 1.5
FRAME_MS = 10
MIN_SNR_DB = 12.0  # speech must rise this far above the take's noise floor
MIN_LEVEL_DBFS = -60.0  # and reach at least this level


@dataclass(frozen=True)
class Trim:
    """Where the speech is in a take and the 1 s clip cut around it."""

    clip: np.ndarray
    start: int  # sample of the take where the clip starts
    speech: bool  # was speech found at all
    speech_ms: tuple[float, float]  # speech start and end within the take (ms)
    peak_dbfs: float  # level of the loudest 10 ms frame
    floor_dbfs: float  # noise floor (10th percentile of the frame levels)
    clipped: bool  # samples at full scale
    cut_off: str  # "start" or "end" when the speech runs into the take's edge, else ""

    @property
    def snr_db(self) -> float:
        return self.peak_dbfs - self.floor_dbfs


def trim_to_speech(
    audio: np.ndarray, sample_rate: int = SAMPLE_RATE, length: int = SAMPLE_RATE, min_snr_db: float = MIN_SNR_DB
) -> Trim:
    """The ``length``-sample clip of ``audio`` centred on its speech (energy-based voice activity)."""
    audio = np.asarray(audio, dtype=np.float32)
    frame = max(1, sample_rate * FRAME_MS // 1000)
    nf = len(audio) // frame
    if nf < 3:
        raise TinyMLError(f"a take of {len(audio)} samples is too short; record at least {length} samples")
    energy = np.mean(np.square(audio[: nf * frame].reshape(nf, frame), dtype=np.float64), axis=1)
    db = 10.0 * np.log10(energy + 1e-10)
    floor, peak = float(np.percentile(db, 10)), float(db.max())
    clipped = bool(np.max(np.abs(audio)) >= 0.999)
    if peak - floor < min_snr_db or peak < MIN_LEVEL_DBFS:
        start = max(0, (len(audio) - length) // 2)
        return Trim(_cut(audio, start, length), start, False, (0.0, 0.0), peak, floor, clipped, "")
    active = db >= floor + 0.3 * (peak - floor)
    first, last = int(np.argmax(active)), nf - 1 - int(np.argmax(active[::-1]))
    s0, s1 = first * frame, (last + 1) * frame
    if s1 - s0 >= length:  # longer than the clip: keep its loudest part
        start = s0 + loudest_window(audio[s0:s1], length)
    else:
        start = int(np.clip((s0 + s1) // 2 - length // 2, 0, max(0, len(audio) - length)))
    cut_off = "start" if first == 0 else "end" if last == nf - 1 else ""
    ms = 1000.0 / sample_rate
    return Trim(_cut(audio, start, length), start, True, (s0 * ms, s1 * ms), peak, floor, clipped, cut_off)


def _cut(audio: np.ndarray, start: int, length: int) -> np.ndarray:
    clip = audio[start : start + length]
    return np.pad(clip, (0, length - len(clip))) if len(clip) < length else clip


def keyword_take(audio: np.ndarray, label: str, number: int, attempt: int, sample_rate: int = SAMPLE_RATE) -> Take:
    """A :class:`Take` of a keyword clip from one recording, with its problems (or a silence clip)."""
    trim = trim_to_speech(audio, sample_rate, sample_rate)
    info = {"level_dbfs": round(trim.peak_dbfs, 1), "snr_db": round(trim.snr_db, 1)}
    take = Take(number, attempt, trim.clip, raw=audio, info=info)
    if label == SILENCE:
        take.info["speech_ms"] = 0
        take.info["level_dbfs"] = round(level_dbfs(trim.clip), 1)
        return take
    take.info["speech_ms"] = round(trim.speech_ms[1] - trim.speech_ms[0])
    if not trim.speech:
        take.problems.append(
            f"no speech heard (peak {trim.peak_dbfs:.0f} dBFS, {trim.snr_db:.0f} dB above the "
            "noise): speak louder or closer to the microphone"
        )
    elif trim.cut_off == "start":
        take.problems.append("the word was already under way when recording started: speak after the countdown")
    elif trim.cut_off == "end":
        take.problems.append(
            "the word ran past the end of the take: speak right after the countdown, or raise --seconds"
        )
    if trim.clipped:
        take.notes.append("the level hit full scale (clipped): speak a little further from the microphone")
    return take


def record_keywords(
    mic: Microphone,
    root: str | Path,
    label: str,
    speaker: str,
    count: int,
    seconds: float = TAKE_SECONDS,
    review: Callable[[Take], str] = auto_review,
    before_take: Callable[[int, int], None] | None = None,
    on_level: LevelCallback | None = None,
) -> SessionResult:
    """Record ``count`` clips of ``label`` spoken by ``speaker`` into ``root`` (see the module docstring)."""
    session = ExampleSession(root, label, speaker, "--speaker", ".wav")
    if label.startswith("_"):
        raise TinyMLError(f"'{label}' is reserved; record background noise with 'tinyml record noise'")
    if seconds < 1.0:
        raise TinyMLError(f"--seconds {seconds:g} is shorter than the 1 s clip; use at least 1")
    if hasattr(mic, "label"):  # a board's microphone: tell the board what is being recorded
        mic.label = label

    def take(number: int, attempt: int) -> Take:
        return keyword_take(mic.record(seconds, on_level), label, number, attempt, mic.sample_rate)

    def write(path: Path, clip: np.ndarray) -> None:
        write_wav(path, clip, mic.sample_rate)

    return session.run(count, take, write, {"device": mic.name}, review, before_take)


def record_noise(
    mic: Microphone, root: str | Path, name: str, seconds: float, on_level: LevelCallback | None = None
) -> Path:
    """Record ``seconds`` of background noise into ``<root>/_background_noise_/<name>.wav``."""
    check_name(name, "--name")
    if seconds < 1.0:
        raise TinyMLError(
            f"--seconds {seconds:g} is too short for background noise; record at least 1 s (30+ is better)"
        )
    folder = writable_folder(Path(root) / BACKGROUND_DIR)
    path = folder / f"{name}.wav"
    if path.exists():
        raise TinyMLError(f"{path} exists; pick another --name")
    step = getattr(mic, "max_ms", 0) / 1000.0 or seconds  # a board buffers a few seconds per request
    parts, left = [], seconds
    while left > 1e-9:
        parts.append(mic.record(min(step, left), on_level))
        left -= min(step, left)
    return write_wav(path, np.concatenate(parts), mic.sample_rate)


@dataclass
class KwsStatus:
    """Clips per label and split, background noise, and what is still missing before training."""

    counts: dict[str, dict[str, int]]
    speakers: dict[str, int]
    noise_seconds: float
    missing: list[str] = field(default_factory=list)
    advice: list[str] = field(default_factory=list)


def kws_status(root: str | Path, words: list[str] | None = None) -> KwsStatus:
    """Count the clips under ``root`` the way the KWS loader splits them, and list what training still needs.

    ``words`` are the keywords; other word folders then count as ``unknown``. Without it, every folder except
    ``silence`` is taken for a keyword.
    """
    import soundfile as sf

    root = Path(root)
    if not root.is_dir():
        raise TinyMLError(f"data folder {root} not found; record into it with 'tinyml record kws --data {root}'")
    counts, speakers = split_counts(root, ".wav")
    noise_dir = root / BACKGROUND_DIR
    noise = sum(sf.info(str(p)).duration for p in noise_dir.glob("*.wav")) if noise_dir.is_dir() else 0.0
    status = KwsStatus(counts, speakers, float(noise))
    keywords = list(words) if words else [w for w in counts if w != SILENCE]
    for word in keywords:
        c = counts.get(word)
        if c is None:
            status.missing.append(f"no clips of '{word}': tinyml record kws --data {root} --label {word}")
            continue
        for split in ("train", "test"):
            if c[split] == 0:
                status.missing.append(
                    f"'{word}' has no {split} clips: the split follows a hash of the speaker name, so record "
                    "more speakers (or the same person under another --speaker name)"
                )
    if SILENCE not in counts and noise == 0:
        status.missing.append(f"no silence: 'tinyml record noise --data {root}' or 'tinyml record kws --label silence'")
    others = [w for w in counts if w not in keywords and w not in (SILENCE,)]
    if words and not others:
        status.missing.append(
            f"no '{UNKNOWN}' examples: record a few other words (e.g. --label other) that the "
            "model must not mistake for the keywords"
        )
    if not words:
        status.advice.append("give --words to check the 'unknown' class: folders that are not keywords become it")
    small = [w for w in keywords if w in counts and sum(counts[w].values()) < 30]
    if small:
        status.advice.append(f"few clips of {', '.join(small)}: aim for 30+ per word from several speakers")
    return status
