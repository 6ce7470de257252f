"""The competition library: challenge files, hidden sets, the scorer (real int8 models in TFLM), a foreign model
from the keyword-spotting pipeline, and 200 bad uploads each rejected with one line."""

import os
import time

import numpy as np
import pytest

from tinymlkit import compete
from tinymlkit.errors import TinyMLError

from clirun import tinyml_here
from competegen import float_model, hybrid_model, trained_int8, training_images, untrained_int8, write_challenge


@pytest.fixture(scope="module")
def challenges(tmp_path_factory):
    folder = tmp_path_factory.mktemp("challenges")
    write_challenge(folder)
    old = os.environ.get("TINYML_CHALLENGES")
    os.environ["TINYML_CHALLENGES"] = str(folder)
    yield folder
    if old is None:
        os.environ.pop("TINYML_CHALLENGES", None)
    else:
        os.environ["TINYML_CHALLENGES"] = old


@pytest.fixture(scope="module")
def small(challenges):
    return compete.get_challenge("small-person")


@pytest.fixture(scope="module")
def hidden(small, tmp_path_factory):
    folder = tmp_path_factory.mktemp("hidden")
    return folder, {
        "public": compete.load_part(small, "public", folder),
        "private": compete.load_part(small, "private", folder, secret="site-secret"),
    }


@pytest.fixture(scope="module")
def good_model():
    x, y = training_images()
    return trained_int8(x, y, epochs=2)


def test_builtin_challenges_are_valid_files():
    built_in = {c.name: c for c in compete.load_challenges().values() if "challenges" in c.source}
    assert {"kws-yes-no", "person-detection", "magic-wand"} <= set(built_in)
    kws = built_in["kws-yes-no"]
    assert kws.labels == ("silence", "unknown", "yes", "no") and (1, 49, 40, 1) in kws.input.shapes
    assert kws.input.elements == 49 * 40 and kws.board_info.id == "nano33ble"
    assert built_in["person-detection"].input.shapes == ((1, 96, 96, 1),)
    assert built_in["magic-wand"].input.shapes == ((1, 32, 32, 3),) and len(built_in["magic-wand"].labels) == 10


def test_a_broken_challenge_file_is_one_line(tmp_path):
    bad = tmp_path / "bad.toml"
    bad.write_text(write_challenge(tmp_path / "x").read_text().replace('board = "nano33ble"', 'board = "nope"'))
    with pytest.raises(TinyMLError, match="unknown board 'nope'"):
        compete.load_challenge(bad)
    bad.write_text("name = [")
    with pytest.raises(TinyMLError, match="cannot be read"):
        compete.load_challenge(bad)
    with pytest.raises(TinyMLError, match="no challenge 'nope'; choose one of"):
        compete.get_challenge("nope")


def test_hidden_parts_are_made_once_deterministic_and_apart(small, hidden, tmp_path):
    folder, parts = hidden
    (xp, yp), (xq, _) = parts["public"], parts["private"]
    assert xp.shape == (40, 96, 96, 1) and xp.dtype == np.float32 and 0.0 <= xp.min() and xp.max() <= 1.0
    assert sorted(np.bincount(yp)) == [20, 20]  # balanced over the labels
    assert not np.array_equal(xp, xq)  # the private part is another set
    again = compete.load_part(small, "public", tmp_path)  # made again from scratch elsewhere: the same
    assert np.array_equal(again[0], xp) and np.array_equal(again[1], yp)
    other = compete.load_part(small, "private", tmp_path, secret="another-site")
    assert not np.array_equal(other[0], xq)  # the private part depends on the site's secret
    with pytest.raises(TinyMLError, match="needs the site's secret"):
        compete.load_part(small, "private", tmp_path)
    stored = list(folder.glob("small-person-public-*/hidden.npz"))
    assert len(stored) == 1  # cached, in the folder given (the platform's data folder)


