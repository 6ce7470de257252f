"""Reading a board over serial: the simulated board on a pseudo-terminal, garbage, wrong baud, disconnects."""

import csv
import os
import tty

import numpy as np
import pytest

from tinymlkit.apps.wand.data import read_recording
from tinymlkit.capture.board_sim import SimulatedBoard, drawn_gesture
from tinymlkit.capture.imu import record_gestures
from tinymlkit.capture.protocol import block_body, frame, marker_body, sample_body
from tinymlkit.capture.serial_link import BoardConnection, BoardDisconnected, SerialMicrophone
from tinymlkit.capture.session import TakeFailed
from tinymlkit.errors import TinyMLError

FAST = float("inf")


def sent_rows(board: SimulatedBoard, rec_id: int, label: str, ms: int) -> np.ndarray:
    """What the simulated board sent for recording ``rec_id``, as the text on the wire rounds it."""
    rows = drawn_gesture(label, board._person, ms, np.random.default_rng([board._seed, rec_id - 1]))
    return np.array([[float(v) for v in sample_body(r).split(",")] for r in rows])


def test_recordings_arrive_complete_and_exact():
    with SimulatedBoard("imu", rev=1, speed=FAST) as board, BoardConnection(board.port) as conn:
        header = conn.wait_header("imu")
        assert header.rate_hz == 119 and header.fields["imu"] == "LSM9DS1"
        before = conn.stats.garbage  # what a pty may still deliver from before the port was set up
        for k in range(1, 4):
            rec = conn.record(1500, label="W")
            assert rec.id == k and rec.label == "W" and rec.lost == 0 and rec.expected == len(rec.data)
            assert 177 <= len(rec.data) <= 179 and rec.data[-1, 0] < 1500  # 1.5 s at 119 Hz
            np.testing.assert_array_equal(rec.data, sent_rows(board, k, "W", 1500))
        assert conn.stats.garbage == before and conn.stats.discarded_recordings == 0


def test_garbage_is_dropped_never_turned_into_data():
    with (
        SimulatedBoard("imu", speed=FAST, garbage=0.03, seed=0) as board,
        BoardConnection(board.port, stall_timeout=0.3) as conn,
    ):
        conn.wait_header("imu")
        recordings = [conn.record(1000, label="O") for _ in range(8)]
    assert conn.stats.garbage > 0
    for rec in recordings:
        sent = sent_rows(board, rec.id, "O", 1000)
        kept = {tuple(r) for r in rec.data}
        assert kept <= {tuple(r) for r in sent}  # every kept sample is one the board sent, unchanged
        assert len(rec.data) == rec.expected - rec.lost
        assert np.all(np.diff(rec.data[:, 0]) > 0)


def test_session_with_garbage_saves_only_clean_recordings(tmp_path):
    with (
        SimulatedBoard("imu", speed=FAST, garbage=0.02, seed=1) as board,
        BoardConnection(board.port, stall_timeout=0.3) as conn,
    ):
        result = record_gestures(conn, tmp_path, "O", "ann", count=6, seconds=1.5)
    assert len(result.saved) == 6
    for rel in result.saved:
        rows = read_recording(tmp_path / rel)
        assert len(rows) >= 140 and np.all(np.diff(rows[:, 0]) > 0)
    meta = list(csv.DictReader((tmp_path / "metadata.csv").open()))
    assert [m["path"] for m in meta] == result.saved
    assert all(int(m["lost"]) <= 0.05 * int(m["samples"]) + 1 for m in meta)


def test_disconnect_keeps_every_saved_recording_and_drops_the_partial_one(tmp_path):
    with SimulatedBoard("imu", speed=FAST, disconnect_after=3) as board, BoardConnection(board.port) as conn:
        with pytest.raises(BoardDisconnected, match="3 recordings of this session are saved") as err:
            record_gestures(conn, tmp_path, "W", "bo", count=5, seconds=1.0)
    assert "\n" not in str(err.value)
    files = sorted(p.name for p in (tmp_path / "W").iterdir())
    assert files == ["bo_nohash_0.csv", "bo_nohash_1.csv", "bo_nohash_2.csv"]  # no partial, no temp file
    for name in files:
        assert 98 <= len(read_recording(tmp_path / "W" / name)) <= 100
    assert len(list(csv.DictReader((tmp_path / "metadata.csv").open()))) == 3
    assert not [p for p in tmp_path.rglob("*") if p.name.startswith(".")]


