"""flite, Festival and Piper as optional voices of the built-in keyword data: detection (with fake tools and voice
files), the cache key, the holdout by recorded person, and real synthesis where the tools are installed (skipped
elsewhere)."""

import csv
import importlib.util
import json
import shutil
import stat
from pathlib import Path

import numpy as np
import pytest

from tinymlkit.apps.kws import recipe as kws
from tinymlkit.apps.kws import synth, voices
from tinymlkit.apps.kws.voices import ExternalVoice
from tinymlkit.data.audio import SAMPLE_RATE
from tinymlkit.errors import TinyMLError

FAKES = (
    ExternalVoice("festival", "cmu_us_slt_arctic_hts", "en", "slt", "female"),
    ExternalVoice("festival", "kal_diphone", "en", "kal", "male"),
    ExternalVoice("festival", "pc_diphone", "it", "pc", "male"),
    ExternalVoice("flite", "awb", "en", "awb", "male"),
    ExternalVoice("flite", "kal16", "en", "kal", "male"),
    ExternalVoice("flite", "rms", "en", "rms", "male"),
    ExternalVoice("flite", "slt", "en", "slt", "female"),
)


needs_piper = pytest.mark.skipif(importlib.util.find_spec("piper") is None, reason="piper-tts is not installed")


def _piper_folder(base: Path) -> Path:
    """A folder of fake Piper voice files: two voices, a model without its config, one named otherwise, one whose
    config is not Piper's."""
    base.mkdir()
    config = {"language": {"family": "en"}, "phoneme_id_map": {"a": [1]}, "audio": {"sample_rate": 22050}}
    for name, cfg in (
        ("en_GB-alba-medium", config),
        ("it_IT-paola-medium", {**config, "language": {"family": "it"}}),
        ("en_US-nojson-low", None),
        ("voice", config),
        ("en_US-other-low", {"language": {"family": "en"}}),
    ):
        (base / f"{name}.onnx").write_bytes(b"onnx")
        if cfg is not None:
            (base / f"{name}.onnx.json").write_text(json.dumps(cfg))
    return base


