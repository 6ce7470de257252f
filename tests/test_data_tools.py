"""``tinyml data``: stats, audit (planted problems, quarantine and restore), split, augment, and their errors."""

import csv
import hashlib
import json
import shutil
from pathlib import Path

import numpy as np
import pytest
import soundfile as sf

from tinymlkit.apps.kws.data import load_speech_commands
from tinymlkit.apps.wand.data import load_imu_recordings
from tinymlkit.data.split import split_of
from tinymlkit.datatools.audit import audit_folder, quarantine, restore
from tinymlkit.datatools.augment_folder import augment_folder
from tinymlkit.datatools.kind_audio import AUDIO
from tinymlkit.datatools.kinds import scan
from tinymlkit.datatools.split_lists import write_split_lists
from tinymlkit.datatools.stats import folder_stats
from tinymlkit.errors import TinyMLError

import clirun
from clirun import one_line_error, tinyml_here
from datagen import write_tone_dataset

# spk000, 001, 004, 005... hash to train; spk002, 003, 007, 011 to test (no validation speakers in 12)
assert split_of("spk001") == "train" and split_of("spk002") == "test"

PLANTED = {
    "duplicate": "yes/spk000_nohash_7.wav",
    "leakage": "no/spk002_nohash_7.wav",
    "near duplicate": "up/spk005_nohash_7.wav",
    "silent": "down/spk006_nohash_7.wav",
    "clipped": "down/spk008_nohash_7.wav",
    "length": "down/spk009_nohash_7.wav",
}
SWAPPED = ["no/spk004_nohash_8.wav", "yes/spk010_nohash_8.wav"]  # a 'yes' filed under no/, an 'up' under yes/


