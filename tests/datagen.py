"""Small data sets made on the fly for tests."""

from pathlib import Path

import numpy as np


def write_tone_dataset(root: Path, words=("yes", "no", "up", "down"), speakers=12, takes=3, seed=0) -> Path:
    """A tiny Speech Commands-layout folder where each word is a distinct chirp (learnable in a few epochs)."""
    import soundfile as sf

    rng = np.random.default_rng(seed)
    sweeps = [(600, 900), (1500, 1200), (300, 300), (2500, 2500), (800, 3000), (4000, 2000)]
    for w, (f0, f1) in zip(words, sweeps, strict=False):
        (root / w).mkdir(parents=True, exist_ok=True)
        for spk in range(speakers):
            for k in range(takes):
                audio = 0.004 * rng.standard_normal(16000)
                length = int(rng.integers(4000, 8000))
                start = int(rng.integers(0, 16000 - length))
                freq = np.linspace(f0, f1, length) * (1 + 0.03 * rng.standard_normal())
                audio[start : start + length] += 0.3 * np.sin(2 * np.pi * np.cumsum(freq) / 16000) * np.hanning(length)
                sf.write(root / w / f"spk{spk:03d}_nohash_{k}.wav", audio, 16000, subtype="PCM_16")
    (root / "_background_noise_").mkdir(parents=True, exist_ok=True)
    sf.write(root / "_background_noise_" / "white.wav", 0.2 * rng.standard_normal(16000 * 5), 16000, subtype="PCM_16")
    return root
