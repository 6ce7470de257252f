"""Recording from the computer's microphone with the optional ``sounddevice`` package."""

import numpy as np

from tinymlkit.errors import TinyMLError


def record(seconds: float, sample_rate: int = 16000) -> np.ndarray:
    """Record ``seconds`` of mono audio as float32 in [-1, 1]; a clear error where there is no microphone."""
    try:
        import sounddevice as sd
    except ImportError:
        raise TinyMLError("microphone input needs the 'mic' extra: pip install 'tinymlkit[mic]'") from None
    except OSError:  # sounddevice imports but finds no PortAudio library
        raise TinyMLError("no audio system found (PortAudio missing); install it or use a WAV file") from None
    try:
        sd.check_input_settings(channels=1, samplerate=sample_rate, dtype="float32")
        audio = sd.rec(int(seconds * sample_rate), samplerate=sample_rate, channels=1, dtype="float32")
        sd.wait()
    except Exception as exc:  # PortAudio reports a missing or busy device in several ways
        raise TinyMLError(f"no usable microphone ({str(exc).splitlines()[0]}); use a WAV file instead") from None
    return audio[:, 0]
