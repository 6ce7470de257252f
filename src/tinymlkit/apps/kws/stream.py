"""Test recordings for streaming recognition: held-out word clips placed at known times in background noise, or
over a real background recording (music, other people talking)."""

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from tinymlkit.data.audio import SAMPLE_RATE, read_audio
from tinymlkit.data.dataset import Dataset
from tinymlkit.errors import TinyMLError


@dataclass(frozen=True)
class SpokenWord:
    """Where a word is in a stream: its label and the start and end of its speech, in milliseconds."""

    label: str
    start_ms: int
    end_ms: int


@dataclass(frozen=True)
class Background:
    """A recording heard behind the words instead of the data set's noise (music, speech that holds no keyword),
    at the stream's sample rate, and the level it is mixed at: its RMS over the whole recording."""

    audio: np.ndarray
    rms: float = 0.03
    name: str = "background"

    def __post_init__(self) -> None:
        if self.audio.ndim != 1 or not len(self.audio) or not np.any(self.audio):
            raise TinyMLError(f"the {self.name} background holds no sound; give a recording that is not silent")
        if not 0 < self.rms <= 1:
            raise TinyMLError(f"the {self.name} background level must be an RMS in (0, 1], not {self.rms}")

    def segment(self, length: int, rng: np.random.Generator) -> np.ndarray:
        """``length`` samples from a random place of the recording (wrapping round), at the level ``rms``."""
        start = int(rng.integers(len(self.audio)))
        reps = int(np.ceil((start + length) / len(self.audio)))
        part = np.tile(self.audio, reps)[start : start + length]
        return (part * (self.rms / float(np.sqrt(np.mean(np.square(self.audio)))))).astype(np.float32)


def load_background(
    paths: Iterable[str | Path], rms: float, name: str = "background", sample_rate: int = SAMPLE_RATE
) -> Background:
    """A background made of audio files read as training clips are (resampled, downmixed), each cut to its sound
    (leading and trailing silence dropped) and played one after another, as one continuous recording."""
    parts = []
    for path in paths:
        audio = read_audio(path, sample_rate)
        start, end = speech_extent(audio, sample_rate)
        parts.append(audio[start:end])
    if not parts:
        raise TinyMLError(f"no audio files for the {name} background")
    return Background(np.concatenate(parts).astype(np.float32), rms, name)


def speech_extent(clip: np.ndarray, sample_rate: int, frame_ms: int = 10, ratio: float = 1e-3) -> tuple[int, int]:
    """Start and end sample of the speech in a clip: the frames within 30 dB (``ratio``) of the loudest one."""
    frame = sample_rate * frame_ms // 1000
    frames = len(clip) // frame
    energy = np.square(clip[: frames * frame].reshape(frames, frame)).mean(axis=1)
    loud = np.flatnonzero(energy >= ratio * energy.max()) if frames and energy.max() > 0 else np.array([0])
    return int(loud[0] * frame), int(min(len(clip), (loud[-1] + 1) * frame))


def compose_stream(
    data: Dataset,
    words: list[str],
    seconds: float = 10.0,
    sample_rate: int = 16000,
    gap_s: tuple[float, float] = (1.6, 2.4),
    noise_level: float = 0.02,
    seed: int = 0,
    background: Background | None = None,
) -> tuple[np.ndarray, list[SpokenWord]]:
    """A ``seconds``-long recording of the ``words`` clips of ``data`` (use a held-out split) in noise, or over
    ``background`` (then ``noise_level`` is not used: the background has its own level).

    Whole clips are mixed in (so no part of a word is lost), their words following each other with random
    gaps (longer than the recognizer's 1.5 s suppression time), chosen at random among the keyword labels.
    Returns the audio and where each word's speech was placed.
    """
    rng = np.random.default_rng(seed)
    pools = {w: np.flatnonzero(data.y == data.labels.index(w)) for w in words if w in data.labels}
    pools = {w: p for w, p in pools.items() if len(p)}
    if not pools:
        raise TinyMLError(f"no clips of {', '.join(words)} to build a stream from")
    total = int(seconds * sample_rate)
    audio = _background(data, total, rng) * noise_level if background is None else background.segment(total, rng)
    placed: list[SpokenWord] = []
    at = int(rng.uniform(1.0, 1.5) * sample_rate)  # the device has heard a full window before the first word
    while True:
        word = list(pools)[rng.integers(len(pools))]
        clip = data.x[pools[word][rng.integers(len(pools[word]))]]
        start, end = speech_extent(clip, sample_rate)
        offset = at - start  # where the clip goes so that its speech starts at `at`
        if offset < 0 or offset + len(clip) > total:
            break
        audio[offset : offset + len(clip)] += clip
        placed.append(SpokenWord(word, at * 1000 // sample_rate, (offset + end) * 1000 // sample_rate))
        at = offset + end + int(rng.uniform(*gap_s) * sample_rate)
    return np.clip(audio, -1.0, 1.0).astype(np.float32), placed


def _background(data: Dataset, length: int, rng: np.random.Generator) -> np.ndarray:
    noise = [n for n in data.extras.get("background_noise", []) if len(n) > 0]
    if not noise:
        return rng.standard_normal(length).astype(np.float32) * 0.3
    n = noise[rng.integers(len(noise))]
    reps = int(np.ceil(length / len(n)))
    start = int(rng.integers(len(n)))
    tiled = np.tile(n, reps + 1)[start : start + length]
    return (tiled / max(1e-6, float(np.abs(tiled).max())) * 0.5).astype(np.float32)
