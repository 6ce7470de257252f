"""Log-mel frames for machine-sound anomaly detection, computed as the anomaly sketch computes them on the board.

One frame every ``hop`` samples: ``n_fft`` samples (16-bit PCM / 32768) times a periodic Hann window, power
spectrum of bins 0..n_fft/2, a triangular (HTK) mel filterbank of ``n_mels`` channels between ``f_min`` and
``f_max``, then ``10 * log10(energy + 1e-10)`` (dB). Each channel is standardized with the training data's mean
and standard deviation, and ``frames`` consecutive frames are stacked into one model input (frame-major:
``vector[f * n_mels + m]``), as in the MLPerf Tiny anomaly-detection reference.

The sketch's ``log_mel.cpp`` does the same in single precision; the filterbank weights and the standardization
constants are rendered into its ``model_settings.h`` from these functions, and a test runs the C++ against this
module.
"""

from dataclasses import dataclass

import numpy as np

LOG_FLOOR = 1e-10


@dataclass(frozen=True)
class LogMelConfig:
    """Framing and filterbank of the features; the sketch is configured from the same values."""

    sample_rate: int = 16000
    n_fft: int = 512  # 32 ms window
    hop: int = 256  # a frame every 16 ms
    n_mels: int = 32
    f_min: float = 50.0
    f_max: float = 8000.0
    frames: int = 5  # consecutive frames stacked into one model input

    @property
    def bins(self) -> int:
        return self.n_fft // 2 + 1

    @property
    def dims(self) -> int:
        """Length of one model input vector."""
        return self.frames * self.n_mels

    def frame_count(self, samples: int) -> int:
        """Whole frames in a clip of ``samples`` samples (no padding)."""
        return 0 if samples < self.n_fft else 1 + (samples - self.n_fft) // self.hop

    def vector_count(self, samples: int) -> int:
        """Model inputs in a clip of ``samples`` samples."""
        return max(0, self.frame_count(samples) - self.frames + 1)


DEFAULT = LogMelConfig()


def hz_to_mel(f):
    return 2595.0 * np.log10(1.0 + np.asarray(f, dtype=np.float64) / 700.0)


def mel_to_hz(m):
    return 700.0 * (10.0 ** (np.asarray(m, dtype=np.float64) / 2595.0) - 1.0)


def mel_weights(config: LogMelConfig = DEFAULT) -> np.ndarray:
    """Triangular mel filterbank, (n_mels, bins) float32: channel m rises from edge m to m+1 and falls to m+2."""
    edges = mel_to_hz(np.linspace(hz_to_mel(config.f_min), hz_to_mel(config.f_max), config.n_mels + 2))
    freqs = np.arange(config.bins) * config.sample_rate / config.n_fft
    w = np.zeros((config.n_mels, config.bins))
    for m in range(config.n_mels):
        lo, mid, hi = edges[m], edges[m + 1], edges[m + 2]
        rise = (freqs - lo) / (mid - lo)
        fall = (hi - freqs) / (hi - mid)
        w[m] = np.clip(np.minimum(rise, fall), 0.0, None)
    return w.astype(np.float32)


def mel_bands(config: LogMelConfig = DEFAULT) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The filterbank in the sketch's sparse form: first bin and bin count per channel, and the weights in order."""
    w = mel_weights(config)
    starts, counts, weights = [], [], []
    for row in w:
        nz = np.flatnonzero(row)
        first, last = (int(nz[0]), int(nz[-1])) if len(nz) else (0, -1)
        starts.append(first)
        counts.append(last - first + 1)
        weights.extend(row[first : last + 1])
    return np.array(starts), np.array(counts), np.array(weights, dtype=np.float32)


def hann(n: int) -> np.ndarray:
    """Periodic Hann window of ``n`` samples."""
    return (0.5 - 0.5 * np.cos(2.0 * np.pi * np.arange(n) / n)).astype(np.float32)


def log_mel(audio: np.ndarray, config: LogMelConfig = DEFAULT) -> np.ndarray:
    """Log-mel frames (frames, n_mels) float32 in dB of a mono clip (float in [-1, 1] or int16 samples)."""
    audio = np.asarray(audio)
    if audio.dtype == np.int16:
        audio = audio.astype(np.float32) / 32768.0
    n = config.frame_count(len(audio))
    if n == 0:
        return np.zeros((0, config.n_mels), dtype=np.float32)
    index = np.arange(config.n_fft)[None, :] + config.hop * np.arange(n)[:, None]
    frames = audio.astype(np.float32)[index] * hann(config.n_fft)
    spectrum = np.fft.rfft(frames.astype(np.float64), axis=1)
    power = spectrum.real**2 + spectrum.imag**2
    energy = power @ mel_weights(config).astype(np.float64).T
    return (10.0 * np.log10(energy + LOG_FLOOR)).astype(np.float32)


@dataclass
class Standardizer:
    """Per-channel mean and standard deviation of training log-mel frames (dB)."""

    mean: np.ndarray
    std: np.ndarray

    @classmethod
    def fit(cls, frames: list[np.ndarray]) -> "Standardizer":
        allf = np.concatenate(frames).astype(np.float64)
        return cls(allf.mean(axis=0).astype(np.float32), np.maximum(allf.std(axis=0), 1e-3).astype(np.float32))

    def __call__(self, frames: np.ndarray) -> np.ndarray:
        return ((frames - self.mean) / self.std).astype(np.float32)


def stack(frames: np.ndarray, count: int) -> np.ndarray:
    """Consecutive ``count`` frames as vectors (n - count + 1, count * channels), frame-major."""
    n, channels = frames.shape
    if n < count:
        return np.zeros((0, count * channels), dtype=frames.dtype)
    windows = np.lib.stride_tricks.sliding_window_view(frames, (count, channels))[:, 0]
    return np.ascontiguousarray(windows.reshape(n - count + 1, count * channels))


def clip_vectors(audio: np.ndarray, norm: Standardizer, config: LogMelConfig = DEFAULT) -> np.ndarray:
    """The model inputs of a clip: standardized log-mel frames, stacked."""
    return stack(norm(log_mel(audio, config)), config.frames)
