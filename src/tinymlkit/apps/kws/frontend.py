"""Keyword-spotting features exactly as the device computes them: TFLM's micro_speech audio frontend.

TensorFlow's ``audio_microfrontend`` op is the same C code as the microcontroller's feature generator (FFT,
40-channel mel filterbank, noise reduction, PCAN gain control, log scaling). As in TensorFlow's speech_commands
recipe ("micro" preprocessing), its 16-bit outputs are scaled by 10/256 to floats in roughly [0, 26]:
one second of 16 kHz audio gives 49 frames x 40 channels.
"""

from dataclasses import dataclass

import numpy as np

from tinymlkit.progress import ProgressCallback, silent, track


@dataclass(frozen=True)
class FrontendConfig:
    """Parameters of the micro frontend; the defaults are the micro_speech firmware's (and the generated
    sketch is configured from these same values)."""

    sample_rate: int = 16000
    window_ms: int = 30
    stride_ms: int = 20
    channels: int = 40
    lower_band_hz: float = 125.0
    upper_band_hz: float = 7500.0
    smoothing_bits: int = 10
    even_smoothing: float = 0.025
    odd_smoothing: float = 0.06
    min_signal_remaining: float = 0.05
    pcan_strength: float = 0.95
    pcan_offset: float = 80.0
    gain_bits: int = 21
    scale_shift: int = 6
    clip_ms: int = 1000
    scale: float = 10.0 / 256.0

    @property
    def frames(self) -> int:
        """Feature frames per clip: 49 for one second."""
        clip = self.sample_rate * self.clip_ms // 1000
        window = self.sample_rate * self.window_ms // 1000
        stride = self.sample_rate * self.stride_ms // 1000
        return 1 + (clip - window) // stride

    @property
    def shape(self) -> tuple[int, int]:
        return (self.frames, self.channels)


MICRO_SPEECH = FrontendConfig()


def to_int16(audio: np.ndarray) -> np.ndarray:
    """Float audio in [-1, 1] to the 16-bit PCM samples a microphone delivers (saturating)."""
    return np.clip(np.asarray(audio, dtype=np.float64) * 32768.0, -32768, 32767).astype(np.int16)


def frontend(audio: np.ndarray, config: FrontendConfig = MICRO_SPEECH) -> np.ndarray:
    """Features of a mono clip or a whole stream: (frames, channels) float32, scaled as in training.

    A stream is processed in one pass with the frontend's state (noise estimate, gain) carried along, which
    is what a device running continuously does.
    """
    import tensorflow as tf
    from tensorflow.lite.experimental.microfrontend.python.ops import audio_microfrontend_op as op

    features = op.audio_microfrontend(
        tf.constant(to_int16(audio)),
        sample_rate=config.sample_rate,
        window_size=config.window_ms,
        window_step=config.stride_ms,
        num_channels=config.channels,
        lower_band_limit=config.lower_band_hz,
        upper_band_limit=config.upper_band_hz,
        smoothing_bits=config.smoothing_bits,
        even_smoothing=config.even_smoothing,
        odd_smoothing=config.odd_smoothing,
        min_signal_remaining=config.min_signal_remaining,
        enable_pcan=True,
        pcan_strength=config.pcan_strength,
        pcan_offset=config.pcan_offset,
        gain_bits=config.gain_bits,
        enable_log=True,
        scale_shift=config.scale_shift,
        out_scale=1,
        out_type=tf.float32,
    )
    return features.numpy() * np.float32(config.scale)


def micro_features(
    clips: np.ndarray,
    config: FrontendConfig = MICRO_SPEECH,
    warmup_ms: int = 1000,
    progress: ProgressCallback = silent,
) -> np.ndarray:
    """Features of separate 1 s clips: (n, frames, channels).

    A device listens continuously, so when a word arrives its frontend has settled on the room's noise (noise
    estimate, PCAN gain). Each clip is therefore processed after ``warmup_ms`` of its own background: its
    quietest 100 ms, repeated. ``warmup_ms=0`` starts every clip from a fresh frontend state instead, as
    TensorFlow's speech_commands recipe does (features then run about twice as high as on a listening device).
    For training sets use :func:`listening_features`, which also reproduces what a word leaves behind.
    """
    out = np.empty((len(clips), *config.shape), dtype=np.float32)
    for i, clip in enumerate(track(clips, "Computing micro features", progress)):
        out[i] = frontend(np.concatenate([background_of(clip, warmup_ms, config.sample_rate), clip]), config)[
            -config.frames :
        ]
    return out


def listening_features(
    clips: np.ndarray,
    config: FrontendConfig = MICRO_SPEECH,
    seed: int = 0,
    chunk: int = 200,
    progress: ProgressCallback = silent,
) -> np.ndarray:
    """Features of 1 s clips as a continuously listening device computes them: (n, frames, channels).

    The clips are played one after another in a seeded random order through one frontend, so each clip's
    features start from the state the previous clip left: settled noise estimates after silence, raised ones
    after a loud word (they take one to two seconds to recover). Training on these teaches the model the
    windows it will really see when streaming. Clips are processed in chunks of ``chunk``, each chunk preceded
    by the two clips before it so that its state is warm. Clip lengths must be a multiple of the frame stride.
    """
    n, length = clips.shape
    stride = config.sample_rate * config.stride_ms // 1000
    if length % stride:
        raise ValueError(f"clip length {length} is not a multiple of the {stride}-sample stride")
    steps = length // stride  # frames advance by this many per clip
    order = np.random.default_rng(seed).permutation(n)
    out = np.empty((n, *config.shape), dtype=np.float32)
    for begin in track(range(0, n, chunk), "Computing micro features", progress, total=-(-n // chunk)):
        ids = order[max(0, begin - 2) : begin + chunk]
        features = frontend(clips[ids].reshape(-1), config)
        lead = begin - max(0, begin - 2)
        for k, clip in enumerate(ids[lead:], start=lead):
            out[clip] = features[k * steps : k * steps + config.frames]
    return out


def background_of(clip: np.ndarray, ms: int, sample_rate: int) -> np.ndarray:
    """``ms`` of the clip's background: its quietest 100 ms segment, repeated (empty for ``ms`` = 0)."""
    n = sample_rate * ms // 1000
    if n == 0:
        return np.zeros(0, dtype=np.float32)
    seg = sample_rate // 10
    segments = clip[: len(clip) // seg * seg].reshape(-1, seg)
    quietest = segments[np.argmin(np.square(segments).mean(axis=1))]
    return np.resize(quietest, n).astype(np.float32)
