"""The eSpeak NG binding, the noise synthesizers and the synthesized keyword data set (tiny sizes, a few s)."""

import csv
import re
from pathlib import Path

import numpy as np
import pytest
import soundfile as sf

from tinymlkit.apps.kws import espeak, synth_render
from tinymlkit.apps.kws import synth as synth_kws
from tinymlkit.apps.kws.data import BACKGROUND_DIR
from tinymlkit.apps.kws.synth import NOISE_FILES, holdout_splits, synthesize_keyword_dataset, unknown_vocabulary
from tinymlkit.apps.kws.synth_render import spoken_word, trim_silence
from tinymlkit.data import noise
from tinymlkit.data.audio import SAMPLE_RATE
from tinymlkit.errors import TinyMLError

TINY = dict(
    variants=["m1", "f3", "klatt4", "Annie", "m3", "f1"],
    voices=6,
    clips_per_word=6,
    unknown_count=6,
    silence_count=6,
    noise_seconds=2,
)
NAME = re.compile(r"^[A-Za-z0-9-]+_nohash_\d+\.wav$")


def _band_energy(audio: np.ndarray, low: float, high: float) -> float:
    spectrum = np.abs(np.fft.rfft(audio)) ** 2
    freqs = np.fft.rfftfreq(len(audio), 1 / SAMPLE_RATE)
    return float(spectrum[(freqs >= low) & (freqs < high)].sum() / spectrum.sum())


def test_synthesize_gives_speech_at_16k():
    audio = espeak.synthesize("yes", lang="en", variant="f3", rate=160, pitch=50)
    assert audio.dtype == np.float32 and audio.ndim == 1
    assert 0.25 < len(audio) / SAMPLE_RATE < 1.5  # one short word plus eSpeak's pauses
    speech = trim_silence(audio)
    assert 0.15 < len(speech) / SAMPLE_RATE < 0.8
    assert 0.05 < np.abs(speech).max() <= 1.0
    assert noise.rms_db(speech) > -35
    assert _band_energy(speech, 100, 4000) > 0.5  # most energy in the speech band
    faster = trim_silence(espeak.synthesize("yes", lang="en", variant="f3", rate=300))
    assert len(faster) < 0.8 * len(speech)


def test_languages_variants_and_genders():
    assert {"en", "en-us", "es", "hi", "sw"} <= set(espeak.languages())
    assert {"m1", "f3", "klatt4"} <= set(espeak.variants()) and len(espeak.variants()) > 50
    genders = {v.name: v.gender for v in espeak.variant_info()}
    assert (genders["m1"], genders["f3"], genders["klatt4"]) == ("male", "female", "")
    assert espeak.native_sample_rate() == 22050
    assert espeak.phonemes("know", "en") == espeak.phonemes("no", "en")
    english = synth_kws.accents_of("en")
    assert {"en", "en-us", "en-gb-scotland"} <= set(english) and "en-shaw" not in english  # a script, not an accent
    assert synth_kws.accents_of("en-us") == ["en-us", "en-us-nyc"]
    assert synth_kws.accents_of("es") == ["es", "es-419"]  # es-mx is spoken by the es-419 voice


def test_synthesize_from_several_threads():
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(4) as pool:
        outs = list(pool.map(lambda i: espeak.synthesize(["yes", "no"][i % 2], variant=["m1", "f3"][i % 2]), range(16)))
    assert all(0.2 < len(a) / SAMPLE_RATE < 1.5 and np.abs(a).max() > 0.05 for a in outs)


@pytest.mark.parametrize(
    "call, fragment",
    [
        (lambda: espeak.synthesize("x", lang="xx"), "languages()"),
        (lambda: espeak.synthesize("x", variant="f9"), "variants()"),
        (lambda: espeak.synthesize("  "), "empty"),
        (lambda: espeak.synthesize("x", rate=20), "between 80 and 450"),
        (lambda: espeak.synthesize("x", pitch=101), "between 0 and 100"),
    ],
)
def test_espeak_bad_input(call, fragment):
    with pytest.raises(TinyMLError) as err:
        call()
    assert fragment in str(err.value) and "\n" not in str(err.value)


def test_noise_generators():
    rng = np.random.default_rng(0)
    n = 4 * SAMPLE_RATE
    for name, make in noise.GENERATORS.items():
        x = make(n, rng, SAMPLE_RATE)
        assert x.shape == (n,) and x.dtype == np.float32, name
        assert abs(float(np.sqrt(np.mean(x.astype(np.float64) ** 2))) - 1.0) < 1e-3, name
    # spectral slopes: white flat, pink -3 dB/octave, brown -6 dB/octave (500 Hz vs 2 kHz = two octaves)
    for make, slope in ((noise.white, 0.0), (noise.pink, -3.0), (noise.brown, -6.0)):
        x = make(n, np.random.default_rng(1))
        ratio = 10 * np.log10(_band_energy(x, 1800, 2200) / _band_energy(x, 450, 550) * 100 / 400)
        assert abs(ratio - 2 * slope) < 1.5, (make.__name__, ratio)
    assert np.array_equal(noise.pink(1000, np.random.default_rng(3)), noise.pink(1000, np.random.default_rng(3)))
    assert noise.rms_db(noise.at_level(noise.white(n, rng), -30.0)) == pytest.approx(-30.0, abs=0.01)
    streams = [espeak.synthesize("one two three", variant=v) for v in ("m1", "f3")]
    assert noise.babble(streams, n, rng).shape == (n,)


