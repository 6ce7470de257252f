"""Loading keyword data in the Speech Commands layout, and every bad input's message."""

import numpy as np
import pytest
import soundfile as sf

from tinymlkit.apps.kws.data import load_speech_commands
from tinymlkit.data.split import speaker_of, split_of
from tinymlkit.errors import TinyMLError

from datagen import write_tone_dataset


@pytest.fixture
def tones(tmp_path):
    return write_tone_dataset(tmp_path / "data", speakers=10, takes=2)


def test_loads_labels_splits_and_clips(tones):
    data = load_speech_commands(tones, ["yes", "no"])
    assert data.labels == ["silence", "unknown", "yes", "no"]
    assert data.x.shape[1:] == (16000,) and data.x.dtype == np.float32
    counts = data.counts()
    assert sum(counts["train"].values()) > sum(counts["test"].values()) > 0
    # 'up' and 'down' became unknown; silence was cut from the background noise
    assert counts["train"]["unknown"] > 0 and data.notes["silence clips cut from background noise"] > 0


def test_a_speaker_never_straddles_splits(tones):
    data = load_speech_commands(tones, ["yes", "no"])
    speakers = {}
    for g, s in zip(data.group, data.split, strict=True):
        if g != "_noise_":
            speakers.setdefault(g, set()).add(s)
    assert all(len(s) == 1 for s in speakers.values())


def test_split_is_stable_per_speaker():
    assert split_of("spk001") == split_of("spk001")
    assert speaker_of("yes/abc123_nohash_4.wav") == "abc123"
    shares = [split_of(f"speaker{i}") for i in range(2000)]
    assert 0.07 < shares.count("test") / 2000 < 0.13


def test_list_files_decide_the_split(tones):
    (tones / "testing_list.txt").write_text("yes/spk000_nohash_0.wav\n")
    (tones / "validation_list.txt").write_text("no/spk001_nohash_0.wav\n")
    data = load_speech_commands(tones, ["yes", "no"])
    paths = dict(zip(data.meta["path"], data.split, strict=True))
    assert paths["yes/spk000_nohash_0.wav"] == "test"
    assert paths["no/spk001_nohash_0.wav"] == "validation"
    assert paths["yes/spk002_nohash_0.wav"] == "train"


def test_repairs_are_counted(tones):
    rng = np.random.default_rng(1)
    sf.write(tones / "yes" / "odd_nohash_0.wav", 0.1 * rng.standard_normal(8000), 8000)  # 8 kHz, 1 s
    sf.write(tones / "yes" / "odd_nohash_1.wav", 0.1 * rng.standard_normal((16000, 2)), 16000)  # stereo
    sf.write(tones / "yes" / "odd_nohash_2.wav", 0.1 * rng.standard_normal(9000), 16000)  # short
    sf.write(tones / "yes" / "odd_nohash_3.wav", 0.1 * rng.standard_normal(20000), 16000)  # long
    (tones / "yes" / "notes.txt").write_text("not audio")
    (tones / "yes" / "broken_nohash_0.wav").write_bytes(b"RIFF garbage")
    data = load_speech_commands(tones, ["yes", "no"])
    assert data.notes["resampled from 8000 Hz"] == 1
    assert data.notes["downmixed to mono"] == 1
    assert data.notes["padded to 1 s"] >= 1 and data.notes["trimmed to 1 s"] >= 1
    assert data.notes["skipped non-WAV files"] == 1
    assert data.notes["rejected unreadable files"] == 1
    assert "broken_nohash_0.wav" in data.extras["rejected"][0]


@pytest.mark.parametrize(
    "words, setup, message",
    [
        (["yes"], lambda root: None, "data folder .* not found"),
        (["maybe"], None, "no folder for keyword 'maybe'"),
        ([], None, "no keywords given"),
        (["yes", "yes"], None, "keywords repeat"),
        (["silence"], None, "'silence' cannot be a keyword"),
    ],
)
def test_bad_input_messages(tones, tmp_path, words, setup, message):
    root = tmp_path / "missing" if setup else tones
    with pytest.raises(TinyMLError, match=message):
        load_speech_commands(root, words)


def test_empty_class_is_named(tones):
    for f in (tones / "no").iterdir():
        f.unlink()
    with pytest.raises(TinyMLError, match="class 'no' has no training clips"):
        load_speech_commands(tones, ["yes", "no"])
