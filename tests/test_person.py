"""Person detection: the camera path (Python and the sketch's C++ bit for bit), image files and their errors, the
image-folder and Visual Wake Words loaders and their errors, the synthetic scenes, the CLI, one end-to-end run."""

import json
import shutil
import subprocess
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from tinymlkit.apps.person.camera import camera_crop, read_frame, read_image
from tinymlkit.apps.person.data import LABELS, load_person_data
from tinymlkit.apps.person.synth import load_scenes, render_scene, synthesize_person_scenes, write_scene_folder
from tinymlkit.deploy.render import environment
from tinymlkit.errors import TinyMLError

from clirun import tinyml
from cpp_build import CPP, build, compile_sketch

TEMPLATES = Path(__file__).parents[1] / "src" / "tinymlkit" / "apps" / "person" / "templates"


def _png(path: Path, size=(176, 144), mode="L", value=None, seed=0) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(seed)
    channels = {"L": (), "RGB": (3,), "RGBA": (4,)}[mode]
    pixels = (
        rng.integers(0, 256, (size[1], size[0], *channels))
        if value is None
        else np.full((size[1], size[0], *channels), value)
    )
    Image.fromarray(pixels.astype(np.uint8), mode=mode).save(path)
    return path


def _folder(root: Path, per_class: int = 6, no_person: str = "no_person") -> Path:
    for i in range(per_class):
        _png(root / "person" / f"p{i}_nohash_0.png", seed=i)
        _png(root / no_person / f"n{i}_nohash_0.jpg", seed=100 + i, mode="RGB", size=(320, 240))
    return root


# --- camera path --------------------------------------------------------------------------------------------------


