"""A simulated Nano 33 BLE Sense running a capture sketch, on a pseudo-terminal: capture without hardware.

    with SimulatedBoard(sensor="imu") as board:        # board.port is e.g. /dev/pts/7
        with BoardConnection(board.port) as conn:      # exactly what 'tinyml record imu --port' does
            rec = conn.record(2000, label="O")

The simulator speaks the serial protocol of :mod:`serial_protocol` like the sketches written by
``tinyml record sketch``: it sends its header when started, every two seconds while idle and on ``?``, and
answers ``r <ms> [label]`` with a recording. IMU recordings show a person drawing the requested label with the
wand, made by the magic-wand gesture synthesizer (:mod:`tinymlkit.apps.wand.synth`): the board's ``seed`` picks
the person (their style and their board's IMU errors), labels the synthesizer does not know are drawn as one of
its gestures. Microphone recordings come from a WAV file or folder (or a synthetic "word" per label).

It also misbehaves on request, to test the reader: ``garbage`` corrupts that share of lines (junk lines,
flipped bytes, lost newlines), ``disconnect_after`` closes the port half way through the recording after that
many complete ones, and a host that opens the port at another baud rate than ``baud`` receives garbled bytes,
as from a board behind a USB-UART bridge.
"""

import os
import select
import threading
import time
from dataclasses import replace
from pathlib import Path

try:  # pseudo-terminals exist on Linux and macOS, not on Windows
    import termios
    import tty
except ImportError:  # pragma: no cover - Windows
    termios = tty = None  # type: ignore[assignment]

import numpy as np

from tinymlkit.capture.protocol import (
    DEFAULT_BAUD,
    IMU_AXES,
    StreamHeader,
    block_body,
    frame,
    marker_body,
    sample_body,
)
from tinymlkit.capture.sketch import BOARD_NAMES, MIC_BLOCK, MIC_MAX_MS
from tinymlkit.errors import TinyMLError

HEADER_EVERY_S = 2.0
BOARDS = {  # revision -> (board name, IMU, accelerometer/gyroscope rate in Hz), as the sketches report them
    1: (BOARD_NAMES[1], "LSM9DS1", 119.0),
    2: (BOARD_NAMES[2], "BMI270", 99.84),
}


def sim_header(sensor: str, rev: int = 2, baud: int = DEFAULT_BAUD) -> StreamHeader:
    """The header the capture sketch for ``sensor`` sends on a board of revision ``rev`` (1 or 2)."""
    board, imu, rate = BOARDS[rev]
    if sensor == "imu":
        fields = {"board": board, "imu": imu, "baud": str(baud), "sim": "1"}
        return StreamHeader("imu", rate, IMU_AXES, ("g", "g", "g", "dps", "dps", "dps"), "csv", fields=fields)
    fields = {"board": board, "block": str(MIC_BLOCK), "max_ms": str(MIC_MAX_MS), "baud": str(baud), "sim": "1"}
    return StreamHeader("mic", 16000.0, ("pcm",), (), "b64", 16, fields=fields)