def test_long_words_are_sped_up_to_fit():
    job = dict(text="supercalifragilisticexpialidocious", lang="en", variant="m1", rate=80, pitch=50, range=50, seed=1)
    speech, rate, sped_up, _ = spoken_word(job)
    assert sped_up and rate > 80
    assert len(speech) <= 0.98 * SAMPLE_RATE


def test_unknown_words_never_sound_like_keywords():
    vocab = unknown_vocabulary("en", ["no", "yes"])
    assert "no" not in vocab and "know" not in vocab and "yes" not in vocab and "stop" in vocab
    assert unknown_vocabulary("en", ["stop"], unknown_words=["stop", "Stop", "cat"]) == ["cat"]
    made_up = unknown_vocabulary("fi", ["kyllä"])
    assert len(made_up) > 50 and all(w.startswith("[[") for w in made_up)
    with pytest.raises(TinyMLError, match="sounds like one"):
        unknown_vocabulary("en", ["no"], unknown_words=["know"])


def test_near_rhymes_of_the_digits_are_unknown_and_key_the_cache(monkeypatch):
    from tinymlkit.apps.kws import recipe as kws

    vocab = unknown_vocabulary("en", ["one", "two", "three"])
    assert {"fourteen", "forty", "tune", "free"} <= set(vocab) and not {"one", "two", "three"} & set(vocab)
    keys = []
    monkeypatch.setattr("tinymlkit.cache.cached_dataset", lambda kind, settings, build: keys.append(settings))
    kws.builtin_data(kws.KwsConfig(words=["yes", "no"]))
    monkeypatch.setitem(synth_kws.UNKNOWN_WORDS, "en", synth_kws.UNKNOWN_WORDS["en"][:-5])  # an older list
    kws.builtin_data(kws.KwsConfig(words=["yes", "no"]))
    assert keys[0]["unknown_words"] != keys[1]["unknown_words"]  # a set made with other unknown words is not reused


def test_holdout_mixes_groups_and_is_stable():
    names = [f"v{i}" for i in range(30)]
    groups = {n: "female" if i % 3 == 0 else "male" for i, n in enumerate(names)}
    a = holdout_splits(names, groups, 0.1)
    assert a == holdout_splits(list(reversed(names)), groups, 0.1)
    for split in ("validation", "test"):
        held = [n for n in names if a[n] == split]
        assert len(held) == 3 and {groups[n] for n in held} == {"female", "male"}


@pytest.fixture(scope="module")
def tiny(tmp_path_factory):
    root = tmp_path_factory.mktemp("synth") / "kws"
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(synth_render, "_CLIPS_PER_TASK", 12)  # two worker tasks even for this tiny set
        summary = synthesize_keyword_dataset(root, ["yes", "no"], "en", seed=0, workers=2, **TINY)
    return root, summary


def _wavs(root: Path) -> list[str]:
    return sorted(str(p.relative_to(root)) for p in root.rglob("*.wav") if p.parent.name != BACKGROUND_DIR)


