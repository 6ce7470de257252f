"""The tinyml serial line protocol (version 1): how a capture sketch sends sensor recordings over USB serial.

Everything the board sends is one ASCII line ending in ``\\n`` (``\\r\\n`` is accepted) and carrying a checksum:
``<body>*<CRC>``, where CRC is the CRC-16/CCITT-FALSE (polynomial 0x1021, initial value 0xFFFF) of the body's
bytes as four upper-case hex digits. A line whose checksum does not match, or that does not parse exactly, is
*garbage*: it is dropped and counted, never guessed at. The lines are::

    #tinyml v1 sensor=imu rate_hz=119 axes=ax,ay,az,gx,gy,gz units=g,g,g,dps,dps,dps encoding=csv board=..*CRC
    #start id=3 ms=2000 label=O*CRC            a recording begins (label echoes the host's request, if any)
    12.6,0.0213,-0.5012,0.8611,1.22,-0.43,0.31*CRC     encoding=csv: t_ms since #start, then one value per axis
    #end id=3 n=238*CRC                        the recording is complete; n = how many samples were sent
    #error IMU did not start*CRC               the board cannot record (the host shows the message)

The header comes first after the board starts, again every two seconds while idle and whenever the host asks
with ``?``. Audio (``sensor=mic ... axes=pcm bits=16 encoding=b64``) travels as blocks of samples::

    0,AAABAAIA...*CRC                          first sample index, base64 of little-endian int16 samples

The host sends plain lines: ``?`` (send the header) and ``r <ms> [label]`` (record for <ms> milliseconds).
Anything else is ignored by the board. See docs/capture.md for the full specification.
"""

import base64
import binascii
import math
import re
from dataclasses import dataclass, field

import numpy as np

PROTOCOL_VERSION = 1
DEFAULT_BAUD = 115200
MAX_LINE = 4096  # bytes; longer "lines" (no newline in sight) are garbage
SENSORS = ("imu", "mic")
IMU_AXES = ("ax", "ay", "az", "gx", "gy", "gz")
# unit -> factor to the units the data sets use (accelerometer in g, gyroscope in degrees per second)
ACCEL_UNITS = {"g": 1.0, "mg": 0.001, "m/s2": 1.0 / 9.80665}
GYRO_UNITS = {"dps": 1.0, "rad/s": 180.0 / math.pi, "mdps": 0.001}

_NUMBER = re.compile(r"-?\d+(?:\.\d+)?")
_KEY = re.compile(r"[a-z][a-z0-9_]*")
_VALUE = re.compile(r"[\x21-\x7e]+")
_B64 = re.compile(r"[A-Za-z0-9+/]+={0,2}")


class ProtocolError(ValueError):
    """A line that is not valid protocol; the message says why."""


def crc16(data: bytes) -> int:
    """CRC-16/CCITT-FALSE of ``data`` (the checksum every protocol line carries)."""
    return binascii.crc_hqx(data, 0xFFFF)


def frame(body: str) -> bytes:
    """One protocol line for ``body``: the body, ``*``, its CRC in four hex digits, and a newline."""
    raw = body.encode("ascii")
    return raw + b"*%04X\n" % crc16(raw)


def unframe(line: bytes) -> str:
    """The body of one received line (without its newline) after checking its checksum."""
    line = line.rstrip(b"\r\n")
    star = line.rfind(b"*")
    if star < 0 or len(line) - star != 5:
        raise ProtocolError("no *CRC checksum at the end")
    body, check = line[:star], line[star + 1 :]
    try:
        expected = int(check, 16)
        text = body.decode("ascii")
    except (ValueError, UnicodeDecodeError):
        raise ProtocolError("not ASCII text with a hex checksum") from None
    if crc16(body) != expected:
        raise ProtocolError("checksum mismatch")
    if not text.isprintable():
        raise ProtocolError("control characters in the line")
    return text


@dataclass(frozen=True)
class StreamHeader:
    """What the board streams: sensor, nominal sample rate, axis names and units, encoding, other fields."""

    sensor: str
    rate_hz: float
    axes: tuple[str, ...]
    units: tuple[str, ...] = ()
    encoding: str = "csv"
    bits: int = 16
    version: int = PROTOCOL_VERSION
    fields: dict[str, str] = field(default_factory=dict)  # every key=value, including the ones above

    @property
    def board(self) -> str:
        return self.fields.get("board", "")

    def body(self) -> str:
        """The header line's body (before the checksum)."""
        values = {"sensor": self.sensor, "rate_hz": f"{self.rate_hz:g}", "axes": ",".join(self.axes)}
        if self.units:
            values["units"] = ",".join(self.units)
        values["encoding"] = self.encoding
        if self.encoding == "b64":
            values["bits"] = str(self.bits)
        extra = {k: v for k, v in self.fields.items() if k not in values and k != "bits"}
        return f"#tinyml v{self.version} " + " ".join(f"{k}={v}" for k, v in {**values, **extra}.items())


def parse_fields(text: str) -> dict[str, str]:
    """``key=value`` pairs separated by single spaces, strictly."""
    out: dict[str, str] = {}
    for item in text.split(" ") if text else []:
        key, eq, value = item.partition("=")
        if not eq or not _KEY.fullmatch(key) or not _VALUE.fullmatch(value) or key in out:
            raise ProtocolError(f"bad field '{item[:30]}'")
        out[key] = value
    return out