@pytest.mark.parametrize(
    "board_baud, host_baud, hint",
    [
        (115200, 9600, "the capture sketch talks at 115200 baud: pass --baud 115200"),
        (9600, 115200, "a wrong baud rate"),
    ],
)
def test_wrong_baud_is_reported_with_the_sketch_baud(board_baud, host_baud, hint):
    with SimulatedBoard("imu", baud=board_baud, speed=FAST) as board, BoardConnection(board.port, host_baud) as conn:
        with pytest.raises(TinyMLError, match="no valid tinyml header") as err:
            conn.wait_header("imu", timeout=1.2)
    assert hint in str(err.value) and conn.stats.garbage > 0 and conn.stats.lines == 0


def test_wrong_sketch_and_silent_port_are_named():
    with SimulatedBoard("mic", speed=FAST) as board, BoardConnection(board.port) as conn:
        with pytest.raises(TinyMLError, match="runs the mic capture sketch, not imu"):
            conn.wait_header("imu", timeout=2)
    master, slave = os.openpty()
    tty.setraw(slave)
    try:
        with BoardConnection(os.ttyname(slave)) as conn, pytest.raises(TinyMLError, match="no data from"):
            conn.wait_header("imu", timeout=0.5)
    finally:
        os.close(master)
        os.close(slave)


def test_open_errors_are_one_line(tmp_path):
    with pytest.raises(TinyMLError, match="not found; plug the board in"):
        BoardConnection(str(tmp_path / "ttyACM9"))
    with pytest.raises(TinyMLError, match="1200 baud resets Arduino boards"):
        BoardConnection(str(tmp_path / "ttyACM9"), 1200)


class ScriptedPort:
    """A pseudo-terminal whose 'board' side the test writes by hand."""

    def __init__(self):
        self.master, self.slave = os.openpty()
        tty.setraw(self.slave)
        self.port = os.ttyname(self.slave)

    def write(self, *bodies: str, raw: bytes = b"") -> None:
        os.write(self.master, raw + b"".join(frame(b) for b in bodies))

    def close(self):
        os.close(self.master)
        os.close(self.slave)


@pytest.fixture
def scripted():
    port = ScriptedPort()
    yield port
    port.close()


HEADER = "#tinyml v1 sensor=imu rate_hz=100 axes=ax,ay,az,gx,gy,gz units=g,g,g,dps,dps,dps"


def rows(n, start=0.0):
    return [sample_body([start + 10.0 * i, 0, 0, 1, i, 0, 0]) for i in range(n)]


def test_reader_survives_lost_markers_restarts_and_stray_samples(scripted):
    with BoardConnection(scripted.port, stall_timeout=0.3) as conn:
        scripted.write(HEADER)
        conn.wait_header("imu")
        # stray samples and a restart in the middle of a recording: that recording is thrown away, then the
        # request is repeated and answered
        scripted.write(
            *rows(2),
            marker_body("start", id=1, ms=500),
            *rows(10),
            HEADER,
            marker_body("start", id=1, ms=300),
            *rows(30),
            marker_body("end", id=1, n=30),
        )
        rec = conn.record(300)
        assert len(rec.data) == 30 and conn.stats.discarded_recordings == 1
        assert conn.stats.dropped["samples outside a recording"] == 2
        # a #start lost to a checksum error: the samples that follow our request are still taken
        scripted.write(*rows(25), marker_body("end", id=2, n=25), raw=b"#start id=2 ms=250*0000\n")
        rec = conn.record(250)
        assert len(rec.data) == 25 and rec.lost == 0
        # a lost #end: the samples cover the requested length, so the recording is complete
        scripted.write(marker_body("start", id=3, ms=300), *rows(30), raw=b"")
        rec = conn.record(300)
        assert len(rec.data) == 30 and rec.id == 3
        # ... but a recording cut short with no #end is not passed off as complete
        scripted.write(marker_body("start", id=4, ms=300), *rows(12))
        with pytest.raises(TakeFailed, match="stopped sending in the middle of recording 4"):
            conn.record(300)
        # time going backwards inside a recording: those samples are dropped
        scripted.write(
            marker_body("start", id=5, ms=200),
            *rows(10),
            *rows(3),
            *rows(10, start=100.0),
            marker_body("end", id=5, n=23),
        )
        rec = conn.record(200)
        assert len(rec.data) == 20 and rec.lost == 3 and np.all(np.diff(rec.data[:, 0]) > 0)
        scripted.write("#error IMU did not start")
        with pytest.raises(TinyMLError, match="reports: IMU did not start"):
            conn.record(100)


