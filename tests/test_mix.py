"""Your own keyword clips mixed with the built-in voices (datatools/mix.py): when, how weighted, and your held-out
clips measured apart in the report."""

import shutil
from pathlib import Path

import numpy as np
import pytest

from tinymlkit.apps.kws import recipe as kws
from tinymlkit.datatools import mix
from tinymlkit.datatools.augment import AudioAugment
from tinymlkit.errors import TinyMLError
from tinymlkit.train import TrainConfig

from datagen import write_tone_dataset


@pytest.fixture(scope="module")
def folders(tmp_path_factory) -> tuple[Path, Path]:
    """``mine``: 'yes' and 'no' by one speaker, 24 clips each (nothing else); ``builtin``: a stand-in for the
    built-in set (yes, no and two other words by 12 speakers, noise)."""
    root = tmp_path_factory.mktemp("mix")
    builtin = write_tone_dataset(root / "builtin")
    mine = root / "mine"
    voice = write_tone_dataset(root / "voice", words=("yes", "no"), speakers=1, takes=24, seed=5)
    for word in ("yes", "no"):
        shutil.copytree(voice / word, mine / word)
    return mine, builtin


def config(mine: Path, tmp_path: Path, **changes) -> kws.KwsConfig:
    return kws.KwsConfig(
        words=["yes", "no"],
        data=str(mine),
        model="tiny_conv",
        width=0.5,
        train=TrainConfig(epochs=2, batch_size=32),
        augment=AudioAugment(copies=0),
        runs=str(tmp_path / "runs"),
        **changes,
    )


def test_mixing_is_the_default_for_a_folder_of_one_or_two_speakers(folders, tmp_path):
    mine, builtin = folders
    words = ["yes", "no"]
    assert mix.should_mix(None, mine, words, (".wav",))
    assert not mix.should_mix(None, builtin, words, (".wav",))  # 12 speakers: a data set of its own
    assert not mix.should_mix(None, tmp_path, words, (".wav",))  # no clips: the loader says what is missing
    assert mix.should_mix(True, builtin, words, (".wav",)) and not mix.should_mix(False, mine, words, (".wav",))


def test_your_clips_weighted_and_held_out(folders, monkeypatch, tmp_path):
    mine, builtin = folders
    monkeypatch.setattr(kws, "builtin_data", lambda config, progress=None: builtin)
    data, source = kws.load_data(config(mine, tmp_path))
    yours = data.meta[mix.SOURCE] == mix.YOURS
    test, note = data.extras["real_test"]
    assert "your held-out clips" in note and "each x" in source
    assert len(test) >= 6 and set(test.split) == {"test"} and not np.any(data.split[yours] == "test")
    train_keywords = (data.split == "train") & (data.y >= 2)
    share = np.sum(yours & train_keywords) / np.sum(train_keywords)
    assert 0.2 < share < 0.45  # about OWN_SHARE of the keyword training clips are yours, by repetition
    assert {data.labels[i] for i in np.unique(data.y)} == {"silence", "unknown", "yes", "no"}
    held_out = set(data.meta["path"][yours]) & set(test.meta["path"])
    assert not held_out  # no held-out clip of yours is trained on


def test_your_other_words_are_weighted_up_like_your_keywords(folders, monkeypatch, tmp_path):
    """A voice heard only saying keywords is a cue for 'keyword': your clips of other words (here 'up') join
    'unknown' repeated as often as your keywords."""
    builtin = folders[1]
    voice = write_tone_dataset(tmp_path / "voice", words=("yes", "no", "up"), speakers=1, takes=8, seed=5)
    shutil.copytree(voice, tmp_path / "mine")  # few clips of each, so that they are repeated
    monkeypatch.setattr(kws, "builtin_data", lambda config, progress=None: builtin)
    data, source = kws.load_data(config(tmp_path / "mine", tmp_path))
    repeats = int(source.split("each x")[1].split(";")[0])
    yours_train = (data.meta[mix.SOURCE] == mix.YOURS) & (data.split == "train")
    unknown, yes = (data.y == data.labels.index("unknown")), (data.y == data.labels.index("yes"))
    paths = data.meta["path"]
    assert repeats > 1 and np.any(yours_train & unknown)
    for label in (unknown, yes):  # every training clip of yours, keyword or not, is there `repeats` times
        assert set(np.unique(paths[yours_train & label], return_counts=True)[1]) == {repeats}


def test_a_label_you_did_not_record_leaves_the_repeats(folders, tmp_path):
    """Keywords only (no other words of yours): repeated as often as when only keywords were weighted."""
    mine = write_tone_dataset(tmp_path / "mine", words=("yes", "no"), speakers=1, takes=8, seed=5)
    own = kws.load_speech_commands(mine, ["yes", "no"], check_classes=False)
    built = kws.load_speech_commands(folders[1], ["yes", "no"])
    keywords = [built.labels.index(w) for w in ("yes", "no")]
    repeats = mix.mixed(own, built, keywords)[2]
    assert repeats > 1 and mix.mixed(own, built, [built.labels.index("unknown"), *keywords])[2] == repeats


def test_mix_needs_a_folder():
    with pytest.raises(TinyMLError, match="give your folder with --data"):
        kws.KwsConfig(mix=True)


def test_without_mixing_a_folder_of_keywords_is_refused(folders, tmp_path):
    mine, _ = folders
    with pytest.raises(TinyMLError, match="has no training clips"):
        kws.load_data(config(mine, tmp_path, mix=False))


