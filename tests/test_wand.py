"""Magic wand: IMU loaders and their errors, the stroke tracker and rasterizer (Python and the sketch's C++ bit
for bit), the synthesizer, and one small end-to-end run."""

import json
import subprocess
from pathlib import Path

import numpy as np
import pytest

from tinymlkit.apps.wand.data import COLUMNS, load_imu_recordings, load_strokes_json, read_recording, write_recording
from tinymlkit.apps.wand.gestures import GESTURES, check_gestures
from tinymlkit.apps.wand.raster import pixel_fp, rasterize, segment_colour
from tinymlkit.apps.wand.stroke import WAND, resample, stroke_points, track_strokes
from tinymlkit.apps.wand.synth import make_user, record_gesture, synthesize_wand_dataset
from tinymlkit.deploy.render import environment
from tinymlkit.errors import TinyMLError

from cpp_build import CPP, build, compile_sketch

TEMPLATES = Path(__file__).parents[1] / "src" / "tinymlkit" / "apps" / "wand" / "templates"
HEADER = ",".join(COLUMNS)


@pytest.fixture(autouse=True)
def _private_cache(tmp_path_factory, monkeypatch):
    monkeypatch.setenv("TINYML_CACHE", str(tmp_path_factory.getbasetemp() / "cache"))


def recording(gesture: str = "7", user: int = 0, seed: int = 0, rate: float | None = None) -> np.ndarray:
    style = make_user(user, np.random.default_rng(user))
    if rate:
        from dataclasses import replace

        style = replace(style, rate_hz=rate)
    return record_gesture(GESTURES[gesture][0], style, np.random.default_rng(seed))


