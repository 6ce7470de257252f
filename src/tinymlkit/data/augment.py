"""Audio augmentation for training: time shift and background-noise mixing (the speech_commands recipe's).

Applied to training clips only, with a seeded generator, so the same command gives the same model.
"""

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class AudioAugment:
    """Shift each clip by up to ``shift_ms`` and mix background noise into a ``noise_probability`` share of
    clips at a volume drawn from [0, ``noise_volume``]; ``copies`` augmented copies of the training set."""

    shift_ms: int = 100
    noise_probability: float = 0.8
    noise_volume: float = 0.1
    copies: int = 1


def time_shift(clip: np.ndarray, max_shift: int, rng: np.random.Generator) -> np.ndarray:
    """Shift a clip left or right by up to ``max_shift`` samples, zero-filling the gap."""
    if max_shift <= 0:
        return clip
    shift = int(rng.integers(-max_shift, max_shift + 1))
    out = np.zeros_like(clip)
    if shift >= 0:
        out[shift:] = clip[: len(clip) - shift]
    else:
        out[:shift] = clip[-shift:]
    return out


def mix_noise(clip: np.ndarray, noise: list[np.ndarray], volume: float, rng: np.random.Generator) -> np.ndarray:
    """Add a random segment of a random noise recording at ``volume``, clipped to [-1, 1]."""
    usable = [n for n in noise if len(n) >= len(clip)]
    if not usable or volume <= 0:
        return clip
    n = usable[rng.integers(len(usable))]
    start = rng.integers(len(n) - len(clip) + 1)
    return np.clip(clip + volume * n[start : start + len(clip)], -1.0, 1.0).astype(np.float32)


def augment_clips(
    clips: np.ndarray, noise: list[np.ndarray], config: AudioAugment, sample_rate: int, seed: int
) -> np.ndarray:
    """``config.copies`` augmented versions of every clip, stacked copy after copy."""
    rng = np.random.default_rng(seed)
    max_shift = sample_rate * config.shift_ms // 1000
    out = []
    for _ in range(config.copies):
        for clip in clips:
            c = time_shift(clip, max_shift, rng)
            if rng.random() < config.noise_probability:
                c = mix_noise(c, noise, float(rng.uniform(0, config.noise_volume)), rng)
            out.append(c)
    return np.stack(out).astype(np.float32) if out else np.zeros((0, clips.shape[1]), np.float32)
