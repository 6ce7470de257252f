"""Real-world test sets (``--real-test DIR``): read with each application's loader (resampled, downmixed, camera
frames), matched to the model's labels, measured with the int8 model in TFLM beside the test split, and shown in
report.json, the CLI table and the model card; bad folders are one-line errors before any training."""

import json
from pathlib import Path

import numpy as np
import pytest
import soundfile as sf
from PIL import Image

from tinymlkit.apps.kws.recipe import KwsConfig
from tinymlkit.apps.kws.recipe import recipe as kws
from tinymlkit.apps.person.recipe import PersonConfig
from tinymlkit.apps.person.recipe import recipe as person
from tinymlkit.apps.wand.recipe import WandConfig
from tinymlkit.apps.wand.recipe import recipe as wand
from tinymlkit.errors import TinyMLError
from tinymlkit.evaluate.real_world import load_real_test, match_labels

from clirun import one_line_error, tinyml_here
from datagen import write_tone_dataset


def real_words(root: Path) -> Path:
    """Tone 'recordings' as real folders come: 8 kHz mono, 44.1 kHz stereo, 48 kHz; 'up' is not a keyword."""
    write_tone_dataset(root, words=("yes", "no", "up"), speakers=2, takes=1, seed=7)
    for i, wav in enumerate(sorted(root.glob("*/*.wav"))):
        if wav.parent.name.startswith("_"):
            continue
        audio, rate = sf.read(wav)
        if i % 3 == 0:
            sf.write(wav, audio[::2], 8000)
        elif i % 3 == 1:
            stereo = np.interp(np.arange(0, len(audio), rate / 44100), np.arange(len(audio)), audio)
            sf.write(wav, np.stack([stereo, stereo], axis=1), 44100)
        else:
            sf.write(wav, np.interp(np.arange(0, len(audio), rate / 48000), np.arange(len(audio)), audio), 48000)
    return root


def photos(root: Path) -> Path:
    """Odd sizes and modes: a tall RGBA PNG, a small JPEG, a 16-bit grayscale PNG, a wide BMP."""
    rng = np.random.default_rng(3)
    (root / "person").mkdir(parents=True)
    (root / "no_person").mkdir()
    Image.fromarray(rng.integers(0, 256, (500, 37, 4), dtype=np.uint8), "RGBA").save(root / "person" / "tall.png")
    Image.fromarray(rng.integers(0, 256, (20, 30, 3), dtype=np.uint8), "RGB").save(root / "person" / "small.jpg")
    Image.fromarray(rng.integers(0, 65535, (64, 64), dtype=np.uint16)).save(root / "no_person" / "deep.png")
    Image.fromarray(rng.integers(0, 256, (90, 1000), dtype=np.uint8), "L").save(root / "no_person" / "wide.bmp")
    return root


def test_kws_real_folder_is_all_test_resampled_and_unknown_kept(tmp_path):
    data, source = load_real_test(kws, KwsConfig(words=["yes", "no"]), real_words(tmp_path / "real"))
    assert source == str(tmp_path / "real") and set(data.split) == {"test"}
    counts = {label: int(np.sum(data.y == i)) for i, label in enumerate(data.labels)}
    assert counts["yes"] == counts["no"] == counts["unknown"] == 2  # every 'up' clip is an unknown word
    assert counts["silence"] == 2  # cut from the folder's _background_noise_/
    assert data.x.shape[1] == 16000
    assert data.notes["resampled from 8000 Hz"] and data.notes["resampled from 44100 Hz"]
    assert data.notes["downmixed to mono"] == 2
    matched = match_labels(data, ["silence", "unknown", "yes", "no"], "real")
    assert matched.labels == ["silence", "unknown", "yes", "no"] and len(matched) == len(data)


def test_person_photos_of_any_size_and_mode_become_camera_frames(tmp_path):
    data, _ = load_real_test(person, PersonConfig(), photos(tmp_path / "photos"))
    assert data.x.shape == (4, 96, 96) and data.x.dtype == np.uint8 and set(data.split) == {"test"}
    assert sorted(data.y.tolist()) == [0, 0, 1, 1]


def test_wand_strokes_json_with_an_unknown_gesture_is_one_line(tmp_path):
    doc = {
        "strokes": [
            {
                "strokePoints": [{"x": 0.1 * i, "y": (-0.05 if k else 0.05) * i} for i in range(20)],
                "label": label,
                "subject": f"s{k}",
            }
            for k, label in enumerate(["1", "1", "9", "7"])
        ]
    }
    (tmp_path / "strokes.json").write_text(json.dumps(doc))
    data, _ = load_real_test(wand, WandConfig(), tmp_path / "strokes.json")
    assert len(data) == 4 and set(data.split) == {"test"}
    with pytest.raises(TinyMLError, match=r"has examples of 9, which the model does not know \(it knows 0, 1, 7\)"):
        match_labels(data, ["0", "1", "7"], tmp_path / "strokes.json")
    assert match_labels(data.take(data.y != data.labels.index("9")), ["0", "1", "7"], "x").labels == ["0", "1", "7"]


