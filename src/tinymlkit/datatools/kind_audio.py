"""Keyword audio clips (WAV, Speech Commands layout) as a data-tools kind: reading, checks, features, drawing.

The features here are for auditing only (plain NumPy log band energies, fast, no TensorFlow); the models are
trained on the device's micro_speech features.
"""

from pathlib import Path

import numpy as np
import soundfile as sf

from tinymlkit.apps.kws.data import SILENCE
from tinymlkit.data.audio import SAMPLE_RATE, read_audio, write_wav
from tinymlkit.datatools.augment import AUDIO_OPS
from tinymlkit.datatools.kinds import Clip, DataKind
from tinymlkit.errors import TinyMLError

SILENT_PEAK = 0.01  # -40 dBFS: nothing was recorded
FULL_SCALE = 0.995
CLIPPED_SHARE = 0.002  # more than 0.2 % of samples at full scale
BANDS = 32
FINGERPRINT_FRAMES = 49


def duration(path: Path) -> tuple[float, float]:
    """(seconds, sample rate) from the WAV header."""
    try:
        info = sf.info(str(path))
    except Exception as exc:
        raise TinyMLError(
            f"cannot read {path} as audio ({str(exc).splitlines()[0][:60]}); use 16-bit PCM WAV"
        ) from None
    return info.frames / info.samplerate, float(info.samplerate)


def band_energies(audio: np.ndarray) -> np.ndarray:
    """Log10 energies (frames, 32) of 30 ms windows every 20 ms in 32 mel-spaced bands, 16 kHz audio."""
    frame, hop, n_fft = 480, 320, 512
    if len(audio) < frame:
        audio = np.pad(audio, (0, frame - len(audio)))
    frames = np.lib.stride_tricks.sliding_window_view(audio.astype(np.float64), frame)[::hop] * np.hanning(frame)
    power = np.abs(np.fft.rfft(frames, n_fft)) ** 2
    return np.log10(power @ _mel_filters(n_fft).T + 1e-10)


def _mel_filters(n_fft: int) -> np.ndarray:
    def mel(f):
        return 2595 * np.log10(1 + f / 700)

    edges = 700 * (10 ** (np.linspace(mel(60.0), mel(7600.0), BANDS + 2) / 2595) - 1)
    freqs = np.fft.rfftfreq(n_fft, 1 / SAMPLE_RATE)
    lo, mid, hi = edges[:-2, None], edges[1:-1, None], edges[2:, None]
    return np.maximum(0, np.minimum((freqs - lo) / (mid - lo), (hi - freqs) / (hi - mid)))


def fingerprint(bands: np.ndarray, frames: int = FINGERPRINT_FRAMES) -> np.ndarray:
    """A gain-independent unit vector picturing the whole clip (30 dB below its loudest band floored)."""
    floored = np.maximum(bands, bands.max() - 3.0)
    t = np.linspace(0, len(floored) - 1, frames)
    resampled = np.stack([np.interp(t, np.arange(len(floored)), floored[:, b]) for b in range(BANDS)], axis=1)
    v = resampled.ravel() - resampled.mean()
    norm = np.linalg.norm(v)
    return v / norm if norm > 0 else v


def inspect(path: Path) -> Clip:
    """Read one clip and judge it: silent, clipped, sample rate."""
    seconds, rate = duration(path)
    raw, _ = sf.read(str(path), dtype="float32", always_2d=True)
    raw = raw.mean(axis=1)
    audio = read_audio(path, SAMPLE_RATE)
    bands = band_energies(audio)
    features = np.concatenate([bands.mean(axis=0), bands.std(axis=0)])
    problems = []
    peak = float(np.max(np.abs(raw))) if raw.size else 0.0
    if peak < SILENT_PEAK:
        level = f"{20 * np.log10(peak):.0f} dBFS" if peak > 0 else "digital silence"
        problems.append(("silent", f"peak {level}", "re-record it (or move it to silence/ if it is meant as silence)"))
    share = float(np.mean(np.abs(raw) >= FULL_SCALE)) if raw.size else 0.0
    if share > CLIPPED_SHARE:
        problems.append(
            (
                "clipped",
                f"{100 * share:.1f} % of samples at full scale",
                "re-record with less gain or further from the microphone",
            )
        )
    if rate != SAMPLE_RATE:
        problems.append(
            ("sample rate", f"{rate:g} Hz (resampled to 16 kHz when loading)", "record or convert at 16 kHz mono")
        )
    return Clip(seconds, rate, features, fingerprint(bands), problems)


def draw(ax, path: Path) -> None:
    """A clip's band-energy spectrogram (time left to right, low bands at the bottom)."""
    bands = band_energies(read_audio(path, SAMPLE_RATE))
    ax.imshow(bands.T, origin="lower", aspect="auto", cmap="magma", vmin=bands.max() - 6, vmax=bands.max())


AUDIO = DataKind(
    name="audio",
    suffixes=(".wav",),
    group_word="speaker",
    inspect=inspect,
    duration=duration,
    expected_duration_s=1.0,
    draw=draw,
    quiet_labels=(SILENCE,),
    read=read_audio,
    write=write_wav,
    augmenters=AUDIO_OPS,
)
