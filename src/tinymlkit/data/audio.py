"""Reading and shaping audio clips: WAV files in, float32 mono at the model's sample rate out.

Wrong sample rates are resampled and stereo is averaged to mono (both counted), because that is what a learner
expects; a file that is not readable audio is rejected with a message naming it.
"""

import os
from collections import Counter
from dataclasses import dataclass, field
from math import gcd
from pathlib import Path

import numpy as np
import soundfile as sf

from tinymlkit.errors import TinyMLError

SAMPLE_RATE = 16000
MIN_RATE, MAX_RATE = 1000, 384_000  # Hz: what audio hardware records; anything else is a damaged header


@dataclass
class AudioFixes:
    """How many clips needed which repair while loading; shown in every data report."""

    counts: Counter = field(default_factory=Counter)

    def add(self, what: str, n: int = 1) -> None:
        self.counts[what] += n

    def as_dict(self) -> dict[str, int]:
        return dict(sorted(self.counts.items()))


def read_audio(path: str | Path, sample_rate: int = SAMPLE_RATE, fixes: AudioFixes | None = None) -> np.ndarray:
    """Read an audio file as float32 mono in [-1, 1] at ``sample_rate``, resampling and downmixing if needed."""
    path = Path(path)
    if not path.exists():
        what = "is a link to a missing file" if path.is_symlink() else "not found"
        raise TinyMLError(f"audio file {path} {what}; check the path")
    if not path.is_file():
        raise TinyMLError(f"{path} is not a file; give a .wav file")
    try:
        data, rate = sf.read(os.fsencode(path), dtype="float32", always_2d=True)  # bytes: any file name
    except Exception as exc:
        raise TinyMLError(
            f"cannot read {path} as audio ({str(exc).splitlines()[0][:80]}); use 16-bit PCM WAV files"
        ) from None
    if not MIN_RATE <= rate <= MAX_RATE:
        raise TinyMLError(
            f"{path} says its sample rate is {rate} Hz, outside {MIN_RATE}-{MAX_RATE} Hz; re-export it at 16 kHz"
        )
    if data.size == 0:
        raise TinyMLError(f"{path} holds no audio samples; record or export it again")
    if not np.isfinite(data).all():
        raise TinyMLError(f"{path} holds NaN or infinite samples (a damaged float WAV); export it again as 16-bit PCM")
    if data.shape[1] > 1:
        data = data.mean(axis=1, keepdims=True)
        if fixes:
            fixes.add("downmixed to mono")
    audio = data[:, 0]
    if rate != sample_rate:
        audio = resample(audio, rate, sample_rate)
        if fixes:
            fixes.add(f"resampled from {rate} Hz")
    return audio


def resample(audio: np.ndarray, rate_in: int, rate_out: int) -> np.ndarray:
    """Polyphase resampling from ``rate_in`` to ``rate_out`` Hz."""
    if rate_in == rate_out:
        return np.asarray(audio, dtype=np.float32)
    g = gcd(int(rate_in), int(rate_out))
    from scipy.signal import resample_poly  # imported here: it takes a second, and most uses never resample

    return resample_poly(audio, rate_out // g, rate_in // g).astype(np.float32)


def fit_length(audio: np.ndarray, length: int, fixes: AudioFixes | None = None) -> np.ndarray:
    """Zero-pad a short clip at the end or trim a long one (keeping its loudest ``length`` samples)."""
    n = len(audio)
    if n == length:
        return audio
    if n < length:
        if fixes:
            fixes.add("padded to 1 s" if length == SAMPLE_RATE else f"padded to {length} samples")
        return np.pad(audio, (0, length - n))
    if fixes:
        fixes.add("trimmed to 1 s" if length == SAMPLE_RATE else f"trimmed to {length} samples")
    start = loudest_window(audio, length)
    return audio[start : start + length]


def loudest_window(audio: np.ndarray, length: int) -> int:
    """Start of the ``length``-sample window with the most energy, in linear time (a running sum)."""
    if len(audio) <= length:
        return 0
    sums = np.square(audio, dtype=np.float64)
    np.cumsum(sums, out=sums)  # sums[i] = energy of samples 0..i
    energy = sums[length - 1 :].copy()
    energy[1:] -= sums[: len(audio) - length]
    return int(np.argmax(energy))


def write_wav(path: str | Path, audio: np.ndarray, sample_rate: int = SAMPLE_RATE) -> Path:
    """Write float audio in [-1, 1] as 16-bit PCM WAV, atomically."""
    import io

    from tinymlkit.fileio import write_bytes

    buf = io.BytesIO()
    sf.write(buf, np.clip(audio, -1.0, 1.0), sample_rate, subtype="PCM_16", format="WAV")
    return write_bytes(path, buf.getvalue())