@pytest.mark.parametrize(
    "make, message",
    [
        (lambda p: p, "folder {p} not found"),
        (lambda p: (p.mkdir(), p)[1], "folder {p} is empty"),
        (lambda p: ((p / "person").mkdir(parents=True), p)[1], "no no_person/ folder"),
        (lambda p: (photos(p), (p / "person" / "x.gif").write_text("GIF"), p)[2], "x.gif is not a supported image"),
        (
            lambda p: (photos(p), (p / "person" / "broken.png").write_bytes(b"\x89PNG\r\n\x1a\n..."), p)[2],
            "broken.png is",
        ),
    ],
)
def test_bad_person_folders_fail_before_training(tmp_path, make, message):
    folder = make(tmp_path / "real")
    result = tinyml_here("person", "train", "--real-test", str(folder), "--runs", str(tmp_path / "runs"))
    one_line_error(result, "--real-test", message.format(p=folder))
    assert not (tmp_path / "runs").exists() or not any((tmp_path / "runs").iterdir())


def test_missing_keyword_folder_is_named(tmp_path):
    write_tone_dataset(tmp_path / "real", words=("yes",), speakers=1, takes=1)
    with pytest.raises(TinyMLError, match="--real-test .*no folder for keyword 'no'"):
        load_real_test(kws, KwsConfig(words=["yes", "no"]), tmp_path / "real")


@pytest.mark.e2e
def test_kws_report_has_the_real_world_section(tmp_path):
    data = write_tone_dataset(tmp_path / "tones", words=("yes", "no", "up", "down"), speakers=8, takes=2)
    real = real_words(tmp_path / "real")
    result = tinyml_here(
        "kws",
        "train",
        "--data",
        str(data),
        "--words",
        "yes,no",
        "--family",
        "tiny_conv",
        "--epochs",
        "2",
        "--real-test",
        str(real),
        "--runs",
        str(tmp_path / "runs"),
    )
    assert result.returncode == 0, result.stderr
    assert "real-world test" in result.stdout and "false accepts" in result.stdout
    (run_dir,) = (tmp_path / "runs").iterdir()
    saved = json.loads((run_dir / "report.json").read_text())
    rw = saved["real_world"]
    # silence: cut from the folder's _background_noise_ recording, as many as the mean keyword (2)
    assert rw["examples"] == 8 and rw["counts"] == {"silence": 2, "unknown": 2, "yes": 2, "no": 2}
    assert rw["test_metrics"] == saved["int8_metrics"] and 0.0 <= rw["metrics"]["accuracy"] <= 1.0
    assert rw["negatives"] == 4 and 0 <= rw["false_accepts"] <= 4
    assert sum(map(sum, rw["confusion"])) == 8 and rw["notes"]["downmixed to mono"] == 2
    assert saved["settings"]["real_test"] == str(real)
    card = (run_dir / "deploy" / "model_card.md").read_text()
    assert "## Real-world test" in card and "silence 2, unknown 2, yes 2, no 2" in card
    assert card.index("## Real-world test") < card.index("## Limitations")


@pytest.mark.e2e
def test_wand_real_strokes_through_the_python_api(tmp_path):
    import tinymlkit as tm
    from tinymlkit.train import TrainConfig

    doc = {
        "strokes": [
            {
                "strokePoints": [{"x": 0.02 * i * (k + 1), "y": -0.03 * i} for i in range(30)],
                "label": label,
                "subject": f"person{k}",
            }
            for k in range(2)
            for label in ("0", "7")
        ]
    }
    (tmp_path / "real.json").write_text(json.dumps(doc))
    config = tm.wand.config(
        gestures=["0", "1", "7"],
        users=24,
        repetitions=1,
        runs=str(tmp_path / "runs"),
        real_test=str(tmp_path / "real.json"),
        train=TrainConfig(epochs=1, batch_size=16),
    )
    report = tm.run(tm.wand, config)
    rw = report.real_world
    assert rw.examples == 4 and rw.counts == {"0": 2, "7": 2} and set(rw.per_class_recall) == {"0", "7"}
    assert rw.false_accepts is None and len(rw.confusion) == 3  # the model's three labels, "1" without examples
    assert json.loads((Path(report.run_dir) / "report.json").read_text())["real_world"]["examples"] == 4


def test_card_section_and_gap_line():
    from tinymlkit.evaluate.real_world import card_section, gap_line
    from tinymlkit.report import RealWorldSummary

    real = RealWorldSummary(
        "photos",
        15,
        {"no_person": 13, "person": 2},
        {"accuracy": 0.4},
        {"accuracy": 0.88},
        [[4, 9], [0, 2]],
        {"no_person": 4 / 13, "person": 1.0},
        notes={"resampled": 2},
    )
    text = card_section(real, synthesized=True)
    assert "| accuracy | 0.8800 | 0.4000 |" in text and "no_person 13, person 2" in text
    assert "synthesized test split" in text and "resampled: 2" in text
    assert "0.400, against 0.880" in gap_line(real)
    real.metrics["accuracy"] = 0.86
    assert gap_line(real) is None


def test_train_help_offers_real_test():
    for app in ("kws", "person", "wand"):
        result = tinyml_here(app, "train", "--help")
        assert result.returncode == 0 and "--real-test" in result.stdout, app