def test_camera_crop_keeps_the_central_square_shrunk_by_two_thirds():
    frame = np.zeros((144, 176), np.uint8)
    frame[:3, 16:19] = [[9, 0, 0], [0, 0, 0], [0, 0, 0]]  # the first 3x3 block of the central square
    out = camera_crop(frame)
    assert out.shape == (96, 96) and out.dtype == np.uint8
    assert out[0, 0] == (4 * 9 + 4) // 9 and out[0, 1] == 0 and out[1, 1] == 0
    frame[:, :16] = 255  # outside the square: ignored
    frame[:, 160:] = 255
    assert np.array_equal(camera_crop(frame), out)
    assert np.all(camera_crop(np.full((2, 144, 176), 200, np.uint8)) == 200)
    block = np.arange(9, dtype=np.uint8).reshape(3, 3) * 20
    frame = np.zeros((144, 176), np.uint8)
    frame[:3, 16:19] = block
    w = np.array([[2, 1, 0], [0, 1, 2]])
    expected = [[(int((np.outer(w[a], w[b]) * block).sum()) + 4) // 9 for b in (0, 1)] for a in (0, 1)]
    assert camera_crop(frame)[:2, :2].tolist() == expected
    with pytest.raises(TinyMLError, match="camera frames must be uint8 144x176"):
        camera_crop(np.zeros((96, 96), np.uint8))


def test_image_files_become_the_camera_frame(tmp_path):
    big = _png(tmp_path / "big.png", size=(640, 480), mode="RGB", value=90)
    assert read_frame(big).shape == (144, 176) and np.all(read_frame(big) == 90)
    frame = _png(tmp_path / "frame.png", seed=3)
    assert np.array_equal(read_frame(frame), np.asarray(Image.open(frame)))  # a camera frame passes unchanged
    assert read_image(frame).shape == (96, 96)
    rgba = _png(tmp_path / "a.png", mode="RGBA", value=50, size=(100, 300))
    assert read_frame(rgba).shape == (144, 176)
    deep = tmp_path / "deep.png"
    Image.fromarray(np.linspace(0, 65535, 176 * 144).reshape(144, 176).astype(np.uint16)).save(deep)
    assert read_frame(deep).max() == 255 and read_frame(deep).min() == 0
    bmp = tmp_path / "x.bmp"
    Image.fromarray(np.full((144, 176), 7, np.uint8)).save(bmp)
    assert np.all(read_image(bmp) == 7)


def test_bad_image_files_are_one_line_errors(tmp_path):
    cases = {}
    cases["missing"] = (tmp_path / "none.png", "image file .* not found")
    gif = tmp_path / "x.gif"
    Image.fromarray(np.zeros((10, 10), np.uint8)).save(gif)
    cases["gif"] = (gif, "is a GIF image; use PNG, JPEG or BMP")
    junk = tmp_path / "junk.png"
    junk.write_bytes(b"not an image at all")
    cases["junk"] = (junk, "is not an image Pillow can read")
    truncated = tmp_path / "cut.jpg"
    _png(tmp_path / "whole.jpg", mode="RGB", size=(200, 200))
    truncated.write_bytes((tmp_path / "whole.jpg").read_bytes()[:600])
    cases["truncated"] = (truncated, "is damaged or truncated")
    for path, message in cases.values():
        with pytest.raises(TinyMLError, match=message) as err:
            read_image(path)
        assert "\n" not in str(err.value)


@pytest.fixture(scope="module")
def harness(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("harness")
    context = {
        "version": "test",
        "frame_width": 176,
        "frame_height": 144,
        "size": 96,
        "input_scale": 1 / 255,
        "input_zero_point": -128,
        "output_scale": 1 / 256,
        "output_zero_point": -128,
        "measured_arena": 1,
        "arena_bytes": 1,
        "labels": LABELS,
    }
    settings = environment(TEMPLATES).get_template("model_settings.h.j2").render(**context)
    (folder / "model_settings.h").write_text(settings)
    return build(folder / "harness", [CPP / "person_harness.cpp", TEMPLATES / "camera_crop.cpp"], [folder, TEMPLATES])


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_sketch_camera_path_matches_python_bit_for_bit(harness, seed):
    frame = (
        render_scene([9, seed], person=seed % 2 == 0).frame
        if seed
        else np.random.default_rng(0).integers(0, 256, (144, 176)).astype(np.uint8)
    )
    out = subprocess.run([str(harness)], input=frame.tobytes(), capture_output=True, check=True).stdout
    cpp = np.array(out.split(), dtype=np.int64).reshape(96, 96)
    assert np.array_equal(cpp, camera_crop(frame).astype(np.int64) - 128)


# --- synthetic scenes ---------------------------------------------------------------------------------------------


def test_scenes_are_deterministic_and_labelled():
    a, b = render_scene([0, 5], True), render_scene([0, 5], True)
    assert np.array_equal(a.frame, b.frame) and a.frame.shape == (144, 176) and a.frame.dtype == np.uint8
    assert a.person and a.people >= 1 and 30 <= a.height <= 320  # seen close, whole, or taller than the view
    empty = render_scene([0, 6], False)
    assert not empty.person and empty.people == 0 and empty.height == 0
    assert not np.array_equal(render_scene([1, 5], True).frame, a.frame)


def test_brightness_alone_does_not_give_the_class_away():
    scenes = [render_scene([3, i], i % 2 == 1) for i in range(120)]
    mean = np.array([s.frame.mean() for s in scenes])
    person = np.array([s.person for s in scenes])
    assert abs(mean[person].mean() - mean[~person].mean()) < 12  # the classes overlap in brightness
    assert abs(np.corrcoef(mean, person)[0, 1]) < 0.3


def test_scenes_mix_photo_like_surfaces_and_views_in_both_classes():
    scenes = [render_scene([4, i], i % 2 == 1) for i in range(200)]
    for person in (False, True):
        backgrounds = {s.background for s in scenes if s.person == person}
        assert "backdrop" in backgrounds and len(backgrounds - {"backdrop"}) >= 4  # both classes on busy surfaces
    assert {s.view for s in scenes if s.person} == {"close", "medium", "whole"}
    assert {s.view for s in scenes if not s.person} == {""}
    assert any("animal face" in s.objects for s in scenes if not s.person)  # the close-up near miss


@pytest.mark.parametrize("kind", ["leaves", "granular", "tiles", "print", "sky", "dish"])
def test_every_photo_like_surface_is_busy_and_deterministic(kind, monkeypatch):
    from tinymlkit.apps.person import textures

    monkeypatch.setattr(textures, "KINDS", (kind,))
    image, got = textures.photo_background(np.random.default_rng(1))
    again, _ = textures.photo_background(np.random.default_rng(1))
    assert got == kind and image.shape == (144, 176) and np.array_equal(image, again)
    edges = np.abs(np.diff(np.clip(image, 0, 255), axis=1))
    assert image.std() > 5 and (edges > 12).mean() > 0.002  # detail, not a flat wall


def test_a_close_person_is_a_face_above_shoulders_in_the_kept_square():
    from tinymlkit.apps.person.canvas import Canvas
    from tinymlkit.apps.person.closeups import CROP_LEFT, head_and_shoulders

    canvas = Canvas(np.full((144, 176), 128.0))
    height = head_and_shoulders(canvas, np.random.default_rng(3))
    painted = np.asarray(canvas.image) != 128
    columns = np.flatnonzero(painted.any(axis=0))
    assert 30 < height <= 144 and painted[-1].any()  # from the head down to the bottom edge
    assert CROP_LEFT - 60 < columns.mean() < CROP_LEFT + 144 + 60
    assert painted[:, :CROP_LEFT].sum() + painted[:, CROP_LEFT + 144 :].sum() < painted.sum()


def test_scene_set_and_scene_folder_give_the_same_images(tmp_path):
    synthesize_person_scenes(tmp_path / "set", 60, seed=2)
    data = load_scenes(tmp_path / "set")
    assert data.labels == ["no_person", "person"] and len(data) == 60 and data.x.shape == (60, 96, 96)
    assert int(data.y.sum()) == 30
    assert set(data.meta) >= {"people", "person_height", "occluded", "objects", "background", "view"}
    summary = write_scene_folder(tmp_path / "folder", 60, seed=2)
    assert "60 synthetic scenes (30 with a person)" in summary
    assert "not photographs" in (tmp_path / "folder" / "README.txt").read_text()
    loaded = load_person_data(tmp_path / "folder")
    order = np.argsort([Path(p).name for p in loaded.meta["path"]])
    assert np.array_equal(loaded.x[order], data.x) and np.array_equal(loaded.y[order], data.y)
    assert np.array_equal(loaded.split[order], data.split)  # the lists hold the same splits as the scene set
    with pytest.raises(TinyMLError, match="too few"):
        synthesize_person_scenes(tmp_path / "few", 10)


# --- loaders ------------------------------------------------------------------------------------------------------


def test_image_folder_with_lists_and_hash_splits(tmp_path):
    root = _folder(tmp_path / "imgs")
    data = load_person_data(root)
    assert data.labels == LABELS and len(data) == 12 and data.x.shape == (12, 96, 96)
    assert int(data.y.sum()) == 6 and set(data.split) <= {"train", "validation", "test"}
    (root / "validation_list.txt").write_text("person/p0_nohash_0.png\n\nno_person/n0_nohash_0.jpg\n")
    (root / "testing_list.txt").write_text("person/p1_nohash_0.png\nno_person/n1_nohash_0.jpg\n")
    data = load_person_data(root)
    assert sorted(data.split.tolist()) == ["test"] * 2 + ["train"] * 8 + ["validation"] * 2


def test_split_folders_and_mlperf_non_person(tmp_path):
    for split in ("train", "val", "test"):
        _folder(tmp_path / "vww" / split, per_class=2, no_person="non_person")
    data = load_person_data(tmp_path / "vww")
    assert data.counts() == {s: {"no_person": 2, "person": 2} for s in ("train", "validation", "test")}
    shutil.rmtree(tmp_path / "vww" / "val")
    assert set(load_person_data(tmp_path / "vww").split) >= {"train", "test"}


def _vww(tmp_path: Path, nested: bool = True) -> Path:
    images = [{"id": i, "file_name": f"COCO_val2014_{i:012d}.jpg", "height": 240, "width": 320} for i in range(6)]
    for image in images:
        _png(tmp_path / "val2014" / image["file_name"], mode="RGB", size=(320, 240), seed=image["id"])
    labels = [{"image_id": i, "label": i % 2, "object": [], "count": i % 2} for i in range(6)]
    annotations = {str(a["image_id"]): [a] for a in labels} if nested else labels
    path = tmp_path / "annotations" / "instances_visualwakewords_val2014.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps({"images": images, "annotations": annotations, "categories": {}}))
    return path


@pytest.mark.parametrize("nested", [True, False])
def test_visual_wake_words_annotations(tmp_path, nested):
    path = _vww(tmp_path, nested)
    data = load_person_data(path, images=tmp_path)
    assert len(data) == 6 and data.y.tolist() == [0, 1, 0, 1, 0, 1] and set(data.group) == {str(i) for i in range(6)}
    assert np.array_equal(data.x[1], read_image(tmp_path / "val2014" / "COCO_val2014_000000000001.jpg"))


@pytest.mark.parametrize(
    "make, message",
    [
        (lambda root: root / "nowhere", "data folder .* not found"),
        (lambda root: (root.mkdir(), root)[1], "no person/ and no_person/ folders, train/validation/test folders"),
        (lambda root: (_png(root / "person" / "a.png"), root)[1], "no no_person/ folder \\(or non_person/\\) in"),
        (
            lambda root: ((root / "no_person").mkdir(parents=True), _png(root / "person" / "a.png"), root)[2],
            "class folder .*no_person has no images",
        ),
        (
            lambda root: ((_folder(root) / "person" / "x.gif").write_bytes(b"GIF89a"), root)[1],
            "x.gif is not a supported image \\(.gif\\); use PNG, JPEG or BMP",
        ),
        (
            lambda root: ((_folder(root) / "person" / "bad.png").write_bytes(b"\x89PNG\r\n\x1a\n junk"), root)[1],
            "bad.png is (not an image Pillow can read|damaged or truncated)",
        ),
        (
            lambda root: ((_folder(root) / "testing_list.txt").write_text("person/gone.png\n"), root)[1],
            "testing_list.txt line 1: person/gone.png not found",
        ),
        (lambda root: (_folder(root / "test"), root)[1], "has test/ but no train/ folder"),
        (lambda root: (root.mkdir(), (root / "x.json").write_text("{oops"), root)[2], "is not valid JSON"),
        (
            lambda root: (root.mkdir(), (root / "x.json").write_text('{"images": []}'), root)[2],
            "is not a Visual Wake Words annotations file",
        ),
        (
            lambda root: (
                root.mkdir(),
                (root / "x.json").write_text(
                    '{"images": [{"id": 1, "file_name": "a.jpg"}], "annotations": [{"image_id": 1, "category_id": 1}]}'
                ),
                root,
            )[2],
            "an annotation without image_id and a 0/1 label",
        ),
        (
            lambda root: (
                root.mkdir(),
                (root / "x.json").write_text(
                    '{"images": [{"id": 1, "file_name": "a.jpg"}], "annotations": [{"image_id": 1, "label": 1}]}'
                ),
                root,
            )[2],
            "image a.jpg of x.json not found in",
        ),
        (
            lambda root: (
                root.mkdir(),
                (root / "x.json").write_text(
                    '{"images": [{"id": 2, "file_name": "a.jpg"}], "annotations": [{"image_id": 1, "label": 1}]}'
                ),
                root,
            )[2],
            "image 2 \\(a.jpg\\) has no annotation",
        ),
        (
            lambda root: (root.mkdir(), (root / "x.txt").write_text("hello"), root / "x.txt")[2],
            "is not a folder or a Visual Wake Words .json",
        ),
    ],
)
def test_bad_data_sets_are_one_line_errors(tmp_path, make, message):
    path = make(tmp_path / "data")
    with pytest.raises(TinyMLError, match=message) as err:
        load_person_data(path)
    assert "\n" not in str(err.value)


def test_missing_class_in_a_split_is_named(tmp_path):
    from tinymlkit.apps.person.recipe import check_splits

    root = _folder(tmp_path / "imgs", per_class=3)
    (root / "validation_list.txt").write_text("person/p1_nohash_0.png\nno_person/n1_nohash_0.jpg\n")
    (root / "testing_list.txt").write_text("person/p0_nohash_0.png\n")
    data = load_person_data(root)
    with pytest.raises(TinyMLError, match="the test split of .* has no 'no_person' images"):
        check_splits(data, str(root))


# --- CLI ----------------------------------------------------------------------------------------------------------


def test_cli_data_and_errors(tmp_path):
    result = tinyml("person", "data", str(tmp_path / "scenes"), "--scenes", "40")
    assert result.returncode == 0, result.stderr
    assert len(list((tmp_path / "scenes" / "person").glob("*.png"))) == 20
    bad = tinyml("person", "train", "--data", str(tmp_path / "nowhere"))
    assert bad.returncode == 1 and "data folder" in bad.stderr and "Traceback" not in bad.stderr
    assert len(bad.stderr.strip().splitlines()) == 1
    missing = tinyml(
        "person",
        "predict",
        str(tmp_path / "scenes" / "person" / "scene000001.png"),
        "--model",
        str(tmp_path / "none.tflite"),
    )
    assert missing.returncode == 1 and "model file" in missing.stderr


# --- end to end ---------------------------------------------------------------------------------------------------


@pytest.mark.e2e
def test_person_end_to_end(tmp_path):
    from tinymlkit.apps.person.recipe import PersonConfig, evaluate, load_data, predict, run
    from tinymlkit.deploy.c_array import parse_c_array
    from tinymlkit.train import TrainConfig

    config = PersonConfig(
        scenes=160,
        runs=str(tmp_path / "runs"),
        train=TrainConfig(epochs=1, batch_size=32, learning_rate=3e-3, decay=True),
    )
    report = run(config)
    run_dir = Path(report.run_dir)
    saved = json.loads((run_dir / "report.json").read_text())
    assert saved["app"] == "person" and saved["data"]["labels"] == ["no_person", "person"]
    assert set(saved["float_metrics"]) == set(saved["int8_metrics"]) == {"accuracy"}
    assert "synthetic scenes, not photographs" in saved["data"]["source"]
    assert "not photographs" in saved["details"]["data_kind"]
    model = saved["model"]
    assert model["input_shape"] == [1, 96, 96, 1] and model["input_zero_point"] == -128
    assert abs(model["input_scale"] - 1 / 255) < 1e-6
    assert 200_000 < model["parameters"] < 240_000 and model["arena_bytes"] > 10_000
    assert {"CONV_2D", "DEPTHWISE_CONV_2D"} <= set(model["ops"])
    deploy = run_dir / "deploy"
    tflite = (deploy / "model.tflite").read_bytes()
    assert parse_c_array((deploy / "model_data.cc").read_text()) == tflite
    assert (deploy / "labels.txt").read_text().split() == ["no_person", "person"]
    sketch = deploy / "person_sketch"
    assert "constexpr int kPersonIndex = 1;" in (sketch / "model_settings.h").read_text()
    assert (run_dir / "examples.png").is_file() and (run_dir / "confusion.png").is_file()
    compile_sketch(sketch, tmp_path)
    compile_sketch(sketch, tmp_path, defines=("USE_OV767X_CAMERA=1",))
    data, _ = load_data(config)
    assert evaluate(tflite, data).accuracy == pytest.approx(report.int8_metrics["accuracy"])
    image = _png(tmp_path / "photo.jpg", mode="RGB", size=(300, 200))
    (score,) = predict(tflite, [image])
    assert 0.0 <= score.person <= 1.0 and abs(score.person + score.no_person - 1.0) < 0.02
    assert score.input_zero_point == -128 and len(score.raw) == 2
    cli = tinyml("person", "predict", str(image), "--model", str(deploy / "model.tflite"))
    assert cli.returncode == 0, cli.stderr
    assert "person scores" in cli.stdout and "zero point -128" in cli.stdout


def test_installed_photos_without_people_become_backgrounds(tmp_path, monkeypatch):
    from tinymlkit.apps.person import synth, textures

    folder = tmp_path / "nature"
    folder.mkdir()
    _png(folder / "meadow.png", size=(640, 400), seed=3)
    (folder / "notes.txt").write_text("not a photo")
    monkeypatch.setenv("TINYML_BACKGROUND_PHOTOS", str(folder))
    monkeypatch.setattr(textures, "REAL_SHARE", 1.0)
    textures.photo_library.cache_clear()
    try:
        assert len(textures.photo_library()) == 1 and max(textures.photo_library()[0].shape) == textures.PHOTO_SIDE
        key = textures.library_key()
        image, kind = textures.photo_background(np.random.default_rng(0))
        assert kind == "photo" and image.shape == (144, 176) and image.std() > 5
        without, kind = textures.photo_background(np.random.default_rng(0), photos=False)  # as the challenge makes
        assert kind != "photo"
        n = next(i for i in range(50) if synth.render_scene([0, i], True).background == "photo")
        with_scene, without_scene = (synth.render_scene([0, n], True, photos) for photos in (True, False))
        _png(folder / "dune.png", seed=4)
        assert textures.library_key() not in ("", key)  # another photo, other scenes: another cache entry
        monkeypatch.setenv("TINYML_BACKGROUND_PHOTOS", str(tmp_path / "none"))
        textures.photo_library.cache_clear()
        assert textures.library_key() == "" and textures.photo_background(np.random.default_rng(0))[1] != "photo"
        assert np.array_equal(textures.photo_background(np.random.default_rng(0))[0], without)
        textures.photo_library.cache_clear()
        plain = synth.render_scene([0, n], True)  # no photos installed: what photos=False draws anywhere
        assert np.array_equal(plain.frame, without_scene.frame) and not np.array_equal(plain.frame, with_scene.frame)
    finally:
        textures.photo_library.cache_clear()
