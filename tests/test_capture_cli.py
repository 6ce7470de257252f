"""``tinyml record`` and ``tinyml device`` as a user runs them: against a simulated board and a WAV microphone.

Most runs call the console entry point in this process (``clirun.tinyml_here``, fast); two go through a subprocess
(``clirun.tinyml``) to cover the real process boundary.
"""

import csv
import sys

import numpy as np

from tinymlkit.capture.board_sim import SimulatedBoard, synthetic_word
from tinymlkit.data.audio import write_wav

import clirun
from clirun import one_line_error, tinyml_here


def test_record_imu_from_a_simulated_board(tmp_path):
    with SimulatedBoard("imu", speed=float("inf")) as board:  # in a real process, as a user runs it
        result = clirun.tinyml(
            "record",
            "imu",
            "--port",
            board.port,
            "--label",
            "O",
            "--subject",
            "ann",
            "--count",
            "3",
            "--seconds",
            "1.5",
            "--countdown",
            "0",
            "--data",
            str(tmp_path),
            "--yes",
        )
    assert result.returncode == 0, result.stderr
    assert "3 kept, 0 redone" in result.stdout and "take 3: 150 samples at 99.8" in result.stdout
    assert sorted(p.name for p in (tmp_path / "O").iterdir()) == [f"ann_nohash_{n}.csv" for n in range(3)]
    rows = list(csv.DictReader((tmp_path / "metadata.csv").open()))
    assert rows[0]["device"] == "nano33ble_sense_rev2" and rows[0]["rate_hz"] == "99.84"
    assert "missing: record at least two gestures" in result.stdout


def test_record_imu_disconnect_and_bad_input_are_one_line_errors(tmp_path):
    with SimulatedBoard("imu", speed=float("inf"), disconnect_after=2) as board:
        result = clirun.tinyml(
            "record",
            "imu",
            "--port",
            board.port,
            "--label",
            "W",
            "--subject",
            "bo",
            "--count",
            "4",
            "--seconds",
            "1",
            "--countdown",
            "0",
            "--data",
            str(tmp_path),
            "--yes",
        )
    one_line_error(result, "lost the board", "2 recordings of this session are saved")
    assert len(list((tmp_path / "W").iterdir())) == 2
    one_line_error(
        tinyml_here("record", "imu", "--port", str(tmp_path / "ttyACM7"), "--label", "O", "--subject", "a"), "not found"
    )
    one_line_error(tinyml_here("record", "imu", "--port", "x", "--label", "a/b", "--subject", "a"), "invalid label")
    one_line_error(tinyml_here("record", "imu", "--port", "x", "--label", "O"), "give --subject NAME")


def test_record_kws_from_a_wav_microphone_then_status(tmp_path):
    rng = np.random.default_rng(0)
    write_wav(tmp_path / "mic.wav", np.concatenate([synthetic_word("yes", 24000, rng) for _ in range(4)]))
    data = tmp_path / "data"
    result = tinyml_here(
        "record",
        "kws",
        "--wav",
        str(tmp_path / "mic.wav"),
        "--label",
        "yes",
        "--speaker",
        "ann",
        "--count",
        "3",
        "--data",
        str(data),
        "--yes",
        "--words",
        "yes,no",
    )
    assert result.returncode == 0, result.stderr
    assert "3 kept, 0 redone" in result.stdout and "dB above the noise" in result.stdout
    assert "missing: no clips of 'no'" in result.stdout
    assert len(list((data / "yes").glob("ann_nohash_*.wav"))) == 3
    status = tinyml_here("record", "status", str(data))
    assert status.returncode == 0 and "yes" in status.stdout and "no silence" in status.stdout
    one_line_error(tinyml_here("record", "kws", "--label", "yes", "--data", str(data)), "give --speaker NAME")
    one_line_error(
        tinyml_here(
            "record", "kws", "--label", "yes", "--speaker", "a", "--wav", str(tmp_path / "mic.wav"), "--port", "x"
        ),
        "either --wav or --port",
    )


def test_record_kws_without_a_microphone_is_one_line(tmp_path):
    result = tinyml_here("record", "kws", "--label", "yes", "--speaker", "ann", "--data", str(tmp_path))
    one_line_error(result)
    assert "'mic' extra" in result.stderr or "microphone" in result.stderr or "audio system" in result.stderr


def test_record_kws_with_the_board_microphone(tmp_path):
    with SimulatedBoard("mic", speed=float("inf")) as board:
        result = tinyml_here(
            "record",
            "kws",
            "--port",
            board.port,
            "--label",
            "no",
            "--speaker",
            "ann",
            "--count",
            "2",
            "--countdown",
            "0",
            "--data",
            str(tmp_path),
            "--yes",
        )
    assert result.returncode == 0, result.stderr
    assert "with nano33ble_sense_rev2:PDM" in result.stdout
    assert len(list((tmp_path / "no").iterdir())) == 2


def test_sketch_and_board_commands(tmp_path):
    result = tinyml_here("record", "sketch", "mic", str(tmp_path), "--rev", "1")
    assert result.returncode == 0 and (tmp_path / "capture_mic" / "capture_mic.ino").is_file()
    one_line_error(tinyml_here("record", "sketch", "gps", str(tmp_path)), "imu and mic")
    sim = tinyml_here("device", "simulate", "--seconds", "0.5")
    assert sim.returncode == 0 and sim.stdout.splitlines()[0].startswith("/dev/")
    with SimulatedBoard("imu", rev=1, speed=float("inf")) as board:
        check = tinyml_here("device", "check", "--port", board.port)
    assert check.returncode == 0 and "LSM9DS1" in check.stdout and "119" in check.stdout
    assert tinyml_here("device", "ports").returncode == 0


def test_help():
    for group in ("record", "device"):
        result = tinyml_here(group, "--help")
        assert result.returncode == 0 and "Usage" in result.stdout


def test_record_kws_and_noise_from_the_computer_microphone(tmp_path, monkeypatch):
    from test_capture_kws import fake_sounddevice

    rng = np.random.default_rng(1)
    speech = np.concatenate([synthetic_word("up", 24000, rng) for _ in range(2)] + [np.zeros(16000 * 3)])
    monkeypatch.setitem(sys.modules, "sounddevice", fake_sounddevice(speech.astype(np.float32)))
    result = tinyml_here(
        "record",
        "kws",
        "--label",
        "up",
        "--speaker",
        "cy",
        "--count",
        "2",
        "--countdown",
        "0",
        "--data",
        str(tmp_path),
        "--yes",
    )
    assert result.returncode == 0, result.stderr
    assert "with sounddevice:Test Mic" in result.stdout and "2 kept, 0 redone" in result.stdout
    result = tinyml_here("record", "noise", "--data", str(tmp_path), "--seconds", "2", "--name", "desk")
    assert result.returncode == 0 and (tmp_path / "_background_noise_" / "desk.wav").is_file()
