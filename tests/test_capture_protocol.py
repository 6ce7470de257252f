"""The serial line protocol: framing and strict parsing in Python, and the same lines built by the sketches' C++."""

import subprocess

import numpy as np
import pytest

from tinymlkit.capture.protocol import (
    Marker,
    ProtocolError,
    Samples,
    StreamHeader,
    block_body,
    crc16,
    frame,
    marker_body,
    parse_body,
    parse_header,
    sample_body,
    unframe,
)
from tinymlkit.capture.sketch import write_capture_sketch
from tinymlkit.errors import TinyMLError

from cpp_build import CPP, build, compile_sketch

IMU = parse_header("#tinyml v1 sensor=imu rate_hz=119 axes=ax,ay,az,gx,gy,gz units=g,g,g,dps,dps,dps")
MIC = parse_header("#tinyml v1 sensor=mic rate_hz=16000 axes=pcm encoding=b64 bits=16 board=x")


def parse(line: bytes, header=IMU):
    return parse_body(unframe(line), header)


def test_crc_is_ccitt_false():
    assert crc16(b"123456789") == 0x29B1  # the standard check value of CRC-16/CCITT-FALSE
    assert frame("abc") == b"abc*514A\n"


def test_header_round_trip_keeps_every_field():
    header = parse(
        frame(
            "#tinyml v1 sensor=imu rate_hz=99.84 axes=ax,ay,az,gx,gy,gz units=g,g,g,dps,dps,dps "
            "encoding=csv board=nano imu=BMI270"
        )
    )
    assert isinstance(header, StreamHeader)
    assert header.sensor == "imu" and header.rate_hz == 99.84 and header.axes[3] == "gx" and header.board == "nano"
    assert parse_header(header.body()) == header
    assert parse_header(MIC.body()) == MIC


@pytest.mark.parametrize(
    "body, why",
    [
        ("#tinyml v2 sensor=imu rate_hz=1 axes=a", "protocol v2"),
        ("#tinyml v1 sensor=imu axes=a", "without rate_hz"),
        ("#tinyml v1 sensor=gps rate_hz=1 axes=a", "unknown sensor"),
        ("#tinyml v1 sensor=imu rate_hz=fast axes=a", "not a positive number"),
        ("#tinyml v1 sensor=imu rate_hz=1 axes=a,b units=g", "different lengths"),
        ("#tinyml v1 sensor=imu rate_hz=1 axes=a  board=x", "bad field"),
        ("#tinyml v1 sensor=mic rate_hz=16000 axes=pcm encoding=b64 bits=8", "16-bit"),
    ],
)
def test_bad_headers_are_rejected_with_a_reason(body, why):
    with pytest.raises(ProtocolError, match=why):
        parse_header(body)


def test_sample_lines_parse_strictly():
    good = parse(frame(sample_body([12.5, 0.02, -0.5, 0.86, 1.2, -0.4, 0.3])))
    assert isinstance(good, Samples)
    np.testing.assert_allclose(good.values, [[12.5, 0.02, -0.5, 0.86, 1.2, -0.4, 0.3]])
    for body in ["1,2,3", "1,2,3,4,5,6,7,8", "1,2,3,4,5,6,nan", "1,2,3,4,5,6,1e3", "1,2,3,4,5,6, 7", "1,2,3,4,5,6,"]:
        with pytest.raises(ProtocolError):
            parse(frame(body))
    with pytest.raises(ProtocolError, match="before any #tinyml header"):
        parse(frame("1,2,3,4,5,6,7"), None)


@pytest.mark.parametrize(
    "line, why",
    [
        (b"1.0,2,3,4,5,6,7\n", "no \\*CRC"),
        (b"1.0,2,3,4,5,6,7*0000\n", "checksum mismatch"),
        (b"1.0,2,3,4,5,6,7*12\n", "no \\*CRC"),
        (b"\xff\xfe*ZZZZ\n", "not ASCII"),
        (frame("1.0,2,3").replace(b"1.0", b"1.1"), "checksum mismatch"),
    ],
)
def test_damaged_lines_are_garbage(line, why):
    with pytest.raises(ProtocolError, match=why):
        unframe(line)


def test_markers_and_errors():
    start = parse(frame(marker_body("start", id=3, ms=2000, label="O")))
    assert isinstance(start, Marker) and start.kind == "start" and start.id == 3 and start.fields["label"] == "O"
    end = parse(frame(marker_body("end", id=3, n=238)))
    assert end.kind == "end" and end.fields["n"] == "238"
    error = parse(frame("#error IMU did not start"))
    assert error.kind == "error" and error.text == "IMU did not start"
    for body in ["#end id=3", "#start", "#start id=x", "#stop id=1", "#end id=1 n=-4"]:
        with pytest.raises(ProtocolError):
            parse(frame(body))


