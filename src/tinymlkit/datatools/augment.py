"""Augmentation. For training: time shift and background-noise mixing (the speech_commands recipe's), applied
to training clips only, with a seeded generator, so the same command gives the same model.

For ``tinyml data augment`` (new files on disk, every parameter recorded): single-example operations for audio
(noise, shift, gain, speed, pitch) and IMU recordings (rotate, scale, noise), in :data:`AUDIO_OPS` and
:data:`IMU_OPS`.
"""

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from tinymlkit.data.audio import SAMPLE_RATE


@dataclass(frozen=True)
class AudioAugment:
    """Shift each clip by up to ``shift_ms`` and mix background noise into a ``noise_probability`` share of
    clips at a volume drawn from [0, ``noise_volume``]; ``copies`` augmented copies of the training set.

    The other changes (:mod:`tinymlkit.datatools.acoustics`), off by default, each for its share of clips:
    ``voice``: another vocal tract length (resampled by 0.88-1.15); ``room``: reverberation in a random room;
    ``microphone``: a telephone, codec, laptop or cheap microphone's band; ``level``: a random level, clipped."""

    shift_ms: int = 100
    noise_probability: float = 0.8
    noise_volume: float = 0.1
    copies: int = 1
    voice: float = 0.0
    room: float = 0.0
    microphone: float = 0.0
    level: bool = False


def time_shift(clip: np.ndarray, max_shift: int, rng: np.random.Generator) -> np.ndarray:
    """Shift a clip left or right by up to ``max_shift`` samples, zero-filling the gap."""
    if max_shift <= 0:
        return clip
    return shifted(clip, int(rng.integers(-max_shift, max_shift + 1)))


def shifted(clip: np.ndarray, shift: int) -> np.ndarray:
    """``clip`` moved ``shift`` samples later (earlier if negative), zero-filling the gap."""
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
    from tinymlkit.datatools import acoustics

    rng = np.random.default_rng(seed)
    max_shift = sample_rate * config.shift_ms // 1000
    rooms = acoustics.room_impulse_responses(200, seed, sample_rate) if config.room else []
    out = []
    for _ in range(config.copies):
        for clip in clips:
            if config.voice and rng.random() < config.voice:
                clip = resampled(clip, _percent_step(rng.uniform(0.88, 1.15)), sample_rate)
            c = time_shift(clip, max_shift, rng)
            if rooms and rng.random() < config.room:
                c = acoustics.reverberate(c, rooms[rng.integers(len(rooms))])
            if config.microphone and rng.random() < config.microphone:
                c = acoustics.microphone(c, rng, sample_rate)
            if config.level:
                c = acoustics.level(c, rng)
            if rng.random() < config.noise_probability:
                c = mix_noise(c, noise, float(rng.uniform(0, config.noise_volume)), rng)
            out.append(c)
    return np.stack(out).astype(np.float32) if out else np.zeros((0, clips.shape[1]), np.float32)


# Single-example operations for ``tinyml data augment``: each takes an example and a seeded generator and returns
# the new example and the parameters it drew (recorded in the augmentation manifest).

Op = Callable[[np.ndarray, np.random.Generator, dict], tuple[np.ndarray, dict]]