def test_a_trained_int8_model_is_scored_as_tflm_runs_it(small, hidden, good_model):
    import tinymlkit as tm

    _, parts = hidden
    score = compete.score_model(good_model, small, parts)
    tflm = tm.TFLMModel(good_model)
    for part, (x, y) in parts.items():  # the same accuracy as running the model in TFLM here
        assert score.accuracy[part] == pytest.approx(float(np.mean(tflm.predict(x).argmax(axis=1) == y)))
        assert score.examples[part] == 40
    assert score.flash_bytes == len(good_model) and score.arena_bytes == tm.measure_arena(good_model)
    profile = tm.profile(good_model, board="nano33ble")
    assert score.latency_ms == pytest.approx(profile.latency_ms) and score.macs == profile.macs
    assert score.fits and score.verdict == "fits" and 0 < score.arena_bytes_32bit <= score.arena_bytes
    assert score.input_zero_point == -128 and score.duration_s > 0
    assert compete.Score.from_dict(score.to_dict()) == score
    # The model's outputs in the other order: every answer flips.
    flipped = compete.score_model(good_model, small, parts, labels=["person", "no_person"])
    assert flipped.accuracy["public"] == pytest.approx(1.0 - score.accuracy["public"])


def test_ranking_puts_fit_then_accuracy_then_size_then_speed():
    better = compete.rank_key(0.90, True, 20_000, 30.0, 0.005)
    assert better > compete.rank_key(0.99, False, 1_000, 1.0, 0.005)  # a model that does not fit ranks last
    assert better > compete.rank_key(0.80, True, 1_000, 1.0, 0.005)  # then accuracy
    assert better > compete.rank_key(0.902, True, 30_000, 1.0, 0.005)  # within one 0.5 % step: smaller wins
    assert better > compete.rank_key(0.90, True, 20_000, 31.0, 0.005)  # then faster


@pytest.mark.e2e
def test_a_foreign_model_from_the_kws_pipeline_is_scored(tone_dataset):
    """A model trained by the toolkit's own keyword-spotting pipeline (tm API) on other data, scored on the
    built-in kws-yes-no challenge: the same accuracy as TFLM gives it directly; the CLI prints it too."""
    import tinymlkit as tm
    from tinymlkit.cli.compete import data_folder

    cfg = tm.kws.config(words=["yes", "no"], data=str(tone_dataset), model="tiny_conv", epochs=1, batch_size=32)
    data = tm.kws.load(cfg)
    feats = tm.kws.features(data, cfg)
    model = tm.kws.build_model(cfg, data)
    tm.kws.train(model, feats, cfg)
    tflite = tm.to_int8(model, feats["train"][0], input_range=tm.kws.input_range(cfg, data))
    challenge = compete.get_challenge("kws-yes-no")
    x, y = compete.load_part(challenge, "public", data_folder())
    assert x.shape == (400, 1960) and sorted(np.bincount(y)) == [100] * 4
    score = compete.score_model(tflite, challenge, {"public": (x, y)}, labels=data.labels)
    expected = float(np.mean(tm.TFLMModel(tflite).predict(x).argmax(axis=1) == y))
    assert score.accuracy["public"] == pytest.approx(expected)
    assert score.fits and score.flash_bytes == len(tflite) and score.latency_ms > 0
    model_path = tone_dataset.parent / "kws.tflite"
    model_path.write_bytes(tflite)
    done = tinyml_here("compete", "submit", "kws-yes-no", str(model_path))
    assert done.returncode == 0, done.stderr
    assert f"{expected:.1%} of 400" in done.stdout and "fits (nano33ble)" in done.stdout


def test_cli_lists_challenges_and_rejects_with_one_line(challenges, tmp_path):
    done = tinyml_here("compete", "list")
    assert done.returncode == 0 and "kws-yes-no" in done.stdout and "small-person" in done.stdout
    junk = tmp_path / "junk.tflite"
    junk.write_bytes(b"not a model at all")
    done = tinyml_here("compete", "submit", "small-person", str(junk))
    assert done.returncode == 1 and done.stderr.count("\n") == 1 and "not a TensorFlow Lite model" in done.stderr


