"""Receiving recordings from a board over USB serial (pyserial), in the protocol of :mod:`serial_protocol`.

    with BoardConnection("/dev/ttyACM0") as board:
        header = board.wait_header("imu")          # one-line error for silence, garbage (wrong baud), wrong sketch
        rec = board.record(2000, label="O")         # ask for 2 s; returns a checked Recording

The reader never trusts a line it cannot check: lines with a bad checksum or shape are dropped and counted
(``board.stats``), samples outside a recording are ignored, and a recording is only returned once its ``#end``
arrived. A disconnect raises :class:`BoardDisconnected`; a board that goes quiet mid-recording raises
:class:`BoardStalled`. Either way nothing of the unfinished recording is returned.
"""

import errno
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from tinymlkit.capture.protocol import (
    DEFAULT_BAUD,
    MAX_LINE,
    Marker,
    ProtocolError,
    Samples,
    StreamHeader,
    parse_body,
    unframe,
)
from tinymlkit.capture.session import TakeFailed
from tinymlkit.errors import TinyMLError

HEADER_TIMEOUT_S = 5.0
START_TIMEOUT_S = 3.0
STALL_TIMEOUT_S = 2.0


class BoardDisconnected(TinyMLError):
    """The serial port went away (cable pulled, board reset into the bootloader)."""


class BoardStalled(TakeFailed):
    """The board stopped sending in the middle of a recording (that take is recorded again)."""


@dataclass
class LinkStats:
    """What the reader saw on the line: bytes, good lines, and every dropped line by reason."""

    bytes: int = 0
    lines: int = 0
    dropped: Counter = field(default_factory=Counter)
    discarded_recordings: int = 0

    @property
    def garbage(self) -> int:
        return sum(self.dropped.values())


@dataclass
class Recording:
    """One complete recording from the board.

    ``data`` is a (n, 1 + axes) float64 array with t_ms first (csv encoding) or an int16 array of n samples (b64).
    ``lost`` samples were announced by ``#end`` but failed their checks (csv: they are simply missing; b64: they
    are zeros in ``data``).
    """

    header: StreamHeader
    id: int
    label: str
    data: np.ndarray
    expected: int
    lost: int
    transfer_s: float
    bytes: int

    @property
    def bytes_per_s(self) -> float:
        return self.bytes / self.transfer_s if self.transfer_s > 0 else 0.0


