"""Synthesized background noises for keyword-spotting data: white, pink, brown, room hum, fan and babble.

Every generator takes a length in samples and a NumPy random generator and returns float32 audio with an RMS
of 1 (scale it with :func:`at_level`), so the same seed gives the same noise. Babble needs speech, so
:func:`babble` mixes speech streams it is given (:mod:`tinymlkit.apps.kws.synth` makes them with eSpeak NG).
"""

from collections.abc import Callable, Sequence

import numpy as np

NoiseFn = Callable[[int, np.random.Generator, int], np.ndarray]


def _unit_rms(x: np.ndarray) -> np.ndarray:
    x = x - x.mean()
    rms = float(np.sqrt(np.mean(x.astype(np.float64) ** 2)))
    return (x / rms if rms > 0 else x).astype(np.float32)


def _shaped(n: int, rng: np.random.Generator, sample_rate: int, gain: Callable[[np.ndarray], np.ndarray]) -> np.ndarray:
    """White Gaussian noise filtered in the frequency domain by ``gain(frequency_hz)``."""
    spectrum = np.fft.rfft(rng.standard_normal(n))
    spectrum *= gain(np.fft.rfftfreq(n, 1.0 / sample_rate))
    return _unit_rms(np.fft.irfft(spectrum, n))


def white(n: int, rng: np.random.Generator, sample_rate: int = 16000) -> np.ndarray:
    """Flat-spectrum Gaussian noise."""
    return _unit_rms(rng.standard_normal(n))


def pink(n: int, rng: np.random.Generator, sample_rate: int = 16000) -> np.ndarray:
    """1/f noise (-3 dB per octave), from 20 Hz up."""
    return _shaped(n, rng, sample_rate, lambda f: 1.0 / np.sqrt(np.maximum(f, 20.0)))


def brown(n: int, rng: np.random.Generator, sample_rate: int = 16000) -> np.ndarray:
    """1/f^2 ("red") noise (-6 dB per octave), rolled off below 20 Hz so it does not drift."""
    return _shaped(n, rng, sample_rate, lambda f: 1.0 / np.maximum(f, 20.0))


def hum(n: int, rng: np.random.Generator, sample_rate: int = 16000) -> np.ndarray:
    """Room tone with mains hum: 50 or 60 Hz and its harmonics (strongest at twice mains, as transformers hum),
    with a slow amplitude wobble, over a quiet pink-noise floor."""
    mains = float(rng.choice([50.0, 60.0]))
    t = np.arange(n) / sample_rate
    out = np.zeros(n)
    for k in range(1, 12):
        f = k * mains
        if f >= sample_rate / 2:
            break
        level = (1.0 if k == 2 else 0.6 / k) * rng.uniform(0.5, 1.0)
        wobble = 1.0 + 0.1 * np.sin(2 * np.pi * rng.uniform(0.05, 0.3) * t + rng.uniform(0, 2 * np.pi))
        out += level * wobble * np.sin(2 * np.pi * f * t + rng.uniform(0, 2 * np.pi))
    return _unit_rms(_unit_rms(out) + 0.3 * pink(n, rng, sample_rate))


def fan(n: int, rng: np.random.Generator, sample_rate: int = 16000) -> np.ndarray:
    """A fan or machine: low-passed broadband air noise, a blade-pass tone with harmonics that rises and falls
    with the rotation, and a faint motor whine."""
    t = np.arange(n) / sample_rate
    corner = rng.uniform(300.0, 900.0)
    air = _shaped(n, rng, sample_rate, lambda f: 1.0 / np.sqrt(1.0 + (np.maximum(f, 30.0) / corner) ** 2))
    rotation = rng.uniform(8.0, 25.0)  # revolutions per second
    blades = int(rng.integers(3, 8))
    blade_pass = rotation * blades
    tones = np.zeros(n)
    for k in range(1, 6):
        tones += (0.7**k) * np.sin(2 * np.pi * k * blade_pass * t + rng.uniform(0, 2 * np.pi))
    tones *= 1.0 + 0.3 * np.sin(2 * np.pi * rotation * t)
    whine = np.sin(2 * np.pi * rng.uniform(800.0, 2500.0) * t)
    return _unit_rms(air + 0.5 * _unit_rms(tones) + 0.05 * whine)


def babble(streams: Sequence[np.ndarray], n: int, rng: np.random.Generator) -> np.ndarray:
    """Crowd babble: several speech streams, each looped to ``n`` samples from a random start and given a random
    gain, summed. More streams sound more like a crowd and less like one talker."""
    usable = [s for s in streams if len(s)]
    if not usable:
        raise ValueError("babble needs at least one non-empty speech stream")
    out = np.zeros(n)
    for stream in usable:
        start = int(rng.integers(len(stream)))
        looped = np.resize(np.roll(stream, -start), n)
        out += _unit_rms(looped) * rng.uniform(0.5, 1.0)
    return _unit_rms(out)


GENERATORS: dict[str, NoiseFn] = {"white": white, "pink": pink, "brown": brown, "hum": hum, "fan": fan}
"""The noises that need no speech, by name."""


def at_level(x: np.ndarray, rms_db: float, peak: float = 0.99) -> np.ndarray:
    """``x`` scaled to an RMS of ``rms_db`` dB full scale, then lowered if needed so no sample exceeds ``peak``."""
    x = x.astype(np.float32)
    rms = float(np.sqrt(np.mean(x.astype(np.float64) ** 2))) if x.size else 0.0
    if rms == 0.0:
        return x
    y = x * np.float32(10 ** (rms_db / 20) / rms)
    top = float(np.max(np.abs(y)))
    return y * np.float32(peak / top) if top > peak else y


def rms_db(x: np.ndarray) -> float:
    """RMS level in dB full scale (-inf for silence)."""
    rms = float(np.sqrt(np.mean(np.asarray(x, dtype=np.float64) ** 2))) if np.size(x) else 0.0
    return 20 * np.log10(rms) if rms > 0 else float("-inf")
