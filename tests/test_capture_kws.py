"""Recording keyword clips: microphones, trimming around the speech, sessions, status, and KWS training on them."""

import csv
import json
import os
import sys
import types
from pathlib import Path

import numpy as np
import pytest

from tinymlkit.capture.kws import kws_status, record_keywords, record_noise, trim_to_speech
from tinymlkit.capture.microphone import SoundDeviceMicrophone, WavFileMicrophone, level_dbfs, record
from tinymlkit.capture.session import KEEP, QUIT, REDO, MicrophoneExhausted, check_label, update_metadata
from tinymlkit.data.audio import SAMPLE_RATE, read_audio, write_wav
from tinymlkit.data.split import split_of
from tinymlkit.errors import TinyMLError

RATE = SAMPLE_RATE


def word(rng, length=0.4, f0=800, f1=1200, amp=0.3):
    n = int(length * RATE)
    return (amp * np.sin(2 * np.pi * np.cumsum(np.linspace(f0, f1, n)) / RATE) * np.hanning(n)).astype(np.float32)


def take(rng, at_s=None, seconds=1.5, **kw) -> np.ndarray:
    """A take of room noise with one 'word' starting at ``at_s`` (None: no word)."""
    audio = (0.002 * rng.standard_normal(int(seconds * RATE))).astype(np.float32)
    if at_s is not None:
        w = word(rng, **kw)
        start = int(at_s * RATE)
        if start < 0:  # the word began before the take
            w, start = w[-start:], 0
        audio[start : start + len(w)] += w[: len(audio) - start]
    return audio


def test_trim_centres_the_clip_on_the_speech():
    rng = np.random.default_rng(0)
    audio = take(rng, at_s=0.9, seconds=2.0)  # word from 0.9 to 1.3 s
    t = trim_to_speech(audio)
    assert t.speech and not t.cut_off and not t.clipped and len(t.clip) == RATE
    assert 880 <= t.speech_ms[0] <= 960 and 1240 <= t.speech_ms[1] <= 1320
    centre = (t.start + RATE / 2) / RATE
    assert abs(centre - 1.1) < 0.03  # the word sits in the middle of the saved second
    assert t.snr_db > 30
    np.testing.assert_array_equal(t.clip, audio[t.start : t.start + RATE])


def test_trim_finds_no_speech_cut_off_words_and_clipping():
    rng = np.random.default_rng(1)
    quiet = trim_to_speech(take(rng, None))
    assert not quiet.speech and len(quiet.clip) == RATE
    assert trim_to_speech(take(rng, at_s=-0.15)).cut_off == "start"
    assert trim_to_speech(take(rng, at_s=1.3)).cut_off == "end"
    assert trim_to_speech(take(rng, at_s=0.5, amp=1.5)).clipped
    long_word = trim_to_speech(take(rng, at_s=0.1, length=1.3))  # longer than a second: its loudest part
    assert long_word.speech and len(long_word.clip) == RATE
    short = trim_to_speech(take(rng, at_s=0.2, seconds=0.8))  # a take shorter than the clip is padded
    assert len(short.clip) == RATE and np.all(short.clip[12800:] == 0)
    with pytest.raises(TinyMLError, match="too short"):
        trim_to_speech(np.zeros(10, np.float32))


def test_level_meter_values():
    assert level_dbfs(np.zeros(100)) == -100.0
    assert level_dbfs(np.ones(100)) == pytest.approx(0.0)
    assert level_dbfs(np.full(100, 0.1)) == pytest.approx(-20.0)