class BoardConnection:
    """An open serial port to a board running a tinyml capture sketch."""

    def __init__(self, port: str, baud: int = DEFAULT_BAUD, stall_timeout: float = STALL_TIMEOUT_S):
        try:
            import serial
        except ImportError:  # pragma: no cover - pyserial is a dependency
            raise TinyMLError("serial capture needs pyserial: pip install pyserial") from None
        if baud == 1200:  # opening at 1200 baud is the Arduino signal to reset into the bootloader
            raise TinyMLError(
                f"1200 baud resets Arduino boards into their bootloader; use the sketch's baud (--baud {DEFAULT_BAUD})"
            )
        self.port, self.baud, self.stall_timeout = port, baud, stall_timeout
        self.header: StreamHeader | None = None
        self.stats = LinkStats()
        self._buffer = bytearray()
        self._serial_error = (serial.SerialException, OSError, *_termios_error())  # tcdrain/tcflush: termios.error
        try:
            self._serial = serial.Serial(port, baud, timeout=0.05, write_timeout=1.0, exclusive=True)
        except (serial.SerialException, OSError, ValueError) as exc:
            raise TinyMLError(_open_error(port, baud, exc)) from None
        self._serial.reset_input_buffer()

    def __enter__(self) -> "BoardConnection":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        try:
            self._serial.close()
        except self._serial_error:
            pass

    # -- commands ------------------------------------------------------------------------------------------

    def send(self, command: str) -> None:
        """Send one command line (``?`` or ``r <ms> [label]``)."""
        try:
            self._serial.write(command.encode("ascii") + b"\n")
            self._serial.flush()
        except self._serial_error as exc:
            raise BoardDisconnected(f"lost the board on {self.port} ({_first_line(exc)}); plug it in again") from None

    def wait_header(self, sensor: str | None = None, timeout: float = HEADER_TIMEOUT_S) -> StreamHeader:
        """The board's header, asked for every second; a one-line error naming the likely cause if none comes."""
        deadline = time.monotonic() + timeout
        start_bytes, start_garbage = self.stats.bytes, self.stats.garbage
        other: str = ""
        next_ask = 0.0
        while time.monotonic() < deadline:
            if time.monotonic() >= next_ask:
                self.send("?")
                next_ask = time.monotonic() + 1.0
            event = self._next(min(deadline, next_ask))
            if isinstance(event, StreamHeader):
                if sensor and event.sensor != sensor:
                    raise TinyMLError(
                        f"the board on {self.port} runs the {event.sensor} capture sketch, not {sensor}; upload the "
                        f"{sensor} one ('tinyml record sketch {sensor} OUT')"
                    )
                return event
            if isinstance(event, Marker) and event.kind == "error":
                raise TinyMLError(f"the board on {self.port} reports: {event.text}")
            if self.stats.dropped.get("protocol version"):
                other = "protocol version"
        received = self.stats.bytes - start_bytes
        garbage = self.stats.garbage - start_garbage
        if other:
            raise TinyMLError(
                f"the board on {self.port} speaks another protocol version; upload the sketch this tinymlkit writes "
                "('tinyml record sketch ...')"
            )
        if received == 0:
            raise TinyMLError(
                f"no data from {self.port} in {timeout:g} s; upload the capture sketch ('tinyml record sketch "
                f"{sensor or 'imu'} OUT') and check the port ('tinyml device ports')"
            )
        hint = (
            f"the capture sketch talks at {DEFAULT_BAUD} baud: pass --baud {DEFAULT_BAUD}"
            if self.baud != DEFAULT_BAUD
            else "a wrong baud rate (pass the --baud the sketch's Serial.begin uses) or another sketch on the board"
        )
        raise TinyMLError(
            f"no valid tinyml header from {self.port} at {self.baud} baud in {timeout:g} s ({received} bytes, "
            f"{garbage} unreadable lines); likely {hint}"
        )

    def record(self, ms: int, label: str = "", start_timeout: float = START_TIMEOUT_S) -> Recording:
        """Ask the board for a recording of ``ms`` milliseconds and return it once complete."""
        command = f"r {int(ms)}" + (f" {label}" if label else "")
        self.send(command)
        return self._read_recording(start_timeout, resend=command, ms=int(ms))

    def next_recording(self, timeout: float) -> Recording:
        """Wait up to ``timeout`` seconds for a recording the board starts by itself (button, motion trigger)."""
        return self._read_recording(timeout, resend=None)

    # -- reading -------------------------------------------------------------------------------------------

    def _read_recording(self, start_timeout: float, resend: str | None, ms: int = 0) -> Recording:
        """Read one recording. A lost ``#start`` (checksum) is survived when we asked for the recording; a lost
        ``#end`` when the samples already cover the recording's length (found after the stall timeout)."""
        started: Marker | None = None
        chunks: list[Samples] = []
        nbytes = 0
        t_start = 0.0
        deadline = time.monotonic() + start_timeout
        while True:
            before = self.stats.bytes
            event = self._next(deadline)
            if started is not None:
                nbytes += self.stats.bytes - before
            if event is None:
                if started is None:
                    raise TinyMLError(
                        f"the board on {self.port} did not start a recording within {start_timeout:g} s"
                        + ("; is the capture sketch running? ('tinyml record sketch')" if resend else "")
                    )
                complete = self._complete(started, chunks)
                if complete is not None:
                    return self._assemble(started, chunks, complete, deadline - self.stall_timeout - t_start, nbytes)
                self.stats.discarded_recordings += 1
                raise BoardStalled(
                    f"the board on {self.port} stopped sending in the middle of recording {started.id}; that "
                    "recording was discarded"
                )
            if started is not None:
                deadline = time.monotonic() + self.stall_timeout
            if isinstance(event, StreamHeader):
                if started is not None:  # the board restarted: what we have is incomplete
                    self.stats.discarded_recordings += 1
                    started, chunks = None, []
                    if resend:
                        self.send(resend)
                    deadline = time.monotonic() + start_timeout
                continue
            if isinstance(event, Marker):
                if event.kind == "error":
                    raise TinyMLError(f"the board on {self.port} reports: {event.text}")
                if event.kind == "start":
                    if started is not None and started.id < 0:  # they were strays, not our recording
                        self.stats.dropped["samples outside a recording"] += sum(len(c.values) for c in chunks)
                    elif started is not None:
                        self.stats.discarded_recordings += 1
                    started, chunks, nbytes, t_start = event, [], 0, time.monotonic()
                    deadline = time.monotonic() + self.stall_timeout + int(event.fields.get("ms", "0")) / 1000
                elif started is not None and (event.id == started.id or started.id < 0):
                    return self._assemble(started, chunks, int(event.fields["n"]), time.monotonic() - t_start, nbytes)
                else:
                    self.stats.dropped["#end without #start"] += 1
                continue
            if started is None and resend and ms:  # our request's #start was lost: these are its samples
                started, chunks, t_start = Marker("start", {"id": "-1", "ms": str(ms)}), [], time.monotonic()
            if started is None:
                self.stats.dropped["samples outside a recording"] += 1
            else:
                chunks.append(event)

    def _complete(self, started: Marker, chunks: list[Samples]) -> int | None:
        """The sample count of a recording whose ``#end`` was lost but whose samples cover its length, else None."""
        header, ms = self.header, int(started.fields.get("ms", "0"))
        if header is None or not ms or not chunks:
            return None
        if header.encoding == "b64":
            n = int(round(ms * header.rate_hz / 1000))
            return n if sum(len(c.values) for c in chunks) >= n else None
        last_t = chunks[-1].values[-1, 0]
        return len(chunks) if last_t >= ms - max(3000.0 / header.rate_hz, 0.02 * ms) else None

    def _assemble(self, start: Marker, chunks: list[Samples], n: int, seconds: float, nbytes: int) -> Recording:
        header = self.header
        assert header is not None
        if header.encoding == "b64":
            data = np.zeros(n, dtype=np.int16)
            have = np.zeros(n, dtype=bool)
            for c in chunks:
                end = min(n, c.first + len(c.values))
                if c.first < end:
                    data[c.first : end] = c.values[: end - c.first]
                    have[c.first : end] = True
            lost = int(n - have.sum())
        else:
            rows = np.concatenate([c.values for c in chunks]) if chunks else np.zeros((0, 1 + len(header.axes)))
            keep = np.ones(len(rows), dtype=bool)
            last = -np.inf
            for i, t in enumerate(rows[:, 0]):  # time must increase; a row that goes back is not trusted
                if t <= last:
                    keep[i] = False
                else:
                    last = t
            if not keep.all():
                self.stats.dropped["time going backwards"] += int((~keep).sum())
            data = rows[keep]
            lost = max(0, n - len(data))
        return Recording(header, start.id, start.fields.get("label", ""), data, n, lost, seconds, nbytes)

    def _next(self, deadline: float) -> StreamHeader | Marker | Samples | None:
        """The next valid event before ``deadline`` (None at the deadline); garbage is counted and skipped."""
        while True:
            line = self._read_line(deadline)
            if line is None:
                return None
            try:
                event = parse_body(unframe(line), self.header)
            except ProtocolError as exc:
                reason = str(exc)
                self.stats.dropped["protocol version" if "protocol v" in reason else reason] += 1
                continue
            self.stats.lines += 1
            if isinstance(event, StreamHeader):
                self.header = event
            return event

    def _read_line(self, deadline: float) -> bytes | None:
        while True:
            newline = self._buffer.find(b"\n")
            if newline >= 0:
                line = bytes(self._buffer[: newline + 1])
                del self._buffer[: newline + 1]
                if len(line) <= MAX_LINE:
                    return line
                self.stats.dropped["line too long"] += 1
                continue
            if len(self._buffer) > MAX_LINE:
                self._buffer.clear()
                self.stats.dropped["line too long"] += 1
            if time.monotonic() >= deadline:
                return None
            try:
                waiting = self._serial.in_waiting
                data = self._serial.read(max(1, min(waiting, 65536)))
            except self._serial_error as exc:
                raise BoardDisconnected(
                    f"lost the board on {self.port} ({_first_line(exc)}); plug it in again"
                ) from None
            self.stats.bytes += len(data)
            self._buffer += data