class SimulatedBoard:
    """A capture sketch on a pseudo-terminal, served by a background thread (see the module docstring)."""

    def __init__(
        self,
        sensor: str = "imu",
        rev: int = 2,
        baud: int = DEFAULT_BAUD,
        garbage: float = 0.0,
        disconnect_after: int | None = None,
        speed: float = 1.0,
        gesture: str | None = None,
        audio: str | Path | None = None,
        seed: int = 0,
    ):
        if termios is None:
            raise TinyMLError("the simulated board needs pseudo-terminals (Linux or macOS); use a real board here")
        if sensor not in ("imu", "mic"):
            raise TinyMLError(f"unknown sensor '{sensor}'; the simulated board has 'imu' and 'mic'")
        if rev not in BOARDS:
            raise TinyMLError(f"board revision {rev} does not exist; use 1 (LSM9DS1) or 2 (BMI270)")
        if not 0.0 <= garbage < 1.0:
            raise TinyMLError(f"garbage share {garbage} must be in [0, 1)")
        if speed <= 0:
            raise TinyMLError("speed must be positive (1 = real time)")
        if not hasattr(termios, f"B{baud}"):
            raise TinyMLError(f"{baud} is not a standard baud rate; use e.g. {DEFAULT_BAUD}")
        self.sensor, self.rev, self.baud, self.garbage = sensor, rev, baud, garbage
        self.disconnect_after, self.speed, self.gesture = disconnect_after, speed, gesture
        self.header = sim_header(sensor, rev, baud)
        self._mic = None
        if audio is not None:
            from tinymlkit.capture.microphone import WavFileMicrophone

            self._mic = WavFileMicrophone(audio)
        self._rng = np.random.default_rng(seed)
        self._seed = seed
        self._person = None
        if sensor == "imu":
            from tinymlkit.apps.wand.synth import make_user

            person = make_user(seed, np.random.default_rng([seed, 7]))
            self._person = replace(person, rate_hz=self.header.rate_hz)  # the person holds this board
        self._baud_code = getattr(termios, f"B{baud}")
        self.recordings = 0  # complete recordings sent
        self.port = ""
        self._master = self._slave = -1
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    # -- lifecycle -------------------------------------------------------------------------------------------

    def start(self) -> "SimulatedBoard":
        self._master, self._slave = os.openpty()
        tty.setraw(self._slave)
        os.set_blocking(self._master, False)
        self.port = os.ttyname(self._slave)
        self._thread = threading.Thread(target=self._serve, name="simulated-board", daemon=True)
        self._thread.start()
        return self

    def __enter__(self) -> "SimulatedBoard":
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def stop(self) -> None:
        """Stop serving and remove the port."""
        self._stop.set()
        if self._thread is not None and self._thread is not threading.current_thread():
            self._thread.join(timeout=5)
        self._close()

    @property
    def connected(self) -> bool:
        return self._master >= 0

    def wait(self, timeout: float | None = None) -> None:
        """Block until the board is stopped or disconnects itself."""
        if self._thread is not None:
            self._thread.join(timeout)

    def _close(self) -> None:
        for fd in (self._master, self._slave):
            if fd >= 0:
                try:
                    os.close(fd)
                except OSError:
                    pass
        self._master = self._slave = -1

    # -- the sketch ------------------------------------------------------------------------------------------

    def _serve(self) -> None:
        pending = b""
        next_header = 0.0
        try:
            while not self._stop.is_set() and self.connected:
                if time.monotonic() >= next_header:
                    self._send(self.header.body())
                    next_header = time.monotonic() + HEADER_EVERY_S
                readable, _, _ = select.select([self._master], [], [], 0.05)
                if not readable:
                    continue
                try:
                    pending += os.read(self._master, 4096)
                except BlockingIOError:
                    continue
                while b"\n" in pending:
                    line, pending = pending.split(b"\n", 1)
                    self._command(line.decode("ascii", "replace").strip())
                    next_header = time.monotonic() + HEADER_EVERY_S
                pending = pending[-256:]
        except (OSError, termios.error):  # the port was closed under us (stop or disconnect)
            pass

    def _command(self, line: str) -> None:
        parts = line.split()
        if parts == ["?"]:
            self._send(self.header.body())
        elif len(parts) in (2, 3) and parts[0] == "r" and parts[1].isdigit():
            label = parts[2] if len(parts) == 3 else ""
            if self.sensor == "imu":
                self._record_imu(int(parts[1]), label)
            else:
                self._record_mic(int(parts[1]), label)

    def _record_imu(self, ms: int, label: str) -> None:
        rows = self._imu_rows(ms, label)
        rec_id = self.recordings + 1
        fields = {"id": rec_id, "ms": ms, **({"label": label} if label else {})}
        self._send(marker_body("start", **fields))
        t0 = time.monotonic()
        cut = len(rows) // 2 if self.disconnect_after is not None and self.recordings >= self.disconnect_after else -1
        for i, row in enumerate(rows):
            if i == cut:
                self._close()
                return
            self._sleep_until(t0 + row[0] / 1000.0 / self.speed)
            self._send(sample_body(row))
        self._send(marker_body("end", id=rec_id, n=len(rows)))
        self.recordings += 1

    def _record_mic(self, ms: int, label: str) -> None:
        if ms > MIC_MAX_MS:
            self._send(f"#error a recording lasts 1 to {MIC_MAX_MS} ms")
            return
        rec_id = self.recordings + 1
        self._send(marker_body("start", id=rec_id, ms=ms, **({"label": label} if label else {})))
        n = ms * 16
        if self._mic is not None:
            try:
                audio = self._mic.record(ms / 1000.0)
            except TinyMLError as exc:
                self._send(f"#error {str(exc)[:200]}")
                return
        else:
            audio = synthetic_word(label, n, self._rng)
        pcm = np.clip(np.round(audio[:n] * 32767), -32768, 32767).astype(np.int16)
        self._sleep_until(time.monotonic() + ms / 1000.0 / self.speed)  # the board records to RAM first
        blocks = range(0, n, MIC_BLOCK)
        cut = len(blocks) // 2 if self.disconnect_after is not None and self.recordings >= self.disconnect_after else -1
        for i, first in enumerate(blocks):
            if i == cut:
                self._close()
                return
            self._send(block_body(first, pcm[first : first + MIC_BLOCK]))
        self._send(marker_body("end", id=rec_id, n=n))
        self.recordings += 1

    def _imu_rows(self, ms: int, label: str) -> np.ndarray:
        """(n, 7) rows t_ms, ax..gz of the board's person drawing ``label`` (or the set gesture) for ``ms``."""
        rng = np.random.default_rng([self._seed, self.recordings])
        return drawn_gesture(self.gesture or label, self._person, ms, rng)

    # -- the wire --------------------------------------------------------------------------------------------

    def _sleep_until(self, when: float) -> None:
        delay = when - time.monotonic()
        if delay > 0 and self.speed != float("inf"):
            self._stop.wait(delay)

    def _send(self, body: str) -> None:
        if not self.connected:
            return
        data = frame(body)
        if self.garbage and self._rng.random() < self.garbage:
            data = self._corrupt(data)
        if termios.tcgetattr(self._slave)[5] != self._baud_code:
            data = self._garble(data)
        while data and self.connected and not self._stop.is_set():
            _, writable, _ = select.select([], [self._master], [], 0.1)
            if writable:
                try:
                    data = data[os.write(self._master, data) :]
                except BlockingIOError:
                    pass

    def _corrupt(self, data: bytes) -> bytes:
        kind = self._rng.integers(3)
        if kind == 0:  # a junk line before the real one
            junk = bytes(self._rng.integers(32, 127, int(self._rng.integers(1, 40))).astype(np.uint8))
            return junk + b"\n" + data
        if kind == 1:  # a flipped byte (the checksum catches it)
            i = int(self._rng.integers(len(data) - 1))
            return data[:i] + bytes([data[i] ^ (1 << int(self._rng.integers(7)))]) + data[i + 1 :]
        return data[:-1]  # a lost newline: this line and the next arrive as one bad line

    def _garble(self, data: bytes) -> bytes:
        """What a UART receiver at the wrong baud rate makes of ``data``: bytes with little to do with it."""
        return bytes(self._rng.integers(0, 256, max(1, len(data) * 2 // 3)).astype(np.uint8))


def synthetic_word(label: str, n: int, rng: np.random.Generator, rate: int = 16000) -> np.ndarray:
    """``n`` samples of room noise with one tone sweep whose pitch depends on ``label`` (none for silence)."""
    audio = 0.003 * rng.standard_normal(n)
    if label in ("", "silence"):
        return audio.astype(np.float32)
    key = sum(ord(c) * (i + 1) for i, c in enumerate(label))
    f0, f1 = 300 + key * 37 % 2500, 300 + key * 91 % 3000
    length = min(n, int(rng.uniform(0.35, 0.6) * rate))
    start = int(rng.integers(int(0.2 * rate), max(int(0.2 * rate) + 1, n - length)))
    freq = np.linspace(f0, f1, length)
    audio[start : start + length] += 0.3 * np.sin(2 * np.pi * np.cumsum(freq) / rate) * np.hanning(length)
    return audio.astype(np.float32)


def drawn_gesture(label: str, person, ms: int, rng: np.random.Generator) -> np.ndarray:
    """IMU rows (t_ms, ax..gz in g and deg/s) of ``person`` (a :class:`~tinymlkit.apps.wand.synth.UserStyle`)
    drawing ``label`` in a recording of ``ms`` milliseconds: at rest, the gesture, at rest.

    Labels the gesture synthesizer does not know are drawn as one of its gestures, picked by the label's name.
    The recording starts up to 0.6 s before the movement; a gesture longer than the recording is cut off,
    as it would be on the board.
    """
    from tinymlkit.apps.wand.gestures import GESTURES
    from tinymlkit.apps.wand.synth import record_gesture, user_variant

    names = list(GESTURES)
    gesture = label if label in GESTURES else names[sum(map(ord, label)) % len(names)]
    rows = record_gesture(GESTURES[gesture][user_variant(person, gesture)], person, rng)
    gyro = rows[:, 4:7]
    moving = np.flatnonzero(np.linalg.norm(gyro - np.median(gyro, axis=0), axis=1) > 30.0)
    onset_ms = rows[moving[0], 0] if len(moving) else 0.0
    rows = rows[rows[:, 0] >= onset_ms - rng.uniform(0.4, 0.6) * 1000.0]
    rows[:, 0] -= rows[0, 0]
    period = 1000.0 / person.rate_hz
    if rows[-1, 0] + period < ms:  # the person holds still until the recording ends
        extra_t = np.arange(rows[-1, 0] + period, ms, period)
        rest = np.repeat(rows[-1:], len(extra_t), axis=0)
        rest[:, 1:] += rng.normal(0.0, [0.005] * 3 + [0.2] * 3, (len(extra_t), 6))
        rest[:, 0] = extra_t
        rows = np.concatenate([rows, rest])
    return rows[rows[:, 0] < ms]
