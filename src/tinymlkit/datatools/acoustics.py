"""Rooms, microphones and voices for audio augmentation: what stands between a speaker and a device's features.

Built-in voices are clean, full-band and spoken into no room. A real keyword arrives through a room (echo), a
microphone or a telephone line (a band of frequencies, uneven), at an unknown level (sometimes clipped), from a
vocal tract of another length. Each function here draws one such change with a seeded generator:

- :func:`room_impulse_responses`: impulse responses of random shoebox rooms (reverberation time 0.15-0.8 s),
  simulated with ``pyroomacoustics``'s image-source method; :func:`reverberate` applies one;
- :func:`microphone`: a band-pass response of a named kind of input (telephone line, 8 kHz codec, laptop or cheap
  microphone, or flat) with a random peak or dip of up to 6 dB in the speech band;
- :func:`level`: a random level from -40 dB to +6 dB of full scale, clipped like an overdriven input.

:func:`tinymlkit.datatools.augment.augment_clips` applies them, with a change of vocal tract length (the clip
resampled, moving pitch and formants together), to training clips.
"""

import numpy as np
from scipy import signal

MICROPHONES = {
    "telephone": (300.0, 3400.0, 0.25),
    "8 kHz codec": (60.0, 3800.0, 0.25),
    "laptop": (120.0, 7000.0, 0.2),
    "cheap": (250.0, 5000.0, 0.15),
    "flat": (None, None, 0.15),
}
"""Kinds of input: (low cut Hz, high cut Hz, share of clips). The real speakers of benchmarks/real_world.py are
8 kHz telephone prompts: a model that has only heard full-band voices has never seen their empty upper channels."""


def room_impulse_responses(count: int, seed: int, sample_rate: int) -> list[np.ndarray]:
    """``count`` impulse responses (at most 1 s long, peak 1) of random rooms 3-10 m by 3-8 m by 2.4-3.5 m, with
    a reverberation time of 0.15-0.8 s and the source and microphone at random places."""
    import pyroomacoustics as pra

    rng = np.random.default_rng(seed)
    out = []
    while len(out) < count:
        size = np.array([rng.uniform(3, 10), rng.uniform(3, 8), rng.uniform(2.4, 3.5)])
        try:
            absorption, max_order = pra.inverse_sabine(rng.uniform(0.15, 0.8), size)
        except ValueError:  # a reverberation time the room cannot have
            continue
        room = pra.ShoeBox(size, fs=sample_rate, materials=pra.Material(absorption), max_order=min(max_order, 12))
        room.add_source(rng.uniform(0.5, size - 0.5))
        room.add_microphone(rng.uniform(0.5, size - 0.5))
        room.compute_rir()
        response = np.asarray(room.rir[0][0], dtype=np.float64)[:sample_rate]
        out.append((response / np.max(np.abs(response))).astype(np.float32))
    return out


def reverberate(clip: np.ndarray, response: np.ndarray) -> np.ndarray:
    """``clip`` heard in the room of ``response``: aligned on the direct sound, at the clip's loudness."""
    direct = int(np.argmax(np.abs(response)))
    wet = signal.fftconvolve(clip, response)[direct : direct + len(clip)]
    return (wet * (np.std(clip) + 1e-9) / (np.std(wet) + 1e-9)).astype(np.float32)


def microphone(clip: np.ndarray, rng: np.random.Generator, sample_rate: int) -> np.ndarray:
    """``clip`` through a random kind of input from :data:`MICROPHONES`, its band edges moved by up to 30 %."""
    kinds = list(MICROPHONES)
    low, high, _ = MICROPHONES[kinds[rng.choice(len(kinds), p=[share for *_, share in MICROPHONES.values()])]]
    if low is None:
        return clip
    low *= rng.uniform(0.7, 1.3)
    high = min(high * rng.uniform(0.85, 1.1), 0.49 * sample_rate)
    band = signal.butter(int(rng.integers(2, 7)), [low, high], "bandpass", fs=sample_rate, output="sos")
    out = signal.sosfilt(band, clip)
    return peaking(out, rng.uniform(300, 3000), rng.uniform(-6, 6), rng.uniform(0.7, 2.0), sample_rate)


def peaking(audio: np.ndarray, hz: float, gain_db: float, q: float, sample_rate: int) -> np.ndarray:
    """A peaking equalizer: ``gain_db`` at ``hz`` with quality ``q`` (the audio EQ cookbook's biquad)."""
    a = 10 ** (gain_db / 40)
    w = 2 * np.pi * hz / sample_rate
    alpha = np.sin(w) / (2 * q)
    b = [1 + alpha * a, -2 * np.cos(w), 1 - alpha * a]
    den = [1 + alpha / a, -2 * np.cos(w), 1 - alpha / a]
    return signal.lfilter(b, den, audio).astype(np.float32)


def level(clip: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """``clip`` with its peak at -40 dB to +6 dB of full scale, clipped to [-1, 1]."""
    peak = float(np.max(np.abs(clip)))
    if peak == 0:
        return clip
    return np.clip(clip * 10 ** rng.uniform(-2, 0.3) / peak, -1, 1).astype(np.float32)