def test_wav_file_microphone_cuts_takes_then_runs_out(tmp_path):
    audio = np.arange(RATE * 3, dtype=np.float32) / (RATE * 4)
    write_wav(tmp_path / "mic.wav", audio)
    mic = WavFileMicrophone(tmp_path / "mic.wav")
    levels = []
    a, b = mic.record(1.5, on_level=levels.append), mic.record(1.5)
    np.testing.assert_allclose(np.concatenate([a, b]), read_audio(tmp_path / "mic.wav"))
    assert len(levels) == 30 and levels[-1] > levels[0]
    with pytest.raises(MicrophoneExhausted, match="ran out of audio after 2 takes"):
        mic.record(1.5)
    (tmp_path / "folder").mkdir()
    write_wav(tmp_path / "folder" / "b.wav", np.full(RATE // 2, 0.5, np.float32))
    write_wav(tmp_path / "folder" / "a.wav", np.full(RATE * 2, 0.25, np.float32), sample_rate=8000)
    mic = WavFileMicrophone(tmp_path / "folder")
    first, second = mic.record(1.0), mic.record(1.0)
    assert len(first) == len(second) == RATE  # resampled and cut / padded to the take length
    assert first[100] == pytest.approx(0.25, abs=1e-3) and second[100] == pytest.approx(0.5, abs=1e-3)
    assert second[-1] == 0
    with pytest.raises(MicrophoneExhausted):
        mic.record(1.0)
    for bad, why in [(tmp_path / "none.wav", "not found"), (tmp_path / "empty", "no .wav files")]:
        if bad.name == "empty":
            bad.mkdir()
        with pytest.raises(TinyMLError, match=why):
            WavFileMicrophone(bad)


def test_missing_sounddevice_is_one_clear_error(monkeypatch):
    monkeypatch.setitem(sys.modules, "sounddevice", None)
    with pytest.raises(TinyMLError, match=r"the 'mic' extra: pip install 'tinymlkit\[mic\]'"):
        record(1.0)
    with pytest.raises(TinyMLError, match="'mic' extra"):
        SoundDeviceMicrophone()


def fake_sounddevice(signal: np.ndarray, fail: str = "") -> types.ModuleType:
    """A stand-in for the sounddevice module whose input stream plays ``signal``."""
    sd = types.ModuleType("sounddevice")
    played = []

    def check_input_settings(**kwargs):
        if fail:
            raise RuntimeError(fail)

    class InputStream:
        def __init__(self, **kwargs):
            self.at = 0

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            return False

        def read(self, n):
            chunk = signal[self.at : self.at + n]
            self.at += n
            return chunk[:, None], False

    sd.check_input_settings = check_input_settings
    sd.query_devices = lambda device, kind: {"name": "Test Mic"}
    sd.InputStream = InputStream
    sd.play = lambda audio, rate: played.append(len(audio))
    sd.wait = lambda: None
    sd.played = played
    return sd


def test_sounddevice_microphone_streams_blocks_with_levels(monkeypatch):
    signal = np.linspace(-0.5, 0.5, RATE * 2).astype(np.float32)
    sd = fake_sounddevice(signal)
    monkeypatch.setitem(sys.modules, "sounddevice", sd)
    mic = SoundDeviceMicrophone()
    levels = []
    audio = mic.record(1.23, on_level=levels.append)
    np.testing.assert_array_equal(audio, signal[: round(1.23 * RATE)])
    assert mic.name == "sounddevice:Test Mic" and len(levels) == 25
    assert mic.play(audio) and sd.played == [len(audio)]
    np.testing.assert_array_equal(record(0.5), signal[:8000])  # the one-call helper still works
    monkeypatch.setitem(sys.modules, "sounddevice", fake_sounddevice(signal, fail="Error querying device -1"))
    with pytest.raises(TinyMLError, match=r"no usable microphone \(Error querying device -1\)"):
        SoundDeviceMicrophone()


def session_wav(path: Path, plan: list[float | None], seed=0) -> Path:
    """A WAV 'microphone' of 1.5 s takes: a word at each planned time, or silence for None."""
    rng = np.random.default_rng(seed)
    write_wav(path, np.concatenate([take(rng, at) for at in plan]))
    return path


def test_recording_session_writes_the_speech_commands_layout(tmp_path):
    mic = WavFileMicrophone(session_wav(tmp_path / "mic.wav", [0.3, None, 0.5, -0.1, 0.4, 0.6, 0.2]))
    root = tmp_path / "data"
    (root / "yes").mkdir(parents=True)
    write_wav(root / "yes" / "ann_nohash_4.wav", np.zeros(RATE, np.float32))  # numbering continues after it
    seen = []

    def review(t):
        seen.append((t.number, t.attempt, t.problems[:1]))
        return REDO if t.problems else KEEP

    result = record_keywords(mic, root, "yes", "ann", count=4, review=review)
    assert result.saved == [f"yes/ann_nohash_{n}.wav" for n in (5, 6, 7, 8)]
    assert result.rejected == 2 and not result.stopped
    assert seen[1][2][0].startswith("no speech heard") and seen[3][2][0].startswith("the word was already under way")
    for rel in result.saved:
        audio = read_audio(root / rel)
        assert len(audio) == RATE and np.abs(audio).max() > 0.2
    rows = list(csv.DictReader((root / "metadata.csv").open()))
    assert [r["path"] for r in rows] == result.saved
    assert set(rows[0]) == {"path", "label", "speaker", "device", "level_dbfs", "snr_db", "speech_ms", "recorded_at"}
    assert rows[0]["device"] == "wav:mic.wav" and rows[0]["speaker"] == "ann"
    assert 350 <= int(rows[0]["speech_ms"]) <= 450

    more = record_keywords(mic, root, "yes", "ann", count=5)  # one take left, then the file ends
    assert len(more.saved) == 1 and "ran out of audio" in more.stopped


def test_quit_and_silence_and_too_many_failures(tmp_path):
    root = tmp_path / "data"
    mic = WavFileMicrophone(session_wav(tmp_path / "q.wav", [0.3] * 4))
    assert record_keywords(mic, root, "no", "bo", 3, review=lambda t: QUIT).stopped == "stopped on request"
    silent = WavFileMicrophone(session_wav(tmp_path / "s.wav", [None] * 8))
    result = record_keywords(silent, root, "silence", "bo", 2)  # silence takes are kept as they are
    assert result.saved == ["silence/bo_nohash_0.wav", "silence/bo_nohash_1.wav"]
    with pytest.raises(TinyMLError, match="5 takes in a row had problems .*no speech heard.*0 saved so far"):
        record_keywords(silent, root, "no", "bo", 2)


@pytest.mark.parametrize(
    "kwargs, why",
    [
        ({"label": "bad/word"}, "invalid label 'bad/word'"),
        ({"label": "_background_noise_"}, "invalid label"),
        ({"speaker": ""}, "give --speaker NAME"),
        ({"speaker": "ann_1"}, "invalid --speaker 'ann_1'"),
        ({"count": 0}, "--count must be at least 1"),
        ({"seconds": 0.5}, "shorter than the 1 s clip"),
    ],
)
def test_bad_input_is_one_line(tmp_path, kwargs, why):
    mic = WavFileMicrophone(session_wav(tmp_path / "m.wav", [0.3]))
    args = {"label": "yes", "speaker": "ann", "count": 1, **kwargs}
    with pytest.raises(TinyMLError, match=why) as err:
        record_keywords(mic, tmp_path / "d", **args)
    assert "\n" not in str(err.value)


@pytest.mark.skipif(os.geteuid() == 0, reason="root can write anywhere")
def test_unwritable_folder_is_reported(tmp_path):
    locked = tmp_path / "locked"
    locked.mkdir(mode=0o500)
    mic = WavFileMicrophone(session_wav(tmp_path / "m.wav", [0.3]))
    with pytest.raises(TinyMLError, match="cannot write to .* choose another --data folder"):
        record_keywords(mic, locked, "yes", "ann", 1)


def test_unwritable_folder_is_reported_even_as_root(tmp_path):
    (tmp_path / "file").write_text("not a folder")
    mic = WavFileMicrophone(session_wav(tmp_path / "m.wav", [0.3]))
    with pytest.raises(TinyMLError, match="cannot write to .*file/yes"):
        record_keywords(mic, tmp_path / "file", "yes", "ann", 1)


def test_label_rules():
    for good in ["yes", "O", "left_turn", "k-9"]:
        assert check_label(good) == good
    for bad in ["", "_x", ".x", "a b", "x/y", "é", "a" * 41]:
        with pytest.raises(TinyMLError):
            check_label(bad)


def test_metadata_keeps_existing_rows_and_columns(tmp_path):
    (tmp_path / "metadata.csv").write_text("path,voice\nyes/v_nohash_0.wav,f3\n")
    update_metadata(tmp_path, [{"path": "yes/a_nohash_0.wav", "speaker": "a"}])
    update_metadata(tmp_path, [{"path": "yes/a_nohash_0.wav", "speaker": "b"}])
    rows = list(csv.DictReader((tmp_path / "metadata.csv").open()))
    assert rows == [
        {"path": "yes/v_nohash_0.wav", "voice": "f3", "speaker": ""},
        {"path": "yes/a_nohash_0.wav", "voice": "", "speaker": "b"},
    ]
    (tmp_path / "metadata.csv").write_text("file,x\n")
    with pytest.raises(TinyMLError, match="not a CSV file with a 'path' column"):
        update_metadata(tmp_path, [{"path": "p"}])


def test_noise_and_status_say_what_is_missing(tmp_path):
    root = tmp_path / "data"
    mic = WavFileMicrophone(session_wav(tmp_path / "m.wav", [0.3] * 3))
    name = speakers(1, 0, 0)[0]  # a speaker in the training split
    record_keywords(mic, root, "yes", name, 3)
    status = kws_status(root, ["yes", "no"])
    assert status.counts["yes"] == {"train": 3, "validation": 0, "test": 0} and status.noise_seconds == 0
    text = " | ".join(status.missing)
    assert "no clips of 'no'" in text and "no silence" in text and "no 'unknown' examples" in text
    assert "'yes' has no test clips" in text
    noise_mic = WavFileMicrophone(session_wav(tmp_path / "n.wav", [None] * 4))
    path = record_noise(noise_mic, root, "room", 5.0)
    assert path == root / "_background_noise_" / "room.wav" and len(read_audio(path)) == 5 * RATE
    with pytest.raises(TinyMLError, match="exists; pick another --name"):
        record_noise(noise_mic, root, "room", 1.0)
    assert kws_status(root, ["yes"]).noise_seconds == pytest.approx(5.0)
    assert not any("silence" in m for m in kws_status(root, ["yes"]).missing)


def speakers(n_train: int, n_val: int, n_test: int) -> list[str]:
    """Speaker names whose hash puts them in the wanted splits (as a learner would add speakers)."""
    want = {"train": n_train, "validation": n_val, "test": n_test}
    names = []
    for i in range(1000):
        name = f"spk{i:03d}"
        if want[split_of(name)] > 0:
            want[split_of(name)] -= 1
            names.append(name)
    return names


@pytest.mark.e2e
def test_keyword_spotting_trains_on_clips_recorded_from_a_wav_microphone(tmp_path):
    """A WAV-file microphone with spoken words -> record sessions -> the KWS pipeline trains on the folder."""
    from tinymlkit.apps.kws import espeak
    from tinymlkit.apps.kws.recipe import KwsConfig, run
    from tinymlkit.train import TrainConfig

    variants = [v for v in espeak.variants() if v[0] in "mf"][:8]
    root = tmp_path / "recorded"
    rng = np.random.default_rng(0)
    for i, name in enumerate(speakers(6, 2, 2)):
        variant = variants[i % len(variants)]
        for label, text in [("yes", "yes"), ("no", "no"), ("up", "up"), ("house", "house"), ("silence", None)]:
            takes = []
            for k in range(3):  # a session: a take every 1.5 s, the word somewhere in it
                t = (0.003 * rng.standard_normal(int(1.5 * RATE))).astype(np.float32)
                if text:
                    w = espeak.synthesize(text, lang="en-us", variant=variant, rate=150 + 20 * k, pitch=40 + 10 * k)
                    at = int(rng.uniform(0.15, 0.5) * RATE)
                    t[at : at + len(w)] += 0.8 * w[: len(t) - at]
                takes.append(t)
            write_wav(tmp_path / "session.wav", np.concatenate(takes))
            result = record_keywords(WavFileMicrophone(tmp_path / "session.wav"), root, label, name, 3)
            assert len(result.saved) == 3, (name, label, result)
    noise = np.random.default_rng(1).standard_normal(RATE * 6).astype(np.float32) * 0.05
    write_wav(tmp_path / "noise.wav", noise)
    record_noise(WavFileMicrophone(tmp_path / "noise.wav"), root, "room", 6.0)
    assert kws_status(root, ["yes", "no"]).missing == []

    config = KwsConfig(
        words=["yes", "no"],
        data=str(root),
        model="tiny_conv",
        width=1.0,
        train=TrainConfig(epochs=3, batch_size=32, learning_rate=3e-3),
        runs=str(tmp_path / "runs"),
    )
    report = run(config)
    saved = json.loads((Path(report.run_dir) / "report.json").read_text())
    assert saved["data"]["labels"] == ["silence", "unknown", "yes", "no"]
    assert saved["data"]["counts"]["train"]["yes"] == 18 and saved["data"]["counts"]["test"]["no"] == 6
    assert saved["int8_metrics"]["accuracy"] >= 0.5  # chance is 0.25; about 0.9 after these 3 epochs
    assert (Path(report.run_dir) / "deploy" / "model.tflite").is_file()
