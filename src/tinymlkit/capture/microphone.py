"""Microphones: anything that records mono audio on request.

    mic = SoundDeviceMicrophone()                      # the computer's microphone (the optional 'mic' extra)
    mic = WavFileMicrophone("takes.wav")               # a WAV file standing in for it (tests, scripted sessions)
    audio = mic.record(1.5, on_level=print)            # float32 in [-1, 1]; on_level gets dBFS every 50 ms

A board's microphone over USB serial is one too (:class:`tinymlkit.capture.serial_link.SerialMicrophone`).
``record(seconds)`` remains the one-call way to record from the computer's microphone.
"""

from collections.abc import Callable
from pathlib import Path
from typing import Protocol

import numpy as np

from tinymlkit.capture.session import MicrophoneExhausted
from tinymlkit.data.audio import SAMPLE_RATE, fit_length, read_audio
from tinymlkit.errors import TinyMLError

LevelCallback = Callable[[float], None]
BLOCK_S = 0.05  # how often levels are reported
SILENT_DBFS = -100.0


class Microphone(Protocol):
    """Records mono float32 audio at ``sample_rate``; ``name`` says which device (saved with each clip)."""

    name: str
    sample_rate: int

    def record(self, seconds: float, on_level: LevelCallback | None = None) -> np.ndarray:
        """``seconds`` of audio; ``on_level`` receives the level (dBFS) of each block as it arrives."""
        ...

    def play(self, audio: np.ndarray) -> bool:
        """Play ``audio`` back if the device can (True), else do nothing (False)."""
        ...

    def close(self) -> None: ...


def level_dbfs(audio: np.ndarray) -> float:
    """RMS level of ``audio`` in dB relative to full scale (-100 for digital silence)."""
    if len(audio) == 0:
        return SILENT_DBFS
    rms = float(np.sqrt(np.mean(np.square(audio, dtype=np.float64))))
    return max(SILENT_DBFS, 20.0 * np.log10(rms)) if rms > 0 else SILENT_DBFS


def report_levels(audio: np.ndarray, sample_rate: int, on_level: LevelCallback | None) -> None:
    """Call ``on_level`` with the level of each 50 ms block of ``audio`` (for sources that record all at once)."""
    if on_level is None:
        return
    block = max(1, int(BLOCK_S * sample_rate))
    for start in range(0, len(audio), block):
        on_level(level_dbfs(audio[start : start + block]))


def _sounddevice():
    try:
        import sounddevice as sd
    except ImportError:
        raise TinyMLError("microphone input needs the 'mic' extra: pip install 'tinymlkit[mic]'") from None
    except OSError:  # sounddevice imports but finds no PortAudio library
        raise TinyMLError("no audio system found (PortAudio missing); install it or use a WAV file") from None
    return sd


def _device_error(exc: BaseException) -> TinyMLError:
    return TinyMLError(f"no usable microphone ({str(exc).splitlines()[0]}); use a WAV file instead")


class SoundDeviceMicrophone:
    """The computer's microphone through the ``sounddevice`` package (PortAudio)."""

    def __init__(self, sample_rate: int = SAMPLE_RATE, device: int | str | None = None):
        self._sd = _sounddevice()
        self.sample_rate, self.device = sample_rate, device
        try:
            self._sd.check_input_settings(device=device, channels=1, samplerate=sample_rate, dtype="float32")
            info = self._sd.query_devices(device, "input")
        except Exception as exc:  # PortAudio reports a missing or busy device in several ways
            raise _device_error(exc) from None
        self.name = f"sounddevice:{info['name'] if isinstance(info, dict) else device or 'default'}"

    def record(self, seconds: float, on_level: LevelCallback | None = None) -> np.ndarray:
        frames = int(round(seconds * self.sample_rate))
        block = max(1, int(BLOCK_S * self.sample_rate))
        chunks, got = [], 0
        try:
            with self._sd.InputStream(
                samplerate=self.sample_rate, channels=1, dtype="float32", blocksize=block, device=self.device
            ) as stream:
                while got < frames:
                    data, _overflowed = stream.read(min(block, frames - got))
                    chunks.append(np.array(data[:, 0], dtype=np.float32))
                    got += len(data)
                    if on_level is not None:
                        on_level(level_dbfs(chunks[-1]))
        except Exception as exc:
            raise _device_error(exc) from None
        return np.concatenate(chunks) if chunks else np.zeros(0, np.float32)

    def play(self, audio: np.ndarray) -> bool:
        try:
            self._sd.play(audio, self.sample_rate)
            self._sd.wait()
        except Exception:  # no output device: playback is a convenience, not a requirement
            return False
        return True

    def close(self) -> None:
        pass


class WavFileMicrophone:
    """A WAV file (or a folder of WAV files) that stands in for a microphone.

    From a file, each ``record(seconds)`` returns the next ``seconds`` of it; from a folder, the next file
    (sorted by name), padded with zeros or cut to ``seconds``. When the audio runs out, ``record`` raises
    :class:`MicrophoneExhausted`. Files at other rates are resampled to ``sample_rate``.
    """

    def __init__(self, path: str | Path, sample_rate: int = SAMPLE_RATE):
        path = Path(path)
        self.sample_rate = sample_rate
        self.name = f"wav:{path.name}"
        self._path = path
        if path.is_dir():
            self._files = sorted(p for p in path.iterdir() if p.is_file() and p.suffix.lower() == ".wav")
            if not self._files:
                raise TinyMLError(f"{path} holds no .wav files to use as the microphone")
            self._audio = None
        elif path.is_file():
            self._files = []
            self._audio = read_audio(path, sample_rate)
        else:
            raise TinyMLError(f"WAV microphone {path} not found; give a .wav file or a folder of them")
        self._next = 0  # next sample (file) or next file index (folder)
        self.takes = 0

    def record(self, seconds: float, on_level: LevelCallback | None = None) -> np.ndarray:
        n = int(round(seconds * self.sample_rate))
        if self._audio is not None:
            if self._next >= len(self._audio):
                raise MicrophoneExhausted(f"the WAV microphone {self._path} ran out of audio after {self.takes} takes")
            audio = fit_length(self._audio[self._next : self._next + n], n)
            self._next += n
        else:
            if self._next >= len(self._files):
                raise MicrophoneExhausted(f"the WAV microphone {self._path} ran out of files after {self.takes} takes")
            clip = read_audio(self._files[self._next], self.sample_rate)
            audio = np.pad(clip, (0, n - len(clip))) if len(clip) < n else clip[:n]
            self._next += 1
        self.takes += 1
        report_levels(audio, self.sample_rate, on_level)
        return audio.astype(np.float32)

    def play(self, audio: np.ndarray) -> bool:
        return False

    def close(self) -> None:
        pass


def open_microphone(
    wav: str | Path | None = None, device: int | str | None = None, sample_rate: int = SAMPLE_RATE
) -> Microphone:
    """A :class:`WavFileMicrophone` for ``wav``, else the computer's microphone (``device``: name or index)."""
    if wav is not None:
        return WavFileMicrophone(wav, sample_rate)
    return SoundDeviceMicrophone(sample_rate, device)


def record(seconds: float, sample_rate: int = SAMPLE_RATE) -> np.ndarray:
    """Record ``seconds`` of mono audio as float32 in [-1, 1]; a clear error where there is no microphone."""
    from tinymlkit.validate import check_number

    check_number("--seconds", seconds, 0.1, 3600.0, why="an hour of audio is the most one listen handles")
    return SoundDeviceMicrophone(sample_rate).record(seconds)
