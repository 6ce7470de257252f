"""Streaming test recordings over a real background (music, speech): files read and resampled as training clips
are, their silences dropped, mixed behind the words at the asked level; the default noise streams unchanged."""

import numpy as np
import pytest
import soundfile as sf

from tinymlkit.apps.kws.stream import Background, compose_stream, load_background
from tinymlkit.data.dataset import Dataset
from tinymlkit.errors import TinyMLError

RATE = 16000


def words_data() -> Dataset:
    """Two keywords and an unknown word, 1 s clips each holding a 0.3 s burst of a word-specific tone."""
    clips, labels = [], []
    for label, freq in ((1, 700.0), (2, 1300.0), (0, 2100.0)):
        for k in range(3):
            clip = np.zeros(RATE, dtype=np.float32)
            t = np.arange(int(0.3 * RATE)) / RATE
            clip[4000 + 500 * k : 4000 + 500 * k + len(t)] = 0.4 * np.sin(2 * np.pi * freq * t)
            clips.append(clip)
            labels.append(label)
    n = len(labels)
    return Dataset(
        x=np.stack(clips),
        y=np.array(labels),
        labels=["unknown", "yes", "no"],
        split=np.full(n, "test", dtype=object),
        group=np.array([f"s{i}" for i in range(n)], dtype=object),
    )


def music_files(folder):
    """'Music' as packages ship it: a 440 Hz tone at 8 kHz mono, and 44.1 kHz stereo, each with silence around."""
    folder.mkdir()
    for name, rate, channels in (("a.wav", 8000, 1), ("b.wav", 44100, 2)):
        t = np.arange(2 * rate) / rate
        tone = 0.5 * np.sin(2 * np.pi * 440 * t)
        audio = np.concatenate([np.zeros(rate // 2), tone, np.zeros(rate // 2)])
        sf.write(folder / name, np.stack([audio] * channels, axis=1) if channels == 2 else audio, rate)
    return sorted(folder.glob("*.wav"))


def test_background_files_are_resampled_joined_without_their_silences(tmp_path):
    background = load_background(music_files(tmp_path / "moh"), rms=0.05, name="music")
    assert background.name == "music" and background.audio.dtype == np.float32
    assert abs(len(background.audio) - 4 * RATE) < 0.05 * RATE  # 2 s of tone each, the 1 s of silence dropped
    spectrum = np.abs(np.fft.rfft(background.audio))
    assert abs(np.argmax(spectrum) * RATE / len(background.audio) - 440) < 2


def test_stream_over_a_background_has_it_at_its_level_between_the_words(tmp_path):
    background = load_background(music_files(tmp_path / "moh"), rms=0.05, name="music")
    audio, spoken = compose_stream(words_data(), ["yes", "no", "unknown"], seconds=12.0, seed=1, background=background)
    assert len(audio) == 12 * RATE and len(spoken) >= 3
    quiet = np.ones(len(audio), dtype=bool)
    for word in spoken:  # every clip's 1 s around its speech
        quiet[max(0, (word.start_ms - 800) * 16) : (word.end_ms + 800) * 16] = False
    between = audio[quiet]
    assert len(between) > RATE
    assert np.sqrt(np.mean(np.square(between))) == pytest.approx(0.05, rel=0.1)
    spectrum = np.abs(np.fft.rfft(between))
    assert abs(np.argmax(spectrum) * RATE / len(between) - 440) < 3  # the music, not white noise


def test_default_streams_stay_white_noise():
    plain, spoken = compose_stream(words_data(), ["yes", "no"], seconds=8.0, seed=2)
    again, spoken_again = compose_stream(words_data(), ["yes", "no"], seconds=8.0, seed=2, background=None)
    assert np.array_equal(plain, again) and spoken == spoken_again
    head = plain[: spoken[0].start_ms * 16 - 4000]  # before the first clip: noise only
    assert np.sqrt(np.mean(np.square(head))) == pytest.approx(0.02 * 0.3, rel=0.1)


def test_streaming_check_hears_the_background(monkeypatch, tmp_path):
    import tinymlkit.apps.kws.streaming as streaming
    from tinymlkit.apps.kws.recipe import RecognizerConfig, streaming_check

    heard = []

    def scores(audio, tflm):  # stands in for the TFLM model: records what it is given, never fires
        heard.append(audio)
        times = np.arange(1000, len(audio) // 16, 20)
        return times, np.tile([1.0, 0.0, 0.0], (len(times), 1))

    monkeypatch.setattr(streaming, "stream_scores", scores)
    background = Background(0.1 * np.sin(2 * np.pi * 440 * np.arange(RATE) / RATE).astype(np.float32), 0.05)
    check = streaming_check(words_data(), None, ["yes", "no"], RecognizerConfig(), 0, 2, 6.0, background=background)
    assert check.streams == 2 and check.hits == 0 and check.false_alarms == 0 and check.misses == check.words > 0
    assert len(heard) == 2 and all(np.sqrt(np.mean(np.square(a[:8000]))) == pytest.approx(0.05, rel=0.1) for a in heard)


@pytest.mark.parametrize(
    "make, message",
    [
        (lambda: Background(np.zeros(100, dtype=np.float32)), "holds no sound"),
        (lambda: Background(np.ones(100, dtype=np.float32), rms=0.0), "RMS in (0, 1]"),
        (lambda: load_background([], 0.05, "speech"), "no audio files for the speech background"),
    ],
)
def test_bad_backgrounds_are_one_line(make, message):
    with pytest.raises(TinyMLError, match=message.replace("(", r"\(").replace(")", r"\)").replace("[", r"\[")):
        make()
