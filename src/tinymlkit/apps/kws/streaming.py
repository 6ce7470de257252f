"""Streaming keyword spotting: a long recording through the frontend and the int8 model in TFLM, as on the device.

The frontend runs over the whole stream in one pass (its noise estimate and gain carried along, as on a device
that listens continuously); the model sees the last second of features every ``stride_ms``.
"""

import numpy as np

from tinymlkit.apps.kws.frontend import MICRO_SPEECH, FrontendConfig, frontend
from tinymlkit.apps.kws.recognizer import CommandRecognizer, Detection, RecognizerConfig
from tinymlkit.progress import ProgressCallback, silent
from tinymlkit.runtime.tflm import TFLMModel


def stream_scores(
    audio: np.ndarray,
    tflm: TFLMModel,
    config: FrontendConfig = MICRO_SPEECH,
    stride_ms: int = 20,
    progress: ProgressCallback = silent,
) -> tuple[np.ndarray, np.ndarray]:
    """Class probabilities every ``stride_ms`` over ``audio``: (times in ms at each window's end, scores)."""
    features = frontend(audio, config)
    frames = config.frames
    step = max(1, stride_ms // config.stride_ms)
    ends = np.arange(frames, len(features) + 1, step)
    if len(ends) == 0:
        return np.zeros(0, np.int64), np.zeros((0, tflm.output.shape[-1]), np.float32)
    windows = np.stack([features[e - frames : e] for e in ends])
    times = (ends - 1) * config.stride_ms + config.window_ms
    return times.astype(np.int64), tflm.predict(windows, progress)


def listen(
    audio: np.ndarray,
    tflm: TFLMModel,
    labels: list[str],
    recognizer: RecognizerConfig = RecognizerConfig(),
    stride_ms: int = 20,
    progress: ProgressCallback = silent,
) -> list[Detection]:
    """The commands recognized in ``audio`` (silence excluded), in time order."""
    times, scores = stream_scores(audio, tflm, stride_ms=stride_ms, progress=progress)
    return recognize(times, scores, labels, recognizer)


def recognize(
    times: np.ndarray, scores: np.ndarray, labels: list[str], recognizer: RecognizerConfig = RecognizerConfig()
) -> list[Detection]:
    """The commands a fresh recognizer finds in a stream's scores (from :func:`stream_scores`), silence excluded."""
    rec = CommandRecognizer(labels, recognizer)
    found = [rec.process(s, int(t)) for t, s in zip(times, scores, strict=True)]
    return [d for d in found if d is not None and d.label != "silence"]