def test_board_microphone_delivers_the_exact_audio(tmp_path):
    from tinymlkit.data.audio import read_audio, write_wav

    rng = np.random.default_rng(3)
    write_wav(tmp_path / "heard.wav", 0.3 * rng.uniform(-1, 1, 16000 * 3).astype(np.float32))
    with SimulatedBoard("mic", speed=FAST, audio=tmp_path / "heard.wav") as board:
        mic = SerialMicrophone(board.port)
        try:
            takes = [mic.record(1.5) for _ in range(2)]
            assert mic.last.bytes_per_s > 0 and mic.name == "nano33ble_sense_rev2:PDM"
            with pytest.raises(TinyMLError, match="at most 2000 ms"):
                mic.record(2.5)
        finally:
            mic.close()
    heard = read_audio(tmp_path / "heard.wav")
    np.testing.assert_allclose(np.concatenate(takes), heard[:48000], atol=1.5 / 32768)


def test_damaged_audio_block_fails_the_take_only(tmp_path):
    with SimulatedBoard("mic", speed=FAST, garbage=0.05, seed=2) as board:
        mic = SerialMicrophone(board.port)
        outcomes = []
        for _ in range(6):
            try:
                outcomes.append(len(mic.record(1.0)))
            except TakeFailed as exc:
                outcomes.append(str(exc))
        mic.close()
    assert any(isinstance(o, str) and "audio samples arrived damaged" in o for o in outcomes)
    assert all(o == 16000 for o in outcomes if isinstance(o, int))


def test_audio_block_ordering_and_gaps(scripted):
    header = "#tinyml v1 sensor=mic rate_hz=16000 axes=pcm encoding=b64 bits=16"
    with BoardConnection(scripted.port, stall_timeout=0.3) as conn:
        scripted.write(header)
        conn.wait_header("mic")
        a, b = np.arange(256, dtype=np.int16), -np.arange(256, dtype=np.int16)
        scripted.write(
            marker_body("start", id=1, ms=32), block_body(256, b), block_body(0, a), marker_body("end", id=1, n=512)
        )
        rec = conn.record(32)
        np.testing.assert_array_equal(rec.data, np.concatenate([a, b]))
        scripted.write(marker_body("start", id=2, ms=32), block_body(0, a), marker_body("end", id=2, n=512))
        assert conn.record(32).lost == 256


def test_background_noise_from_the_board_comes_in_buffer_sized_requests(tmp_path):
    from tinymlkit.capture.kws import record_noise
    from tinymlkit.data.audio import read_audio

    with SimulatedBoard("mic", speed=FAST) as board:
        mic = SerialMicrophone(board.port)
        try:
            path = record_noise(mic, tmp_path, "hum", 4.5)  # the board buffers 2 s at a time
        finally:
            mic.close()
        assert board.recordings == 3
    assert len(read_audio(path)) == 72000


@pytest.mark.e2e
def test_magic_wand_trains_on_gestures_recorded_from_simulated_boards(tmp_path):
    """Simulated boards (one person each) -> 'record imu' sessions -> the magic-wand pipeline trains on the folder."""
    import json
    from pathlib import Path

    from tinymlkit.apps.wand.recipe import WandConfig, run
    from tinymlkit.capture.imu import imu_status
    from tinymlkit.data.split import split_of
    from tinymlkit.train import TrainConfig

    want = {"train": 4, "validation": 2, "test": 2}
    subjects = []
    for i in range(1000):
        if want[split_of(f"sub{i:03d}")] > 0:
            want[split_of(f"sub{i:03d}")] -= 1
            subjects.append(f"sub{i:03d}")
    root = tmp_path / "recorded"
    for k, subject in enumerate(subjects):
        with (
            SimulatedBoard("imu", speed=FAST, seed=k, garbage=0.005) as board,
            BoardConnection(board.port, stall_timeout=0.3) as conn,
        ):
            for gesture in ("O", "W", "L"):
                assert len(record_gestures(conn, root, gesture, subject, count=3, seconds=4.0).saved) == 3
    assert imu_status(root).missing == []

    config = WandConfig(
        data=str(root), runs=str(tmp_path / "runs"), train=TrainConfig(epochs=6, batch_size=16, learning_rate=3e-3)
    )
    report = run(config)
    saved = json.loads((Path(report.run_dir) / "report.json").read_text())
    assert saved["app"] == "wand" and saved["data"]["labels"] == ["L", "O", "W"]
    assert saved["data"]["counts"]["train"] == {"L": 12, "O": 12, "W": 12}
    assert saved["int8_metrics"]["accuracy"] >= 0.5  # chance is 1/3; 0.72 with these settings
    assert (Path(report.run_dir) / "deploy" / "model.tflite").is_file()