@pytest.fixture
def fake_tools(tmp_path, monkeypatch):
    """A PATH holding only a fake flite (which lists its voices), festival and stdbuf, a fake Festival voice folder
    with English, American, Italian and unknown-language voices, and a folder of fake Piper voices (none packaged)."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    scripts = {"flite": "#!/bin/sh\necho 'Voices available: kal awb_time kal16 slt'\n", "festival": "", "stdbuf": ""}
    for name, text in scripts.items():
        path = bin_dir / name
        path.write_text(text or "#!/bin/sh\nexit 0\n")
        path.chmod(path.stat().st_mode | stat.S_IEXEC)
    base = tmp_path / "festival-voices"
    for folder in ("english/kal_diphone", "us/cmu_us_slt_arctic_hts", "italian/pc_diphone", "klingon/kor_diphone"):
        (base / folder / "festvox").mkdir(parents=True)
    monkeypatch.setenv("PATH", str(bin_dir))
    monkeypatch.setattr(voices, "FESTIVAL_VOICE_DIRS", [base, tmp_path / "missing"])
    monkeypatch.setattr(voices, "_packaged_piper_models", lambda: [])
    monkeypatch.setenv(voices.PIPER_VOICES_ENV, str(_piper_folder(tmp_path / "piper")))
    voices.installed.cache_clear()
    yield
    voices.installed.cache_clear()


@needs_piper
def test_detection_finds_voices_languages_and_people(fake_tools):
    found = {v.variant: v for v in voices.installed()}
    assert sorted(found) == [
        "festival-cmu_us_slt_arctic_hts",
        "festival-kal_diphone",
        "festival-pc_diphone",
        "flite-kal",
        "flite-kal16",
        "flite-slt",
        "piper-en_GB-alba-medium",
        "piper-it_IT-paola-medium",
    ]  # flite's limited-domain awb_time, Festival's unknown "klingon" folder and the odd Piper files are left out
    alba = found["piper-en_GB-alba-medium"]
    assert (alba.speaker, alba.lang, Path(alba.model).name) == ("alba", "en", "en_GB-alba-medium.onnx")
    with pytest.raises(TinyMLError, match="Piper could not speak with .*en_GB-alba-medium.onnx .*reinstall"):
        voices.synthesize(alba.variant, "yes")  # the fake model is no network
    assert {found[v].speaker for v in ("flite-kal", "flite-kal16", "festival-kal_diphone")} == {"kal"}
    assert found["festival-cmu_us_slt_arctic_hts"].speaker == found["flite-slt"].speaker == "slt"
    assert found["flite-slt"].gender == "female" and found["festival-pc_diphone"].lang == "it"
    assert [v.variant for v in voices.for_language("it")] == ["festival-pc_diphone", "piper-it_IT-paola-medium"]
    assert len(voices.for_language("en-us")) == 6 and voices.for_language("es") == []
    with pytest.raises(TinyMLError, match="no installed voice 'flite-nope'.*flite-kal16"):
        voices.find("flite-nope")
    assert voices.describe(["flite-slt", "festival-kal_diphone", "flite-kal", "piper-en_GB-alba-medium"]) == (
        "flite (slt, kal), Festival (kal_diphone), Piper (en_GB-alba-medium)"
    )


def test_no_tools_means_espeak_only(tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", str(tmp_path))
    monkeypatch.setattr(voices, "_packaged_piper_models", lambda: [])
    monkeypatch.delenv(voices.PIPER_VOICES_ENV, raising=False)
    voices.installed.cache_clear()
    try:
        assert voices.installed() == () and synth.extra_voices_for("en") == []
        assert kws._synth_options(kws.KwsConfig(extra_voices=True))["extra_voices"] == []
        assert kws.synthesizers(kws.KwsConfig(extra_voices=True)) == "eSpeak NG"
        with pytest.raises(TinyMLError, match="install flite, festival or piper"):
            synth.extra_voices_for("en", ["flite-slt"])
    finally:
        voices.installed.cache_clear()


def test_readable_texts():
    assert voices.readable("flite", "yes?") and voices.readable("festival", "perché")
    assert not voices.readable("flite", "perché") and not voices.readable("festival", "नमस्ते")
    assert not voices.readable("festival", "[[ba'tu]]")  # eSpeak phoneme input
    assert voices.speaker_of("cmu_us_slt_arctic_hts") == "slt" and voices.speaker_of("kal16") == "kal"


def test_cache_key_names_the_extra_voices(monkeypatch):
    monkeypatch.setattr(voices, "installed", lambda: FAKES)
    keys = []
    monkeypatch.setattr("tinymlkit.cache.cached_dataset", lambda kind, settings, build: keys.append(settings))
    kws.builtin_data(kws.KwsConfig(words=["yes", "no"], extra_voices=True))
    kws.builtin_data(kws.KwsConfig(words=["yes", "no"], extra_voices=False))
    kws.builtin_data(kws.KwsConfig(words=["uno", "due"], lang="it", extra_voices=True))
    kws.builtin_data(kws.KwsConfig(words=["yes", "no"]))  # by default off without a Piper voice
    with_extra, without, italian, default = keys
    assert with_extra["extra_voices"] == [v.variant for v in FAKES if v.lang == "en"]
    assert "extra_voices" not in without  # the key of an eSpeak-only set is what it always was
    assert italian["extra_voices"] == ["festival-pc_diphone"]
    assert default == without
    assert kws.synthesizers(kws.KwsConfig()) == "eSpeak NG"
    assert kws.synthesizers(kws.KwsConfig(extra_voices=True)) == (
        "eSpeak NG + flite (awb, kal16, rms, slt), Festival (cmu_us_slt_arctic_hts, kal_diphone)"
    )
    # With a Piper voice of the language they are on by default, where the language has built-in unknown words
    piper = ExternalVoice("piper", "en_US-joe-medium", "en", "joe", "male", "joe.onnx")
    italian_piper = ExternalVoice("piper", "it_IT-paola-medium", "it", "paola", "female", "paola.onnx")
    monkeypatch.setattr(voices, "installed", lambda: (*FAKES, piper, italian_piper))
    assert kws.synthesizers(kws.KwsConfig()).endswith("Piper (en_US-joe-medium)")
    assert kws.synthesizers(kws.KwsConfig(extra_voices=False)) == "eSpeak NG"
    assert kws.synthesizers(kws.KwsConfig(lang="it")) == "eSpeak NG"  # Italian has no built-in unknown words
    with pytest.raises(TinyMLError, match="speaks 'it', not 'en'"):
        synth.extra_voices_for("en", ["festival-pc_diphone"])


def test_voices_held_out_by_person_and_only_for_words_they_can_read():
    variants = synth.default_variants()
    extra = [v for v in FAKES if v.lang == "en"]
    made = synth._make_voices(3 * len(variants), variants, ["en"], (120, 220), (20, 80), 0.1, 0, extra)
    espeak_only = synth._make_voices(3 * len(variants), variants, ["en"], (120, 220), (20, 80), 0.1, 0)
    outside = [v for v in made if v.engine != "espeak"]
    assert len(outside) == synth.EXTERNAL_PERSONAS * len(extra) and len({v.id for v in made}) == len(made)
    person = {v.variant: v.speaker for v in extra}
    split_of: dict[str, set[str]] = {}
    for v in outside:
        split_of.setdefault(person[v.variant], set()).add(v.split)
        assert v.lang == "en" and v.gender in ("male", "female")
    assert all(len(s) == 1 for s in split_of.values())  # flite's and Festival's slt (and kal) share a split
    assert {v.id for v in espeak_only} <= {v.id for v in made}
    jobs = synth._speech_jobs(["yes"], made, 400, ["[[ba'tu]]", "[[ki'lo]]"], 200, 0)
    engines = {label: {j["engine"] for j in jobs if j["label"] == label} for label in ("yes", "unknown")}
    assert engines == {"yes": {"espeak", "flite", "festival"}, "unknown": {"espeak"}}


needs_flite = pytest.mark.skipif(shutil.which("flite") is None, reason="flite is not installed")
needs_festival = pytest.mark.skipif(
    not voices.for_language("en") or all(v.engine != "festival" for v in voices.installed()),
    reason="Festival with a voice is not installed",
)


@needs_flite
def test_flite_speaks_reproducibly_with_rate_and_pitch():
    slow = voices.synthesize("flite-slt", "seven", rate=120)
    fast = voices.synthesize("flite-slt", "seven", rate=240)
    assert slow.dtype == np.float32 and np.abs(slow).max() > 0.05
    assert len(slow) > 1.5 * len(fast)
    assert np.array_equal(slow, voices.synthesize("flite-slt", "seven", rate=120))
    low, high = (voices.synthesize("flite-kal16", "aah", semitones=s) for s in (-4, 4))
    assert _pitch(high) > 1.3 * _pitch(low)


@needs_festival
def test_festival_speaks_reproducibly():
    """Each installed Festival voice, each first in a fresh Festival (a diphone voice must not need an HTS one)."""
    try:
        for voice in (v for v in voices.installed() if v.engine == "festival"):
            voices.close()
            word = "seven" if voice.lang == "en" else "sette"
            first = voices.synthesize(voice.variant, word, rate=150)
            assert np.abs(first).max() > 0.05 and len(first) > SAMPLE_RATE // 5, voice
            assert np.array_equal(first, voices.synthesize(voice.variant, word, rate=150))
        with pytest.raises(TinyMLError, match="cannot read"):
            voices.synthesize(voice.variant, "[[ba'tu]]")
    finally:
        voices.close()


def _pitch(audio: np.ndarray) -> float:
    """The strongest autocorrelation pitch (Hz) of the loudest 40 ms."""
    n = SAMPLE_RATE // 25
    start = int(np.argmax([np.sum(audio[i : i + n] ** 2) for i in range(0, len(audio) - n, n // 2)])) * (n // 2)
    frame = audio[start : start + n].astype(np.float64)
    ac = np.correlate(frame, frame, "full")[n - 1 :]
    low, high = SAMPLE_RATE // 400, SAMPLE_RATE // 60
    return SAMPLE_RATE / (low + int(np.argmax(ac[low:high])))


def _small_set(root: Path, extra: list[str], variants: list[str], clips: int, workers: int = 2):
    """A small English "yes" data set with the ``extra`` voices: its summary and its metadata rows."""
    summary = synth.synthesize_keyword_dataset(
        root,
        ["yes"],
        "en",
        variants=variants,
        voices=len(variants),
        clips_per_word=clips,
        unknown_count=clips // 3,
        silence_count=2,
        noise_seconds=2,
        holdout=0.3,
        extra_voices=extra,
        workers=workers,
    )
    return summary, list(csv.DictReader((root / "metadata.csv").open()))


@needs_flite
def test_dataset_with_flite_voices(tmp_path):
    extra = ["flite-awb", "flite-kal16", "flite-rms", "flite-slt"]
    summary, rows = _small_set(tmp_path / "kws", extra, ["m1", "f3", "klatt4", "Annie", "m3", "f1"], 30)
    flite = [r for r in rows if r["variant"].startswith("flite-")]
    assert {r["variant"] for r in flite} <= set(extra) and len(flite) >= 10
    assert all(r["speaker"].startswith("flite-") and float(r["speech_s"]) > 0.1 for r in flite)
    split_of: dict[str, set[str]] = {}
    for r in flite:
        split_of.setdefault(r["variant"], set()).add(r["split"])
    assert all(len(s) == 1 for s in split_of.values())
    assert summary.extra_voices == extra and "6 eSpeak NG" in str(summary) and "4 of flite (awb, kal16" in str(summary)


def _piper_voice() -> str | None:
    return next((v.variant for v in voices.for_language("en") if v.engine == "piper"), None)


needs_piper_voice = pytest.mark.skipif(
    importlib.util.find_spec("piper") is None or _piper_voice() is None,
    reason="piper-tts with an English voice is not installed (pip install -e '.[voices]')",
)


@needs_piper_voice
def test_piper_speaks_reproducibly_with_rate_pitch_and_seed():
    voice = _piper_voice()
    first = voices.synthesize(voice, "seven", rate=150, seed=3)
    assert first.dtype == np.float32 and np.abs(first).max() > 0.05 and len(first) > SAMPLE_RATE // 5
    assert np.array_equal(first, voices.synthesize(voice, "seven", rate=150, seed=3))
    other = voices.synthesize(voice, "seven", rate=150, seed=4)  # another take: its timing and tone differ
    assert len(other) != len(first) or not np.allclose(other, first, atol=1e-3)
    slow, fast = (voices.synthesize(voice, "seven", rate=r, seed=3) for r in (100, 250))
    assert len(slow) > 1.5 * len(fast)
    low, high = (voices.synthesize(voice, "aah", semitones=s, seed=3) for s in (-4, 4))
    assert _pitch(high) > 1.3 * _pitch(low)


@needs_piper_voice
def test_dataset_with_a_piper_voice_is_the_same_with_any_number_of_workers(tmp_path, monkeypatch):
    monkeypatch.setattr(synth, "PIPER_PERSONAS", 6)
    voice = _piper_voice()
    made = []
    for workers in (1, 2):
        summary, rows = _small_set(tmp_path / f"kws{workers}", [voice], ["m1", "f3", "klatt4"], 12, workers)
        made.append({r["path"]: (tmp_path / f"kws{workers}" / r["path"]).read_bytes() for r in rows})
    piper = [r for r in rows if r["variant"] == voice]
    assert {r["label"] for r in piper} == {"yes", "unknown"} and len(piper) >= 8  # 6 of 9 voices are Piper's
    assert all(float(r["speech_s"]) > 0.1 for r in piper) and len({r["split"] for r in piper}) == 1
    assert made[0] == made[1]
    assert summary.extra_voices == [voice] and "Piper (" in str(summary)