def files(root: Path) -> dict[str, str]:
    """Relative path -> SHA-256 of every file under ``root``."""
    return {
        str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


@pytest.fixture(scope="module")
def clean(tmp_path_factory) -> Path:
    return write_tone_dataset(tmp_path_factory.mktemp("tones"))


@pytest.fixture
def planted(clean, tmp_path) -> Path:
    """The tone data set with one of each problem planted."""
    root = tmp_path / "planted"
    shutil.copytree(clean, root)
    rng = np.random.default_rng(5)
    shutil.copy(root / "yes/spk000_nohash_0.wav", root / PLANTED["duplicate"])
    shutil.copy(root / "no/spk001_nohash_0.wav", root / PLANTED["leakage"])  # a training clip in the test split
    x, _ = sf.read(root / "up/spk004_nohash_1.wav")
    sf.write(root / PLANTED["near duplicate"], 0.6 * x + 0.001 * rng.standard_normal(len(x)), 16000, subtype="PCM_16")
    sf.write(root / PLANTED["silent"], 0.0005 * rng.standard_normal(16000), 16000, subtype="PCM_16")
    x, _ = sf.read(root / "down/spk008_nohash_0.wav")
    sf.write(root / PLANTED["clipped"], np.clip(8 * x, -1, 1), 16000, subtype="PCM_16")
    sf.write(root / PLANTED["length"], np.tile(x, 3)[:40000], 16000, subtype="PCM_16")
    shutil.move(root / "yes/spk004_nohash_2.wav", root / SWAPPED[0])
    shutil.move(root / "up/spk010_nohash_1.wav", root / SWAPPED[1])
    return root


def test_audit_finds_every_planted_problem(planted):
    result = audit_folder(planted)
    found = {(f.check, f.path) for f in result.findings}
    for check, path in PLANTED.items():
        assert (check, path) in found, (check, path, sorted(found))
    leak = next(f for f in result.findings if f.check == "leakage")
    assert leak.related == ["no/spk001_nohash_0.wav"] and "test" in leak.detail
    labels = {f.path: f for f in result.findings if f.check == "label"}
    assert set(SWAPPED) <= set(labels) and "looks like 'yes'" in labels[SWAPPED[0]].detail
    assert set(result.to_quarantine) >= set(PLANTED.values()) | set(SWAPPED)
    assert all(f.fix for f in result.findings)


def test_clean_data_has_nothing_to_quarantine(clean):
    result = audit_folder(clean)
    assert result.to_quarantine == [], result.findings


def test_fix_quarantines_without_losing_a_file_and_restore_puts_them_back(planted):
    before = files(planted)
    result = tinyml_here("data", "audit", str(planted), "--fix")
    assert result.returncode == 0, result.stderr
    assert "leakage no/spk002_nohash_7.wav" in result.stdout and "Quarantined 8 files" in result.stdout
    after = files(planted)
    kept = {p: h for p, h in after.items() if not p.startswith(("_quarantine", "_reports"))}
    moved = {
        p.removeprefix("_quarantine/"): h
        for p, h in after.items()
        if p.startswith("_quarantine/") and not p.endswith("manifest.json")
    }
    assert len(kept) + len(moved) == len(before) and {**kept, **moved} == before  # nothing lost, nothing changed
    assert set(moved) == set(PLANTED.values()) | set(SWAPPED)
    manifest = json.loads((planted / "_quarantine" / "manifest.json").read_text())
    assert {m["path"] for m in manifest} == set(moved) and all(m["reasons"] for m in manifest)
    audit = json.loads((planted / "_reports" / "audit.json").read_text())
    assert audit["counts"]["leakage"] == 1
    assert len(scan(planted, AUDIO)) == len(before) - 1 - 8  # _background_noise_/white.wav is not an example
    assert tinyml_here("data", "restore", str(planted)).returncode == 0
    restored = {p: h for p, h in files(planted).items() if not p.startswith(("_quarantine", "_reports"))}
    assert restored == before


def test_quarantine_then_restore_in_the_library(planted):
    result = audit_folder(planted, label_check=False)
    moved = quarantine(result)
    assert set(moved.moved) == set(PLANTED.values())
    assert sorted(restore(planted).moved) == sorted(moved.moved)
    with pytest.raises(TinyMLError, match="nothing to restore"):
        restore(planted)


def test_stats_counts_lengths_and_figure(planted):
    s = folder_stats(planted)
    assert s.kind == "audio" and s.files == 150 and s.labels == ["down", "no", "up", "yes"]
    assert s.counts["no"] == {"train": 25, "validation": 0, "test": 13}
    assert s.durations_s["down"]["max"] == pytest.approx(2.5) and s.rates == {"16000": 150}
    assert s.groups == {"train": 8, "validation": 0, "test": 4}
    assert s.per_group["spk004"] == {"down": 3, "no": 4, "up": 3, "yes": 2}  # one "yes" moved under no/
    assert any("no validation files" in w for w in s.warnings)
    result = tinyml_here("data", "stats", str(planted), "--out", str(planted.parent / "out"))
    assert result.returncode == 0, result.stderr
    assert json.loads((planted.parent / "out" / "stats.json").read_text())["files"] == 150
    assert (planted.parent / "out" / "stats.png").stat().st_size > 5000


@pytest.fixture(scope="module")
def gestures(tmp_path_factory) -> Path:
    from tinymlkit.apps.wand.synth import synthesize_wand_dataset

    root = tmp_path_factory.mktemp("wand")
    synthesize_wand_dataset(root, ["0", "1", "7"], 16, 1, 0)
    return root


def test_imu_stats_and_audit(gestures, tmp_path):
    s = folder_stats(gestures)
    assert s.kind == "imu" and s.files == 48 and s.group_word == "subject"
    assert set(s.metadata["device"]) == {"nano33ble", "nano33ble_rev2"}
    root = tmp_path / "wand"
    shutil.copytree(gestures, root)
    rec = np.loadtxt(root / "0" / "user000_nohash_0.csv", delimiter=",", skiprows=1)
    still = rec.copy()
    still[:, 4:7] = 0.5
    np.savetxt(
        root / "0" / "user001_nohash_5.csv",
        still,
        delimiter=",",
        header="t_ms,ax,ay,az,gx,gy,gz",
        comments="",
        fmt="%.4f",
    )
    shutil.copy(root / "1" / "user002_nohash_0.csv", root / "1" / "user002_nohash_5.csv")
    found = {(f.check, f.path) for f in audit_folder(root).findings}
    assert ("silent", "0/user001_nohash_5.csv") in found and ("duplicate", "1/user002_nohash_5.csv") in found


def test_split_is_stable_when_files_are_added(clean, tmp_path):
    root = tmp_path / "data"
    shutil.copytree(clean, root)
    first = write_split_lists(root, validation_percent=20, test_percent=20)
    lists = {n: (root / n).read_text() for n in ("validation_list.txt", "testing_list.txt")}
    assert first.counts["train"] + first.counts["validation"] + first.counts["test"] == 144 and not first.had_lists
    for name in ("newvoice01", "newvoice02", "newvoice03"):
        shutil.copy(root / "yes/spk000_nohash_0.wav", root / f"yes/{name}_nohash_0.wav")
    again = write_split_lists(root, validation_percent=20, test_percent=20)
    assert again.changed == 0 and again.had_lists
    with pytest.raises(TinyMLError, match="would move .* held-out files.*--force"):
        write_split_lists(root, validation_percent=10, test_percent=10)
    assert write_split_lists(root, validation_percent=10, test_percent=10, force=True).changed > 0
    write_split_lists(root, validation_percent=20, test_percent=20, force=True)
    for n, text in lists.items():
        assert set(text.split()) <= set((root / n).read_text().split())
    data = load_speech_commands(root, ["yes", "no"])
    for group in set(data.group) - {"_noise_"}:  # silence cut from background noise goes to every split
        assert len(set(data.split[data.group == group])) == 1  # one speaker, one split
    assert sum(data.split == "validation") > 0  # the loader follows the lists


def test_split_by_metadata_column_and_imu_loader_follows_lists(gestures, tmp_path):
    root = tmp_path / "wand"
    shutil.copytree(gestures, root)
    result = write_split_lists(root, validation_percent=25, test_percent=25, by="device")
    assert result.groups["train"] + result.groups["validation"] + result.groups["test"] == 2  # two devices
    data = load_imu_recordings(root)
    held = {p for n in ("testing_list.txt", "validation_list.txt") for p in (root / n).read_text().split()}
    assert {p for p, s in zip(data.meta["path"], data.split, strict=True) if s != "train"} == held


def test_augment_audio_only_training_files_and_records_everything(planted, tmp_path):
    out = tmp_path / "aug"
    r = augment_folder(planted, out, copies=2, seed=3)
    train = folder_stats(planted).counts
    n_train = sum(c["train"] for c in train.values())
    assert r.augmented == 2 * n_train and r.ops == ["noise", "shift", "gain", "speed", "pitch"]
    after = folder_stats(out).counts
    for label in train:
        assert after[label]["train"] == 3 * train[label]["train"] and after[label]["test"] == train[label]["test"]
    with (out / "augment.csv").open() as f:
        rows = list(csv.DictReader(f))
    assert len(rows) == r.augmented and all((out / row["path"]).is_file() for row in rows)
    params = json.loads(rows[0]["augment"])
    assert set(params) == set(r.ops) and -6 <= params["gain"]["gain_db"] <= 6
    clip, rate = sf.read(out / rows[0]["path"])
    assert rate == 16000 and len(clip) == len(sf.read(planted / rows[0]["source"])[0])
    again = augment_folder(planted, tmp_path / "again", copies=2, seed=3)
    assert files(Path(again.out)) == files(out)  # same seed, same files


def test_augment_imu_keeps_metadata(gestures, tmp_path):
    r = augment_folder(gestures, tmp_path / "aug", ops=["rotate", "noise"])
    assert r.kind == "imu" and r.augmented == 48
    with (tmp_path / "aug" / "metadata.csv").open() as f:
        rows = {row["path"]: row for row in csv.DictReader(f)}
    aug = rows["0/user000_nohash_0_aug1.csv"]
    assert aug["subject"] == "user000" and "rotate_deg" in aug["augment"]
    assert len(load_imu_recordings(tmp_path / "aug").x) == 96


@pytest.mark.parametrize(
    "args, needles",
    [
        (["stats", "{missing}"], ["not found"]),
        (["audit", "{missing}"], ["not found"]),
        (["split", "{missing}"], ["not found"]),
        (["augment", "{missing}", "{tmp}/out"], ["not found"]),
        (["stats", "{empty}"], ["no example files"]),
        (["stats", "{data}", "--kind", "video"], ["unknown data kind", "audio"]),
        (["split", "{data}", "--test", "120"], ["--test", "percentage"]),
        (["split", "{data}", "--validation", "60", "--test", "50"], ["below 100"]),
        (["split", "{data}", "--by", "speaker"], ["metadata.csv"]),
        (["augment", "{data}", "{tmp}/out", "--ops", "blur"], ["unknown operation 'blur'", "pitch"]),
        (["augment", "{data}", "{tmp}/out", "--copies", "0"], ["--copies"]),
        (["augment", "{data}", "{data}"], ["did not write", "--force"]),
        (["restore", "{data}"], ["nothing to restore"]),
    ],
)
def test_bad_input_is_a_one_line_error(args, needles, clean, tmp_path):
    (tmp_path / "empty" / "yes").mkdir(parents=True)
    values = {"missing": tmp_path / "nope", "empty": tmp_path / "empty", "data": clean, "tmp": tmp_path}
    one_line_error(tinyml_here("data", *(a.format(**values) for a in args)), *needles)


def test_data_command_in_a_real_process(tmp_path):
    result = clirun.tinyml("data", "audit", str(tmp_path / "nope"))
    assert result.returncode == 1 and result.stderr.startswith("error:") and "Traceback" not in result.stderr


@pytest.fixture
def pictures(tmp_path) -> Path:
    """Image folders: 'person' pictures hold a dark figure; one blank, one white and one broken file planted."""
    from PIL import Image

    root = tmp_path / "pictures"
    rng = np.random.default_rng(0)
    for label in ("person", "no_person"):
        (root / label).mkdir(parents=True)
        for group in range(8):
            for k in range(3):
                image = rng.integers(60, 200, (48, 48)).astype(np.uint8)
                if label == "person":
                    image[15:40, 18:30] = 20
                Image.fromarray(image).save(root / label / f"shot{group:02d}_nohash_{k}.png")
    Image.fromarray(np.full((48, 48), 128, np.uint8)).save(root / "person" / "shot99_nohash_0.png")
    Image.fromarray(np.full((48, 48), 255, np.uint8)).save(root / "no_person" / "shot98_nohash_0.png")
    (root / "person" / "broken_nohash_0.png").write_text("not an image")
    return root


def test_image_folders_stats_audit_and_augment(pictures, tmp_path):
    s = folder_stats(pictures)
    assert s.kind == "image" and s.files == 51 and not s.timed and s.durations_s == {}
    found = {(f.check, f.path) for f in audit_folder(pictures, label_check=False).findings}
    assert {
        ("unreadable", "person/broken_nohash_0.png"),
        ("silent", "person/shot99_nohash_0.png"),
        ("clipped", "no_person/shot98_nohash_0.png"),
    } <= found
    r = augment_folder(pictures, tmp_path / "aug", ops=["flip", "brightness"])
    assert r.skipped == (["person/broken_nohash_0.png"] if split_of("broken") == "train" else [])
    with (tmp_path / "aug" / "augment.csv").open() as f:
        rows = list(csv.DictReader(f))
    assert len(rows) == r.augmented > 0 and all((tmp_path / "aug" / row["path"]).is_file() for row in rows)
    assert set(json.loads(rows[0]["augment"])) == {"flip", "brightness"}