@pytest.fixture(scope="module")
def wand_data(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("wand")
    synthesize_wand_dataset(root, ["0", "1", "7"], users=24, repetitions=1, seed=3)
    return root


# --- rasterizer -------------------------------------------------------------------------------------------------


def test_rasterizes_a_known_stroke_pixel_by_pixel():
    # An "L": down the left side, then right along the bottom. Margin 2: x=-127 -> column 2, x=127 -> column 29.
    image = rasterize(np.array([[-127, 127], [-127, -127], [127, -127]], dtype=np.int8))
    assert image.shape == (32, 32, 3) and image.dtype == np.uint8
    red, blue = (255, 0, 0), (0, 0, 255)  # first of two segments is red, the last blue
    assert tuple(image[2, 2]) == red and tuple(image[28, 2]) == red
    assert tuple(image[29, 2]) == blue and tuple(image[29, 29]) == blue  # the corner is painted by the later one
    lit = np.argwhere(image.any(axis=2))
    assert len(lit) == 28 + 28 - 1
    assert set(lit[:, 1][lit[:, 0] < 29]) == {2} and set(lit[:, 0][lit[:, 1] > 2]) == {29}


def test_colour_runs_red_green_blue_over_time():
    assert segment_colour(0, 11) == (255, 0, 0)
    assert segment_colour(5, 11) == (0, 255, 0)
    assert segment_colour(10, 11) == (0, 0, 255)
    assert segment_colour(2, 11) == (153, 102, 0)
    assert pixel_fp(-127, 32, 2) == 2 * 256 and pixel_fp(127, 32, 2) == 29 * 256


def test_stroke_points_are_centred_and_scaled():
    stroke = np.array([[10.0, 0.0], [30.0, 5.0], [20.0, 10.0]])  # 20 x 10 degrees
    points = stroke_points(stroke)
    assert points.dtype == np.int8
    assert points.tolist() == [[-127, -63], [127, 0], [0, 64]]  # -63.5 rounds half up, as in C
    tiny = stroke_points(stroke / 10)  # smaller than min_extent_deg: not magnified beyond it
    assert np.abs(tiny).max() < 40


def test_long_strokes_keep_at_most_max_points():
    stroke = np.stack([np.linspace(0, 30, 1000), np.zeros(1000)], axis=1)
    assert len(stroke_points(stroke)) <= WAND.max_points


# --- tracker ----------------------------------------------------------------------------------------------------


def test_tracker_finds_one_stroke_per_gesture_and_none_at_rest():
    rec = recording("7")
    strokes = track_strokes(resample(rec, WAND.rate_hz))
    assert len(strokes) == 1 and WAND.min_samples <= len(strokes[0]) <= WAND.max_samples
    still = rec.copy()
    still[:, 4:7] = still[0, 4:7]  # gyroscope frozen: the wand never turns
    assert track_strokes(resample(still, WAND.rate_hz)) == []


def test_tracker_draws_the_gesture_upright():
    # A "7" starts top-left, goes right, then down-left: its first point is left of and above its last.
    stroke = track_strokes(resample(recording("7"), WAND.rate_hz))[0]
    corner = stroke[np.argmax(stroke[:, 0] + stroke[:, 1])]  # the top-right corner
    assert stroke[0, 0] < corner[0] and stroke[-1, 1] < stroke[0, 1] and stroke[-1, 0] < corner[0]


def test_resample_keeps_a_matching_rate_and_interpolates_another():
    t = np.arange(50) * 10.0
    values = np.stack([np.arange(50.0)] * 6, axis=1)
    same = resample(np.column_stack([t, values]), 100.0)
    assert np.array_equal(same, values)
    half = resample(np.column_stack([t, values]), 200.0)
    assert len(half) == 99 and half[1, 0] == 0.5


# --- C++ of the sketch ------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def harness(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("harness")
    context = {
        "version": "test",
        "stroke": WAND,
        "input_scale": 1 / 255,
        "input_zero_point": -128,
        "output_scale": 1 / 256,
        "output_zero_point": -128,
        "measured_arena": 1,
        "arena_bytes": 1,
        "labels": ["a", "b"],
    }
    settings = environment(TEMPLATES).get_template("model_settings.h.j2").render(**context)
    (folder / "model_settings.h").write_text(settings)
    sources = [TEMPLATES / f for f in ("imu_resampler.cpp", "stroke_tracker.cpp", "stroke_raster.cpp")]
    return build(folder / "harness", [CPP / "wand_harness.cpp", *sources], [folder, TEMPLATES], ("-ffp-contract=off",))


def run_harness(exe: Path, rec: np.ndarray) -> list[tuple[int, np.ndarray, np.ndarray]]:
    text = "\n".join(" ".join(f"{v:.17g}" for v in row) for row in rec)
    out = subprocess.run([str(exe)], input=text, capture_output=True, text=True, check=True).stdout.splitlines()
    strokes = []
    for i in range(0, len(out), 3):
        _, length, count = out[i].split()
        points = np.array(out[i + 1].split(), dtype=np.int64).reshape(int(count), 2)
        image = np.array(out[i + 2].split(), dtype=np.int64).reshape(WAND.shape)
        strokes.append((int(length), points, image))
    return strokes


@pytest.mark.parametrize("gesture, user, rate", [("0", 1, None), ("3", 2, 119.0), ("8", 5, 100.0), ("W", 7, 50.0)])
def test_sketch_cpp_matches_python_bit_for_bit(harness, gesture, user, rate):
    rec = recording(gesture, user, seed=user, rate=rate)
    python = track_strokes(resample(rec, WAND.rate_hz))
    cpp = run_harness(harness, rec)
    assert len(cpp) == len(python) >= 1
    for (length, points, image), stroke in zip(cpp, python, strict=True):
        assert length == len(stroke)
        assert np.array_equal(points, stroke_points(stroke))
        assert np.array_equal(image, rasterize(stroke_points(stroke)))


# --- loaders ----------------------------------------------------------------------------------------------------


def test_loads_recordings_with_subjects_kept_within_one_split(wand_data):
    data = load_imu_recordings(wand_data)
    assert data.labels == ["0", "1", "7"] and len(data) == 72
    assert data.x[0].shape[1] == 7
    for subject in set(data.group):
        assert len(set(data.split[data.group == subject])) == 1
    assert set(data.split) == {"train", "validation", "test"}
    assert set(data.meta) >= {"path", "subject", "hand", "device", "rate_hz"}
    assert data.extras["format"] == "imu"


def test_reads_back_what_it_writes(tmp_path):
    rec = recording("1")
    write_recording(tmp_path / "r.csv", rec)
    assert np.allclose(read_recording(tmp_path / "r.csv"), rec, atol=1e-4)


def _write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    return path


def _rows(n: int, dt: float = 10.0) -> str:
    return "".join(f"{i * dt},0,0,1,0,0,0\n" for i in range(n))


@pytest.mark.parametrize(
    "content, message",
    [
        ("", "first line must be the header t_ms,ax,ay,az,gx,gy,gz \\(found 'an empty file'\\)"),
        ("t,ax,ay,az,gx,gy,gz\n" + _rows(30), "first line must be the header"),
        (_rows(30), "first line must be the header"),
        (HEADER + "\n" + _rows(10) + "100,0,zero,1,0,0,0\n" + _rows(20), "line 12: 'zero' is not a number"),
        (HEADER + "\n" + _rows(10) + "100,0,0,1,0,0\n", "line 12: expected 7 comma-separated values, found 6"),
        (HEADER + "\n" + _rows(10) + "100,0,nan,1,0,0,0\n" + _rows(20), "line 12: 'nan' is not a finite number"),
        (HEADER + "\n" + _rows(25) + "20,0,0,1,0,0,0\n", "line 27: t_ms must increase \\(20 after 240\\)"),
        (HEADER + "\n" + _rows(5), "only 5 rows of data; a gesture recording needs at least 20"),
    ],
)
def test_bad_recordings_are_one_line_errors(tmp_path, content, message):
    path = _write(tmp_path / "g" / "a_nohash_0.csv", content)
    with pytest.raises(TinyMLError, match=message) as err:
        read_recording(path)
    assert "\n" not in str(err.value)
    with pytest.raises(TinyMLError, match=message):
        load_imu_recordings(tmp_path)


def test_bad_folders_are_one_line_errors(tmp_path):
    with pytest.raises(TinyMLError, match="data folder .* not found"):
        load_imu_recordings(tmp_path / "nowhere")
    with pytest.raises(TinyMLError, match="no gesture folders"):
        load_imu_recordings(tmp_path)
    _write(tmp_path / "a" / "u_nohash_0.csv", HEADER + "\n" + _rows(30))
    (tmp_path / "b").mkdir()
    _write(tmp_path / "b" / "notes.txt", "not a recording")
    with pytest.raises(TinyMLError, match="gesture 'b' has no recordings"):
        load_imu_recordings(tmp_path)
    with pytest.raises(TinyMLError, match="no folder for gesture 'c'"):
        load_imu_recordings(tmp_path, labels=["a", "c"])
    _write(tmp_path / "metadata.csv", "file,subject\nx,y\n")
    with pytest.raises(TinyMLError, match="metadata.csv is not a CSV file with a 'path' column"):
        load_imu_recordings(tmp_path, labels=["a"])


def test_loads_course_strokes_json(tmp_path):
    doc = {
        "strokes": [
            {"strokePoints": [{"x": 0.1 * i, "y": -0.05 * i} for i in range(20)], "label": 3, "subject": f"s{i % 4}"}
            for i in range(12)
        ]
    }
    data = load_strokes_json(_write(tmp_path / "wand.json", json.dumps(doc)))
    assert data.labels == ["3"] and len(data) == 12 and data.extras["format"] == "strokes"
    assert np.allclose(data.x[0][5], [45.0, -22.5])  # course units: 1.0 is 90 degrees
    assert set(data.group) == {"s0", "s1", "s2", "s3"}


@pytest.mark.parametrize(
    "content, message",
    [
        ("{not json", "is not valid JSON"),
        ('{"gestures": []}', "is not a strokes file: expected"),
        ('{"strokes": []}', "is not a strokes file: expected"),
        ('{"strokes": [{"points": [], "label": "a"}]}', "stroke 0 has no strokePoints list or no label"),
        ('{"strokes": [{"strokePoints": [{"x": 1}], "label": "a"}]}', "stroke 0 has a point without numeric x"),
        ('{"strokes": [{"strokePoints": [{"x": 1, "y": 2}], "label": "a"}]}', "needs at least 2 finite points"),
    ],
)
def test_bad_strokes_json_is_a_one_line_error(tmp_path, content, message):
    with pytest.raises(TinyMLError, match=message) as err:
        load_strokes_json(_write(tmp_path / "s.json", content))
    assert "\n" not in str(err.value)


def test_missing_strokes_file_and_label(tmp_path):
    with pytest.raises(TinyMLError, match="strokes file .* not found"):
        load_strokes_json(tmp_path / "none.json")
    doc = {"strokes": [{"strokePoints": [{"x": 0, "y": 0}, {"x": 1, "y": 1}], "label": "a"}]}
    with pytest.raises(TinyMLError, match="no strokes labelled 'b'"):
        load_strokes_json(_write(tmp_path / "s.json", json.dumps(doc)), labels=["a", "b"])


def test_gesture_names_are_checked():
    assert check_gestures(["W", "O", "L"]) == ["W", "O", "L"]
    for bad, message in ((["0"], "at least two"), (["0", "0"], "repeat"), (["0", "Q"], "unknown gesture 'Q'")):
        with pytest.raises(TinyMLError, match=message):
            check_gestures(bad)


def test_synthesizer_is_deterministic_and_users_differ():
    a, b = recording("2", user=3, seed=1), recording("2", user=3, seed=1)
    assert np.array_equal(a, b)
    assert make_user(1, np.random.default_rng(1)) != make_user(2, np.random.default_rng(2))
    assert np.all(np.diff(a[:, 0]) > 0)
    assert abs(np.linalg.norm(a[0, 1:4]) - 1.0) < 0.1  # at rest the accelerometer reads 1 g


# --- end to end -------------------------------------------------------------------------------------------------


@pytest.mark.e2e
def test_wand_end_to_end(tmp_path):
    from tinymlkit.apps.wand.recipe import WandConfig, evaluate, load_data, run
    from tinymlkit.deploy.c_array import parse_c_array
    from tinymlkit.train import TrainConfig

    config = WandConfig(
        gestures=["0", "1", "7"],
        users=24,
        repetitions=1,
        augment=1,
        runs=str(tmp_path / "runs"),
        train=TrainConfig(epochs=2, batch_size=16, learning_rate=3e-3),
    )
    report = run(config)
    run_dir = Path(report.run_dir)
    saved = json.loads((run_dir / "report.json").read_text())
    assert saved["app"] == "wand" and saved["data"]["labels"] == ["0", "1", "7"]
    assert set(saved["float_metrics"]) == set(saved["int8_metrics"]) == {"accuracy"}
    assert saved["model"]["parameters"] == 24 * 1000 + 234 - 650 + 64 * 3 + 3  # 3 classes instead of 10
    assert saved["model"]["arena_bytes"] > 1000 and saved["model"]["input_zero_point"] == -128
    assert abs(saved["model"]["input_scale"] - 1 / 255) < 1e-6
    deploy = run_dir / "deploy"
    tflite = (deploy / "model.tflite").read_bytes()
    assert parse_c_array((deploy / "model_data.cc").read_text()) == tflite
    assert (deploy / "labels.txt").read_text().split() == ["0", "1", "7"]
    sketch = deploy / "wand_sketch"
    settings = (sketch / "model_settings.h").read_text()
    assert f"constexpr double kStartDps = {WAND.start_dps:.17g};" in settings
    assert 'kLabels[kLabelCount] = { "0", "1", "7" }' in settings
    assert (run_dir / "examples.png").is_file() and (run_dir / "confusion.png").is_file()
    for rev in ("1", "0"):
        compile_sketch(sketch, tmp_path, defines=(f"NANO33BLE_REV2={rev}",))
    data, _ = load_data(config)
    result = evaluate(tflite, data)
    assert result.accuracy == pytest.approx(report.int8_metrics["accuracy"])