def parse_header(body: str) -> StreamHeader:
    """A :class:`StreamHeader` from a header line's body (``#tinyml v1 ...``)."""
    m = re.fullmatch(r"#tinyml v(\d+)(?: (.*))?", body)
    if not m:
        raise ProtocolError("not a #tinyml header")
    version = int(m.group(1))
    if version != PROTOCOL_VERSION:
        raise ProtocolError(f"protocol v{version}, this tinymlkit speaks v{PROTOCOL_VERSION}")
    fields = parse_fields(m.group(2) or "")
    for key in ("sensor", "rate_hz", "axes"):
        if key not in fields:
            raise ProtocolError(f"header without {key}=")
    sensor = fields["sensor"]
    if sensor not in SENSORS:
        raise ProtocolError(f"unknown sensor '{sensor}'")
    if not _NUMBER.fullmatch(fields["rate_hz"]) or float(fields["rate_hz"]) <= 0:
        raise ProtocolError("rate_hz is not a positive number")
    axes = tuple(fields["axes"].split(","))
    units = tuple(fields["units"].split(",")) if "units" in fields else ()
    if units and len(units) != len(axes):
        raise ProtocolError("units= and axes= have different lengths")
    encoding = fields.get("encoding", "csv")
    if encoding not in ("csv", "b64"):
        raise ProtocolError(f"unknown encoding '{encoding}'")
    bits = int(fields.get("bits", "16")) if fields.get("bits", "16").isdigit() else 0
    if encoding == "b64" and (bits != 16 or len(axes) != 1):
        raise ProtocolError("b64 encoding carries one axis of 16-bit samples")
    return StreamHeader(sensor, float(fields["rate_hz"]), axes, units, encoding, bits, version, fields)


@dataclass(frozen=True)
class Marker:
    """``#start`` or ``#end`` of a recording (``kind``), or ``#error`` from the board, with its fields."""

    kind: str
    fields: dict[str, str]
    text: str = ""  # #error: the board's message

    @property
    def id(self) -> int:
        return int(self.fields.get("id", "-1"))


@dataclass(frozen=True)
class Samples:
    """Data from one line: csv rows (1, 1 + axes) with t_ms first, or b64 int16 samples from index ``first``."""

    values: np.ndarray
    first: int = 0


def parse_body(body: str, header: StreamHeader | None) -> StreamHeader | Marker | Samples:
    """Interpret one checked line body; data lines need the current ``header`` to be understood."""
    if body.startswith("#tinyml"):
        return parse_header(body)
    if body.startswith("#error"):
        return Marker("error", {}, body[len("#error") :].strip())
    if body.startswith("#"):
        kind, _, rest = body[1:].partition(" ")
        if kind not in ("start", "end"):
            raise ProtocolError(f"unknown marker #{kind[:20]}")
        fields = parse_fields(rest)
        for key in ("id", "n", "ms"):
            if key in fields and not fields[key].isdigit():
                raise ProtocolError(f"{key}= is not a whole number")
        if "id" not in fields or (kind == "end" and "n" not in fields):
            raise ProtocolError(f"#{kind} without id=" + (" or n=" if kind == "end" else ""))
        return Marker(kind, fields)
    if header is None:
        raise ProtocolError("data before any #tinyml header")
    if header.encoding == "b64":
        first, comma, data = body.partition(",")
        if not comma or not first.isdigit() or not _B64.fullmatch(data):
            raise ProtocolError("not '<index>,<base64>'")
        try:
            raw = base64.b64decode(data, validate=True)
        except binascii.Error:
            raise ProtocolError("broken base64") from None
        if len(raw) % 2:
            raise ProtocolError("odd number of bytes in an int16 block")
        return Samples(np.frombuffer(raw, dtype="<i2").copy(), int(first))
    parts = body.split(",")
    if len(parts) != 1 + len(header.axes):
        raise ProtocolError(f"{len(parts)} values, expected t_ms + {len(header.axes)} axes")
    if not all(_NUMBER.fullmatch(p) for p in parts):
        raise ProtocolError("a value is not a plain decimal number")
    return Samples(np.array([[float(p) for p in parts]]))


def sample_body(values: np.ndarray | list[float], decimals: int = 4, time_decimals: int = 1) -> str:
    """The body of a csv sample line: t_ms then one value per axis (what the sketches print)."""
    t, *rest = (float(v) for v in values)
    return ",".join([f"{t:.{time_decimals}f}"] + [f"{v:.{decimals}f}" for v in rest])


def block_body(first: int, samples: np.ndarray) -> str:
    """The body of a b64 audio block line: first sample index, base64 of little-endian int16 samples."""
    return f"{first}," + base64.b64encode(np.asarray(samples, dtype="<i2").tobytes()).decode("ascii")


def marker_body(kind: str, **fields: object) -> str:
    """``#start id=.. ...`` / ``#end id=.. n=..`` bodies."""
    return f"#{kind} " + " ".join(f"{k}={v}" for k, v in fields.items())