def shift_op(clip: np.ndarray, rng: np.random.Generator, context: dict) -> tuple[np.ndarray, dict]:
    """Time shift by up to 100 ms either way."""
    shift = int(rng.integers(-SAMPLE_RATE // 10, SAMPLE_RATE // 10 + 1))
    return shifted(clip, shift), {"shift_ms": round(1000 * shift / SAMPLE_RATE, 1)}


def gain_op(clip: np.ndarray, rng: np.random.Generator, context: dict) -> tuple[np.ndarray, dict]:
    """Louder or quieter by up to 6 dB (clipped to [-1, 1])."""
    db = float(rng.uniform(-6.0, 6.0))
    return np.clip(clip * 10 ** (db / 20), -1.0, 1.0), {"gain_db": round(db, 2)}


def noise_op(clip: np.ndarray, rng: np.random.Generator, context: dict) -> tuple[np.ndarray, dict]:
    """Background noise at a signal-to-noise ratio of 5-20 dB: a random stretch of the data set's own
    background recordings, or synthesized noise (white, pink, brown, hum, fan) when it has none."""
    from tinymlkit.data import noise as noises

    snr = float(rng.uniform(5.0, 20.0))
    usable = [n for n in context.get("noise", []) if len(n) >= len(clip)]
    if usable:
        k = int(rng.integers(len(usable)))
        start = int(rng.integers(len(usable[k]) - len(clip) + 1))
        background, source = usable[k][start : start + len(clip)], f"background {k}"
    else:
        source = str(rng.choice(sorted(noises.GENERATORS)))
        background = noises.GENERATORS[source](len(clip), rng, SAMPLE_RATE)
    level = noises.rms_db(clip)
    if not np.isfinite(level):
        return clip, {"noise": "skipped (silent clip)"}
    mixed = clip + noises.at_level(background, level - snr, peak=1.0)
    return np.clip(mixed, -1.0, 1.0).astype(np.float32), {"noise": source, "snr_db": round(snr, 1)}


def speed_op(clip: np.ndarray, rng: np.random.Generator, context: dict) -> tuple[np.ndarray, dict]:
    """Faster or slower by up to 10 % (pitch moves with it, as on tape), kept at the clip's length."""
    factor = _percent_step(rng.uniform(0.9, 1.1))
    return resampled(clip, factor), {"speed": factor}


def resampled(clip: np.ndarray, factor: float, sample_rate: int = SAMPLE_RATE) -> np.ndarray:
    """``clip`` played ``factor`` times faster (pitch and formants move with it), centred at its length."""
    from tinymlkit.data.audio import resample

    return _centred(resample(clip, int(round(sample_rate * factor)), sample_rate), len(clip))


def pitch_op(clip: np.ndarray, rng: np.random.Generator, context: dict) -> tuple[np.ndarray, dict]:
    """Pitch up or down by up to 2 semitones at the same speed (resampled, then stretched back by overlap-add)."""
    from tinymlkit.data.audio import resample

    factor = _percent_step(2 ** (rng.uniform(-2.0, 2.0) / 12))
    higher = resample(clip, int(round(SAMPLE_RATE * factor)), SAMPLE_RATE)
    semitones = round(12 * float(np.log2(factor)), 2)
    return _centred(time_stretch(higher, len(clip)), len(clip)), {"pitch_semitones": semitones}


def _percent_step(factor: float) -> float:
    """``factor`` rounded to whole percent, so resampling uses small polyphase ratios (fast)."""
    return round(float(factor), 2)


def _centred(audio: np.ndarray, length: int) -> np.ndarray:
    """``audio`` padded or cropped evenly at both ends to ``length`` samples."""
    extra = len(audio) - length
    if extra < 0:
        return np.pad(audio, (-extra // 2, -extra - -extra // 2)).astype(np.float32)
    return audio[extra // 2 : extra // 2 + length].astype(np.float32)


def time_stretch(audio: np.ndarray, length: int, frame: int = 512) -> np.ndarray:
    """``audio`` stretched or squeezed to ``length`` samples without changing its pitch (Hann overlap-add)."""
    hop_out = frame // 4
    frames = max(1, (length - frame) // hop_out + 1)
    hop_in = (len(audio) - frame) / max(1, frames - 1)
    window = np.hanning(frame)
    out = np.zeros(length + frame)
    weight = np.zeros(length + frame)
    padded = np.pad(audio, (0, frame))
    for i in range(frames):
        start = int(round(i * hop_in))
        out[i * hop_out : i * hop_out + frame] += padded[start : start + frame] * window
        weight[i * hop_out : i * hop_out + frame] += window
    return (out[:length] / np.maximum(weight[:length], 1e-3)).astype(np.float32)


def imu_rotate_op(rec: np.ndarray, rng: np.random.Generator, context: dict) -> tuple[np.ndarray, dict]:
    """The board held up to 15 degrees differently: accelerometer and gyroscope rotated about a random axis."""
    axis = rng.normal(size=3)
    axis /= np.linalg.norm(axis)
    angle = np.radians(rng.uniform(-15.0, 15.0))
    k = np.array([[0, -axis[2], axis[1]], [axis[2], 0, -axis[0]], [-axis[1], axis[0], 0]])
    rotation = np.eye(3) + np.sin(angle) * k + (1 - np.cos(angle)) * k @ k
    out = rec.copy()
    out[:, 1:4] = rec[:, 1:4] @ rotation.T
    out[:, 4:7] = rec[:, 4:7] @ rotation.T
    return out, {"rotate_deg": round(float(np.degrees(angle)), 2), "axis": [round(float(a), 3) for a in axis]}


def imu_scale_op(rec: np.ndarray, rng: np.random.Generator, context: dict) -> tuple[np.ndarray, dict]:
    """A gesture drawn up to 20 % bigger or smaller (gyroscope rates scaled)."""
    factor = float(rng.uniform(0.8, 1.2))
    out = rec.copy()
    out[:, 4:7] *= factor
    return out, {"scale": round(factor, 3)}


def imu_noise_op(rec: np.ndarray, rng: np.random.Generator, context: dict) -> tuple[np.ndarray, dict]:
    """Sensor noise: 0.01 g on the accelerometer, 2 degrees/second on the gyroscope (standard deviations)."""
    out = rec.copy()
    out[:, 1:4] += rng.normal(0.0, 0.01, size=(len(rec), 3))
    out[:, 4:7] += rng.normal(0.0, 2.0, size=(len(rec), 3))
    return out, {"accel_noise_g": 0.01, "gyro_noise_dps": 2.0}


AUDIO_OPS: dict[str, Op] = {"noise": noise_op, "shift": shift_op, "gain": gain_op, "speed": speed_op, "pitch": pitch_op}
IMU_OPS: dict[str, Op] = {"rotate": imu_rotate_op, "scale": imu_scale_op, "noise": imu_noise_op}
