"""Real music behind the built-in keyword data: found through $TINYML_BACKGROUND_MUSIC (a tiny generated piece in a
temporary folder, no package needed), written as background medleys and music silence clips, and named in the
built-in data's cache key."""

import csv

import numpy as np
import pytest
import soundfile as sf

from tinymlkit.apps.kws import music, synth
from tinymlkit.apps.kws import recipe as kws
from tinymlkit.data.audio import SAMPLE_RATE, read_audio
from tinymlkit.data.installed import fingerprint
from tinymlkit.data.noise import rms_db
from tinymlkit.errors import TinyMLError


def _tune(path, seconds=3.0, rate=22050, seed=0):
    """A stereo piece of chords and beats at 22.05 kHz, so it must be downmixed and resampled."""
    rng = np.random.default_rng(seed)
    t = np.arange(int(seconds * rate)) / rate
    notes = rng.choice([220.0, 261.6, 329.6, 392.0, 440.0], size=3)
    chord = sum(np.sin(2 * np.pi * f * t) for f in notes) / 3
    beat = (np.sin(2 * np.pi * 2 * t) > 0.9) * rng.standard_normal(len(t)) * 0.3
    sf.write(path, np.stack([0.3 * chord + beat, 0.2 * chord], axis=1), rate)


@pytest.fixture
def tunes(tmp_path, monkeypatch):
    folder = tmp_path / "music"
    folder.mkdir()
    _tune(folder / "a.ogg")
    _tune(folder / "b.wav", seed=1)
    (folder / "notes.txt").write_text("not music")
    (folder / "empty.ogg").write_bytes(b"")  # a placeholder, as Debian's language links of drascula-music
    monkeypatch.setenv(music.ENV, str(folder))
    return folder


def test_music_found_through_the_variable_and_fingerprinted(tunes, tmp_path, monkeypatch):
    files = music.music_files()
    assert [f.name for f in files] == ["a.ogg", "b.wav"]
    key = fingerprint(files)
    assert len(key) == 12 and fingerprint(files) == key
    _tune(tunes / "c.flac", seed=2)
    assert fingerprint(music.music_files()) != key
    monkeypatch.setenv(music.ENV, str(tmp_path / "nowhere"))
    assert music.music_files() == [] and fingerprint([]) == ""


def test_medleys_are_16k_mono_reproducible_and_unreadable_music_is_an_error(tunes, tmp_path):
    files = music.music_files()
    pieces = music.medleys(files, 2, 4, seed=3)
    assert [p.shape for p in pieces] == [(4 * SAMPLE_RATE,)] * 2 and pieces[0].dtype == np.float32
    assert all(rms_db(p) > -30 for p in pieces)
    assert np.array_equal(pieces[1], music.medleys(files, 2, 4, seed=3)[1])
    bad = tmp_path / "bad.ogg"
    bad.write_bytes(b"OggS but not really")
    with pytest.raises(TinyMLError, match="none of the 1 music files could be read"):
        music.medleys([bad], 1, 2, seed=0)


def test_built_in_data_with_music(tunes, tmp_path):
    options = dict(
        words=["yes"],
        voices=3,
        variants=["m1", "f1", "m2"],
        clips_per_word=2,
        unknown_count=2,
        silence_count=18,
        noise_seconds=3,
        workers=1,
    )
    plain = synth.synthesize_keyword_dataset(tmp_path / "plain", **options)
    made = synth.synthesize_keyword_dataset(tmp_path / "with", **options, music=music.music_files())
    assert made.music == ["a.ogg", "b.wav"] and plain.music == []
    assert "2 pieces of real music" in str(made) and "real music" not in str(plain)
    backgrounds = sorted(p.name for p in (tmp_path / "with" / "_background_noise_").iterdir())
    medleys = [f"music_{i}.wav" for i in range(1, synth.MUSIC_PIECES + 1)]
    assert set(medleys) <= set(backgrounds) and len(backgrounds) == len(synth.NOISE_FILES) + synth.MUSIC_PIECES
    assert not any(p.name.startswith("music") for p in (tmp_path / "plain" / "_background_noise_").iterdir())
    for name in medleys:
        audio = read_audio(tmp_path / "with" / "_background_noise_" / name)
        assert len(audio) == 3 * SAMPLE_RATE and abs(rms_db(audio) + 18) < 0.5
    with open(tmp_path / "with" / "metadata.csv", newline="") as f:
        silence = [r for r in csv.DictReader(f) if r["label"] == "silence"]
    heard = [r for r in silence if r["text"] == "music"]
    assert len(silence) == 18 and len(heard) == 6  # a third of the silence clips
    low, high = synth.MUSIC_LEVEL_DB
    assert all(low <= float(r["level_db"]) <= high for r in heard)
    assert max(float(r["level_db"]) for r in heard) > -35  # louder than any noise silence clip
    with pytest.raises(TinyMLError, match="music file .* not found"):
        synth.synthesize_keyword_dataset(tmp_path / "x", **options, music=[tmp_path / "missing.ogg"])


def test_cache_key_names_the_music(tunes, tmp_path, monkeypatch):
    keys = []
    monkeypatch.setattr("tinymlkit.cache.cached_dataset", lambda kind, settings, build: keys.append(settings))
    kws.builtin_data(kws.KwsConfig(words=["yes", "no"]))
    _tune(tunes / "c.wav", seed=2)
    kws.builtin_data(kws.KwsConfig(words=["yes", "no"]))
    kws.builtin_data(kws.KwsConfig(words=["yes", "no"], music=False))
    monkeypatch.setenv(music.ENV, str(tmp_path / "nowhere"))
    kws.builtin_data(kws.KwsConfig(words=["yes", "no"]))
    two, three, off, none = keys
    assert two["music"] == fingerprint([tunes / "a.ogg", tunes / "b.wav"]) and three["music"] != two["music"]
    assert "music" not in off and off == none  # without music the key is what it always was
    assert kws._backgrounds(kws.KwsConfig()) == ""
    monkeypatch.setenv(music.ENV, str(tunes))
    assert kws._backgrounds(kws.KwsConfig()) == ", with 3 pieces of real music behind"
