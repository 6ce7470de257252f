"""Rooms, microphones, levels and voices for augmentation (datatools/acoustics.py and augment_clips)."""

import numpy as np

from tinymlkit.datatools import acoustics
from tinymlkit.datatools.augment import AudioAugment, augment_clips

SR = 16_000


def band_energy(audio: np.ndarray, low: float, high: float) -> float:
    spectrum = np.abs(np.fft.rfft(audio)) ** 2
    hz = np.fft.rfftfreq(len(audio), 1 / SR)
    return float(spectrum[(hz >= low) & (hz < high)].sum() / spectrum.sum())


def test_room_responses_are_seeded_rooms_with_a_tail():
    rooms = acoustics.room_impulse_responses(5, seed=1, sample_rate=SR)
    again = acoustics.room_impulse_responses(5, seed=1, sample_rate=SR)
    assert len(rooms) == 5 and all(np.array_equal(a, b) for a, b in zip(rooms, again, strict=True))
    for h in rooms:
        assert len(h) <= SR and np.max(np.abs(h)) == 1.0
        direct = int(np.argmax(np.abs(h)))
        assert np.sum(h[direct + 80 :] ** 2) > 0.05 * np.sum(h**2)  # echoes after the first 5 ms


def test_reverberation_keeps_length_and_loudness_and_smears_a_click():
    click = np.zeros(SR, np.float32)
    click[4000] = 0.5
    h = acoustics.room_impulse_responses(1, seed=2, sample_rate=SR)[0]
    wet = acoustics.reverberate(click, h)
    assert wet.shape == click.shape and np.isclose(np.std(wet), np.std(click), rtol=1e-3)
    assert np.argmax(np.abs(wet)) == 4000  # aligned on the direct sound
    assert np.count_nonzero(np.abs(wet) > 1e-4) > 1000


def test_microphones_cut_the_band_of_their_kind():
    rng = np.random.default_rng(0)
    noise = np.random.default_rng(1).normal(0, 0.1, SR).astype(np.float32)
    high = [band_energy(acoustics.microphone(noise, rng, SR), 5000, 8000) for _ in range(60)]
    assert band_energy(noise, 5000, 8000) > 0.3
    assert sum(h < 0.01 for h in high) >= 15  # telephone and codec kinds: nothing left above 5 kHz
    assert sum(h > 0.3 for h in high) >= 3  # flat: untouched


def test_level_spans_quiet_to_clipped():
    rng = np.random.default_rng(0)
    tone = (0.3 * np.sin(np.arange(SR) / 5)).astype(np.float32)
    peaks = [float(np.max(np.abs(acoustics.level(tone, rng)))) for _ in range(200)]
    assert min(peaks) < 0.02 and max(peaks) == 1.0
    assert np.all(acoustics.level(np.zeros(10, np.float32), rng) == 0)


def test_acoustic_augmentation_is_seeded_and_off_by_default():
    rng = np.random.default_rng(3)
    clips = (rng.normal(0, 0.1, (4, SR)) * np.hanning(SR)).astype(np.float32)
    plain = AudioAugment(shift_ms=0, noise_probability=0, copies=1)
    assert np.array_equal(augment_clips(clips, [], plain, SR, seed=0), clips)
    rich = AudioAugment(shift_ms=0, noise_probability=0, copies=2, voice=1.0, room=1.0, microphone=1.0, level=True)
    a = augment_clips(clips, [], rich, SR, seed=0)
    assert a.shape == (8, SR) and a.dtype == np.float32
    assert np.array_equal(a, augment_clips(clips, [], rich, SR, seed=0))
    assert not np.allclose(a[:4], clips, atol=1e-3)