def test_too_few_clips_to_train_on(folders, monkeypatch, tmp_path):
    mine, builtin = folders
    few = tmp_path / "few"
    own = mix.split_by_example(kws.load_speech_commands(mine, ["yes", "no"], check_classes=False))
    for path in own.meta["path"][own.split == "test"]:  # held-out clips only: nothing left to train on
        (few / path).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(mine / path, few / path)
    monkeypatch.setattr(kws, "builtin_data", lambda config, progress=None: builtin)
    with pytest.raises(TinyMLError, match="none of your examples is left for training"):
        kws.load_data(config(few, tmp_path))


@pytest.mark.e2e
def test_a_mixed_run_reports_your_held_out_clips(folders, monkeypatch, tmp_path):
    mine, builtin = folders
    monkeypatch.setattr(kws, "builtin_data", lambda config, progress=None: builtin)
    report = kws.run(config(mine, tmp_path))
    real = report.real_world
    assert real is not None and "your held-out clips" in real.source
    assert sum(real.counts.values()) >= 6 and 0.0 <= real.metrics["accuracy"] <= 1.0
    alone = kws.load_speech_commands(builtin, ["yes", "no"]).counts()["test"]
    assert report.data.counts["test"] == alone  # the test split: the built-in voices only, as without your clips


# --- gestures: the same mixing for the magic wand ---


@pytest.fixture(scope="module")
def wand_folders(tmp_path_factory) -> tuple[Path, Path]:
    """``mine``: gestures 0, 1, 7 by one person, 12 recordings each; ``builtin``: 24 other synthetic users."""
    from tinymlkit.apps.wand.synth import synthesize_wand_dataset

    root = tmp_path_factory.mktemp("wand-mix")
    synthesize_wand_dataset(root / "mine", ["0", "1", "7"], users=1, repetitions=12, seed=11)
    synthesize_wand_dataset(root / "builtin", ["0", "1", "7"], users=24, repetitions=1, seed=3)
    return root / "mine", root / "builtin"


@pytest.mark.e2e
def test_a_mixed_wand_run_reports_your_held_out_recordings(wand_folders, monkeypatch, tmp_path):
    from tinymlkit.apps.wand import recipe as wand

    mine, builtin = wand_folders
    assert mix.should_mix(None, mine, None, (".csv",)) and not mix.should_mix(None, builtin, None, (".csv",))
    monkeypatch.setattr(wand, "builtin_data", lambda config, progress=None: builtin)
    config = wand.WandConfig(data=str(mine), train=TrainConfig(epochs=2, batch_size=32), runs=str(tmp_path / "runs"))
    report = wand.run(config)
    real = report.real_world
    assert real is not None and "your held-out recordings" in real.source
    assert sum(real.counts.values()) >= 3 and 0.0 <= real.metrics["accuracy"] <= 1.0
    assert "mixed with built-in synthetic users" in report.data.source
    with pytest.raises(TinyMLError, match="give your folder with --data"):
        wand.WandConfig(mix=True)


def test_gestures_the_built_in_users_cannot_draw(wand_folders, tmp_path):
    from tinymlkit.apps.wand import recipe as wand

    mine, _ = wand_folders
    odd = tmp_path / "odd"
    shutil.copytree(mine / "0", odd / "0")
    shutil.copytree(mine / "1", odd / "circle")
    with pytest.raises(TinyMLError, match="unknown gesture 'circle'.*alone with --no-mix"):
        wand.load_data(wand.WandConfig(data=str(odd)))


# --- photos: the same mixing for person detection ---


@pytest.fixture(scope="module")
def photo_folders(tmp_path_factory) -> tuple[Path, Path]:
    """``mine``: 16 camera frames per class taken by one person (``me_nohash_<n>.png``); ``builtin``: a stand-in
    for the built-in scene set (80 scenes)."""
    from PIL import Image

    from tinymlkit.apps.person.synth import render_scene, synthesize_person_scenes

    root = tmp_path_factory.mktemp("person-mix")
    for label, person in (("no_person", False), ("person", True)):
        (root / "mine" / label).mkdir(parents=True)
        for n in range(16):
            frame = render_scene([77, 2 * n + person], person).frame
            Image.fromarray(frame).save(root / "mine" / label / f"me_nohash_{n}.png")
    return root / "mine", synthesize_person_scenes(root / "builtin", 80, seed=4)


def test_your_photos_are_mixed_with_the_built_in_scenes_and_weighted_up(photo_folders, monkeypatch):
    from tinymlkit.apps.person import recipe as person

    mine, builtin = photo_folders
    assert mix.should_mix(None, mine, None, (".png", ".jpg"))
    monkeypatch.setattr(person, "builtin_data", lambda config, progress=None: builtin)
    data, source = person.load_data(person.PersonConfig(data=str(mine)))
    yours = data.meta["source"] == "yours"
    held_out, _ = data.extras["real_test"]
    assert len(data) - yours.sum() == 80 and len(held_out) + len(set(data.meta["path"][yours])) == 32
    train = yours & (data.split == "train")
    assert train.sum() / (data.split == "train").sum() == pytest.approx(mix.OWN_SHARE, abs=0.1)
    assert set(data.split[~yours]) <= {"train", "validation", "test"} and "test" not in set(data.split[yours])
    assert "your training photos" in source and "mixed with built-in synthetic scenes" in source
    alone, _ = person.load_data(person.PersonConfig(data=str(mine), mix=False))
    assert len(alone) == 32
    with pytest.raises(TinyMLError, match="give your folder with --data"):
        person.PersonConfig(mix=True)