def test_layout_lists_and_metadata(tiny):
    root, summary = tiny
    assert sorted(p.name for p in root.iterdir() if not p.name.startswith(".")) == sorted(
        [BACKGROUND_DIR, "metadata.csv", "no", "silence", "synth_kws.json", "testing_list.txt", "unknown",
         "validation_list.txt", "yes"]
    )  # fmt: skip
    clips = _wavs(root)
    assert len(clips) == 2 * 6 + 6 + 6 == summary.total
    for rel in clips:
        assert NAME.match(rel.split("/")[1]), rel
        info = sf.info(str(root / rel))
        assert (info.samplerate, info.channels, info.frames, info.subtype) == (SAMPLE_RATE, 1, SAMPLE_RATE, "PCM_16")
    for name in NOISE_FILES.values():
        info = sf.info(str(root / BACKGROUND_DIR / name))
        assert info.samplerate == SAMPLE_RATE and info.frames == 2 * SAMPLE_RATE

    rows = list(csv.DictReader((root / "metadata.csv").open()))
    assert sorted(r["path"] for r in rows) == clips
    assert {"path", "label", "speaker", "lang", "variant", "rate", "pitch", "gender"} <= set(rows[0])
    lists = {s: (root / f"{s}_list.txt").read_text().split() for s in ("validation", "testing")}
    for row in rows:
        assert row["label"] == row["path"].split("/")[0]
        assert row["speaker"] == row["path"].split("/")[1].split("_nohash_")[0]
        expected = {"validation": "validation", "test": "testing"}.get(row["split"])
        assert all((row["path"] in lists[s]) == (s == expected) for s in lists)
        if row["label"] in ("yes", "no", "unknown"):
            assert row["lang"].startswith("en") and row["variant"] in TINY["variants"]
            assert float(row["speech_s"]) > 0.1
    speech = [r for r in rows if r["label"] == "yes"]
    assert {r["gender"] for r in speech if r["variant"] == "f3"} <= {"female"}

    # one voice, and one variant, never in two splits; every split has voices
    split_of: dict[str, set[str]] = {}
    for row in rows:
        split_of.setdefault(row["speaker"], set()).add(row["split"])
        split_of.setdefault("variant:" + row["variant"], set()).add(row["split"]) if row["variant"] else None
    assert all(len(s) == 1 for s in split_of.values())
    assert all(summary.voices[s] for s in ("train", "validation", "test"))
    assert sum(summary.counts["train"].values()) > sum(summary.counts["test"].values())

    # the speech is really there: clips are louder than their noise floor, silence clips are quiet
    for row in rows:
        audio, _ = sf.read(str(root / row["path"]), dtype="float32")
        level = noise.rms_db(audio)
        assert (level < -30) if row["label"] == "silence" else (level > -50), row


def test_same_seed_same_files_and_spanish(tiny, tmp_path, monkeypatch):
    root, _ = tiny
    again = tmp_path / "again"
    monkeypatch.setattr(synth_render, "_CLIPS_PER_TASK", 12)
    synthesize_keyword_dataset(again, ["yes", "no"], "en", seed=0, workers=1, **TINY)  # one worker at a time
    for rel in [*_wavs(root), "metadata.csv", "testing_list.txt", f"{BACKGROUND_DIR}/babble.wav"]:
        assert (root / rel).read_bytes() == (again / rel).read_bytes(), rel

    monkeypatch.undo()
    es = synthesize_keyword_dataset(tmp_path / "es", ["sí", "no"], "es", seed=1, **TINY)
    rows = list(csv.DictReader((tmp_path / "es" / "metadata.csv").open(encoding="utf-8")))
    assert {r["lang"] for r in rows if r["lang"]} <= {"es", "es-419"}
    unknown = {r["text"].rstrip(".!?,") for r in rows if r["label"] == "unknown"}
    assert unknown and unknown <= set(unknown_vocabulary("es", ["sí", "no"]))
    assert es.counts["train"]["sí"] > 0 and (tmp_path / "es" / "sí").is_dir()
    assert es.words == ["sí", "no"] and es.accents == ["es", "es-419"]


@pytest.mark.parametrize(
    "words, fragment",
    [
        ([], "no keywords"),
        (["yes", "yes"], "more than once"),
        (["yes", "Yes"], "more than once"),
        (["on/off"], "folder name"),
        (["silence"], "added for you"),
        (["yes", "unknown"], "added for you"),
        (["yes", ""], "empty"),
    ],
)
def test_bad_keywords(tmp_path, words, fragment):
    with pytest.raises(TinyMLError) as err:
        synthesize_keyword_dataset(tmp_path / "out", words, **TINY)
    assert fragment in str(err.value) and "\n" not in str(err.value)
    assert not (tmp_path / "out").exists()


def test_other_bad_input_and_safe_output(tmp_path):
    with pytest.raises(TinyMLError, match="languages()"):
        synthesize_keyword_dataset(tmp_path / "a", ["yes"], "xx", **TINY)
    with pytest.raises(TinyMLError, match="variants()"):
        synthesize_keyword_dataset(tmp_path / "a", ["yes"], **{**TINY, "variants": ["m1", "nope", "f3"]})
    with pytest.raises(TinyMLError, match="at least 3"):
        synthesize_keyword_dataset(tmp_path / "a", ["yes"], **{**TINY, "variants": ["m1", "f3"]})
    with pytest.raises(TinyMLError, match="clips_per_word"):
        synthesize_keyword_dataset(tmp_path / "a", ["yes"], **{**TINY, "clips_per_word": 0})
    keep = tmp_path / "mine"
    keep.mkdir()
    (keep / "notes.txt").write_text("precious")
    with pytest.raises(TinyMLError, match="did not write"):
        synthesize_keyword_dataset(keep, ["yes"], **TINY)
    assert (keep / "notes.txt").read_text() == "precious"
    # a failure while writing (eSpeak cannot say an unknown "word" of punctuation) leaves no folder behind
    with pytest.raises(TinyMLError, match="said nothing"):
        synthesize_keyword_dataset(tmp_path / "b", ["yes"], **{**TINY, "unknown_words": ["..."]})
    assert not (tmp_path / "b").exists() and not list(tmp_path.glob(".b.*"))