def test_audio_blocks_round_trip_int16():
    samples = np.array([0, 1, -1, 32767, -32768, 12345], dtype=np.int16)
    block = parse(frame(block_body(512, samples)), MIC)
    assert block.first == 512 and block.values.dtype == np.int16
    np.testing.assert_array_equal(block.values, samples)
    for body in ["x,AAAA", "5,AA$A", "5", "5,AAA"]:
        with pytest.raises(ProtocolError):
            parse(frame(body), MIC)


@pytest.fixture(scope="module")
def host_protocol(tmp_path_factory) -> list[bytes]:
    """Lines printed by the sketches' C++ protocol code, compiled for this computer."""
    tmp = tmp_path_factory.mktemp("protocol")
    sketch = write_capture_sketch("imu", tmp)
    exe = build(
        tmp / "protocol_check", [CPP / "protocol_check.cpp", sketch / "tinyml_protocol.cpp"], [sketch], ("-Wextra",)
    )
    return subprocess.run([str(exe)], check=True, capture_output=True).stdout.splitlines(keepends=True)


def test_cpp_lines_parse_in_python_with_the_same_values(host_protocol):
    header = parse(host_protocol[0], None)
    assert header.rate_hz == 99.84 and header.axes == ("ax", "ay", "az", "gx", "gy", "gz")
    rows = np.concatenate([parse(line, header).values for line in host_protocol[1:4]])
    expected = [
        [0.0, 0.0213, -0.5012, 0.8611, 1.22, -0.43, 0.31],
        [10.0, 0.0, 2.0, -4.0, 1999.9999, -2000.0, 0.0],
        [30000.0, 123.4568, -0.06, 0.5, -0.5, 7.0, -7.25],
    ]
    np.testing.assert_allclose(rows, expected, atol=1e-9)
    assert b"-0.0000" not in host_protocol[2]  # tiny negatives round to a plain 0
    samples = np.array([0, 1, -1, 32767, -32768, 12345], dtype=np.int16)
    for k, line in enumerate(host_protocol[4:7]):  # base64 without and with one or two '=' of padding
        block = parse(line, MIC)
        assert block.first == k
        np.testing.assert_array_equal(block.values, samples[: 6 - k])
    assert parse(host_protocol[7], header).fields == {"id": "4294967295", "n": "0"}


def test_cpp_command_reader_accepts_exactly_the_host_commands(host_protocol):
    results = dict(line.decode().strip().removeprefix("command ").split(" -> ") for line in host_protocol[8:])
    assert results == {
        "?": "1 0 ''",
        "r 1500": "2 1500 ''",
        "r 1500 yes": "2 1500 'yes'",
        "r 250 my-word_2": "2 250 'my-word_2'",
        "r 1500 y s": "ignored",
        "r": "ignored",
        "x": "ignored",
        "r 99999999": "ignored",
        "r 12a": "ignored",
        "r 10 bad!": "ignored",
    }


@pytest.mark.parametrize("sensor, rev, trigger", [("imu", 2, False), ("imu", 1, True), ("mic", 2, False)])
def test_capture_sketches_render_and_compile(sensor, rev, trigger, tmp_path):
    sketch = write_capture_sketch(sensor, tmp_path, rev=rev, baud=230400, motion_trigger=trigger)
    assert sorted(p.name for p in sketch.iterdir() if not p.name.startswith(".")) == sorted(
        ["README.md", f"capture_{sensor}.ino", "tinyml_protocol.cpp", "tinyml_protocol.h"]
    )
    ino = (sketch / f"capture_{sensor}.ino").read_text()
    assert "kBaud = 230400" in ino
    readme = (sketch / "README.md").read_text()
    assert "--baud 230400" in readme and "Arduino Mbed OS Nano Boards" in readme
    if sensor == "imu":
        assert f"#define BOARD_REVISION {rev}" in ino and f"#define MOTION_TRIGGER {int(trigger)}" in ino
        assert ("Arduino_BMI270_BMM150" if rev == 2 else "Arduino_LSM9DS1") in readme
    else:
        assert "PDM.begin(1, kSampleRate)" in ino and "kMaxRecordMs = 2000" in ino
    compile_sketch(sketch, tmp_path, flags=("-Wextra", "-Werror"))


def test_sketch_writer_rejects_bad_options(tmp_path):
    with pytest.raises(TinyMLError, match="imu and mic"):
        write_capture_sketch("gps", tmp_path)
    with pytest.raises(TinyMLError, match="--rev must be 1"):
        write_capture_sketch("imu", tmp_path, rev=3)
    assert not any(tmp_path.iterdir())