def _termios_error() -> tuple[type[Exception], ...]:
    try:
        import termios
    except ImportError:  # not a POSIX system
        return ()
    return (termios.error,)


def _first_line(exc: BaseException) -> str:
    return (str(exc).splitlines() or [type(exc).__name__])[0][:100]


def _open_error(port: str, baud: int, exc: BaseException) -> str:
    code = getattr(exc, "errno", None)
    text = _first_line(exc)
    if code == errno.ENOENT or "No such file" in text or "FileNotFound" in text:
        return f"serial port {port} not found; plug the board in and list ports with 'tinyml device ports'"
    if code == errno.EACCES or "ermission" in text:
        return f"no permission to open {port}; on Linux add yourself to the dialout group and log in again"
    if code == errno.EBUSY or "lock" in text.lower() or "busy" in text.lower():
        return f"{port} is in use by another program (close the Serial Monitor) and try again"
    if isinstance(exc, ValueError):
        return f"cannot use {baud} baud on {port} ({text}); the capture sketch uses {DEFAULT_BAUD}"
    return f"cannot open {port} ({text})"


class SerialMicrophone:
    """A board's microphone over USB serial (the capture_mic sketch): a :class:`Microphone` like the others.

    The board records each take into its RAM, then sends it, so the link's speed does not limit the audio.
    ``label``, if set, is sent with each request: the board echoes it (the simulated board says that word).
    """

    def __init__(self, port: str, baud: int = DEFAULT_BAUD, sample_rate: int = 16000):
        self._conn = BoardConnection(port, baud)
        try:
            header = self._conn.wait_header("mic")
        except TinyMLError:
            self._conn.close()
            raise
        self.sample_rate = sample_rate
        self._board_rate = int(header.rate_hz)
        self.name = f"{header.board or 'board'}:PDM"
        max_ms = header.fields.get("max_ms", "")
        self.max_ms = int(max_ms) if max_ms.isdigit() else 0
        self.last: Recording | None = None
        self.label = ""

    @property
    def stats(self) -> LinkStats:
        return self._conn.stats

    def record(self, seconds: float, on_level: Callable[[float], None] | None = None) -> np.ndarray:
        from tinymlkit.capture.microphone import report_levels
        from tinymlkit.data.audio import resample

        ms = int(round(seconds * 1000))
        if self.max_ms and ms > self.max_ms:
            raise TinyMLError(
                f"the board records at most {self.max_ms} ms at a time; use --seconds {self.max_ms / 1000:g} or less"
            )
        rec = self._conn.record(ms, self.label)
        self.last = rec
        if rec.lost:
            raise TakeFailed(f"{rec.lost} of {rec.expected} audio samples arrived damaged")
        audio = resample(rec.data.astype(np.float32) / 32768.0, self._board_rate, self.sample_rate)
        report_levels(audio, self.sample_rate, on_level)
        return audio

    def play(self, audio: np.ndarray) -> bool:
        return False

    def close(self) -> None:
        self._conn.close()