def bad_uploads(good: bytes, wrong: dict[str, bytes], count: int = 200, seed: int = 0):
    """``count`` broken uploads: truncated, bit-flipped, not TFLite, huge, and wrong models, by a seeded loop."""
    rng = np.random.default_rng(seed)
    junk = [
        b"",
        b"hello",
        b"\x89PNG\r\n\x1a\n" + bytes(200),
        b"PK\x03\x04" + bytes(100),
        b"{}",
        b"TFL3" * 10,
        bytes(4) + b"TFL3" + bytes(100),
        b"\x00" * 5000,
    ]
    out = []
    for i in range(count):
        kind = i % 8
        if kind in (0, 1):
            out.append(("truncated", good[: int(rng.integers(0, len(good)))]))
        elif kind in (2, 3):
            flipped = bytearray(good)
            for _ in range(int(rng.integers(1, 9))):
                pos = int(rng.integers(0, len(flipped)))
                flipped[pos] ^= 1 << int(rng.integers(0, 8))
            out.append(("bit-flipped", bytes(flipped)))
        elif kind == 4:
            pick = junk[i // 8 % len(junk)]
            out.append(("not TFLite", pick + rng.bytes(int(rng.integers(0, 64)))))
        elif kind == 5:
            out.append(("huge", good + bytes(300 * 1024)))
        else:
            name = list(wrong)[i // 8 % len(wrong)]
            out.append((name, wrong[name]))
    return out


def test_fuzz_200_bad_uploads_are_rejected_cleanly_and_the_scorer_lives_on(small, hidden, good_model):
    _, parts = hidden
    wrong = {
        "float model": float_model(),
        "hybrid model": hybrid_model(),
        "wrong input shape": untrained_int8((64, 64, 1)),
        "wrong outputs": untrained_int8(classes=3),
        "wrong channels": untrained_int8((96, 96, 3)),
    }
    rejected, scored, needed_tflm = 0, 0, 0
    start = time.monotonic()
    for kind, data in bad_uploads(good_model, wrong):
        try:
            compete.check_upload(data, small)
        except TinyMLError as exc:
            message = str(exc)
            assert message and "\n" not in message and "Traceback" not in message, (kind, message)
            rejected += 1
            continue
        assert kind == "bit-flipped", kind  # every other kind is caught before TFLM
        needed_tflm += 1
        try:
            score = compete.score_model(data, small, {"public": parts["public"]})
        except TinyMLError as exc:
            assert "\n" not in str(exc), str(exc)
            rejected += 1
        else:  # a flipped weight bit can leave a valid model: then it is scored like any other
            assert 0.0 <= score.accuracy["public"] <= 1.0
            scored += 1
    assert rejected + scored == 200 and rejected >= 150
    assert needed_tflm <= 50
    # The scorer is still whole: a good model scores as before.
    assert compete.score_model(good_model, small, {"public": parts["public"]}).accuracy["public"] >= 0.0
    print(f"fuzz: {rejected} rejected, {scored} scored, {needed_tflm} reached TFLM, {time.monotonic() - start:.1f} s")


def test_contract_messages_name_the_fix(small):
    with pytest.raises(TinyMLError, match="input is float32; the challenge takes int8"):
        compete.check_upload(float_model(), small)
    with pytest.raises(TinyMLError, match="hybrid"):
        compete.check_upload(hybrid_model(), small)
    with pytest.raises(TinyMLError, match=r"input shape is \(1, 64, 64, 1\); challenge small-person takes"):
        compete.check_upload(untrained_int8((64, 64, 1)), small)
    with pytest.raises(TinyMLError, match=r"output shape is \(1, 3\); the challenge needs one score per label"):
        compete.check_upload(untrained_int8(classes=3), small)
    with pytest.raises(TinyMLError, match="up to 256 KB"):
        compete.check_upload(bytes(300 * 1024), small)
    with pytest.raises(TinyMLError, match="not the challenge's"):
        compete.check_upload(untrained_int8(), small, labels=["person", "cat"])


@pytest.mark.parametrize(
    "name, shape, classes", [("person-detection", (96, 96, 1), 2), ("magic-wand", (32, 32, 3), 10)]
)
def test_builtin_image_challenges_make_their_hidden_set_and_score(name, shape, classes, tmp_path):
    challenge = compete.get_challenge(name)
    x, y = compete.load_part(challenge, "public", tmp_path)
    assert x.shape == (challenge.examples, *shape) and set(np.unique(y)) == set(range(classes))
    model = untrained_int8(shape, classes)
    score = compete.score_model(model, challenge, {"public": (x, y)})
    assert 0.0 <= score.accuracy["public"] <= 1.0 and score.fits and score.examples["public"] == challenge.examples
