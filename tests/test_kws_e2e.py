"""Keyword spotting end to end on a tiny data set: train, int8 in TFLM, deployment folder, report."""

import json
import re
from pathlib import Path

import numpy as np
import pytest

from tinymlkit.apps.kws.recipe import RECOGNIZER_THRESHOLDS, RECOGNIZER_WINDOWS_MS, KwsConfig, recognizer_of_run, run
from tinymlkit.apps.kws.recognizer import RecognizerConfig
from tinymlkit.deploy.c_array import parse_c_array
from tinymlkit.runtime.model_file import read_model
from tinymlkit.runtime.ops import resolver_methods
from tinymlkit.runtime.tflm import check_runs
from tinymlkit.train import TrainConfig

from datagen import write_tone_dataset

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def kws_data(tmp_path_factory) -> Path:
    """The tone data set with two speakers listed for validation (the recognizer is calibrated on them) and two
    for testing."""
    root = write_tone_dataset(tmp_path_factory.mktemp("tones"))
    for name, speakers in (("validation", ("spk000", "spk001")), ("testing", ("spk002", "spk003"))):
        files = sorted(str(p.relative_to(root)) for s in speakers for p in root.glob(f"*/{s}_nohash_*.wav"))
        (root / f"{name}_list.txt").write_text("\n".join(files) + "\n")
    return root


@pytest.fixture(scope="module")
def report(kws_data, tmp_path_factory):
    config = KwsConfig(
        words=["yes", "no"],
        data=str(kws_data),
        model="tiny_conv",
        width=1.0,
        train=TrainConfig(epochs=8, batch_size=32, learning_rate=3e-3),
        runs=str(tmp_path_factory.mktemp("runs")),
    )
    return run(config)


def test_report_has_float_and_tflm_int8_figures(report):
    saved = json.loads((Path(report.run_dir) / "report.json").read_text())
    assert saved["app"] == "kws" and saved["data"]["labels"] == ["silence", "unknown", "yes", "no"]
    assert saved["float_metrics"]["accuracy"] > 0.8
    assert abs(saved["int8_metrics"]["accuracy"] - saved["float_metrics"]["accuracy"]) <= 0.05
    assert saved["model"]["parameters"] == 16652  # tiny_conv with 4 classes
    assert saved["model"]["ops"] == ["DEPTHWISE_CONV_2D", "FULLY_CONNECTED", "RESHAPE", "SOFTMAX"]
    assert np.array(saved["confusion"]).sum() == saved["extra"]["test_examples"]
    assert set(saved["timings"]) >= {"data", "features", "train", "convert", "verify in TFLM", "deploy"}


def test_int8_model_matches_the_micro_speech_interface(report):
    model = (Path(report.run_dir) / "deploy" / "model.tflite").read_bytes()
    info = read_model(model)
    inp, out = info.input_tensors[0], info.output_tensors[0]
    assert inp.shape == (1, 1960) and inp.dtype == "int8"
    assert inp.scale[0] == pytest.approx(26 / 256) and inp.zero_point[0] == -128  # the firmware's fixed formula
    assert out.shape == (1, 4) and out.dtype == "int8"
    assert len(model) < 20 * 1024


def test_arena_figure_is_what_tflm_needs(report):
    model = (Path(report.run_dir) / "deploy" / "model.tflite").read_bytes()
    arena = report.model.arena_bytes
    assert check_runs(model, arena)[0] and not check_runs(model, arena - 1024)[0]


def test_deploy_folder_holds_the_four_artifacts(report):
    deploy = Path(report.run_dir) / "deploy"
    model = (deploy / "model.tflite").read_bytes()
    assert parse_c_array((deploy / "model_data.cc").read_text()) == model
    sketch = deploy / "kws_sketch"
    assert (sketch / "kws_sketch.ino").is_file()
    assert parse_c_array((sketch / "model_data.cpp").read_text()) == model
    ops = re.findall(r"resolver\.(Add\w+)\(\)", (sketch / "op_resolver.h").read_text())
    assert sorted(ops) == sorted(resolver_methods(read_model(model).op_names))
    settings = (sketch / "model_settings.h").read_text()
    assert f"kTensorArenaSize = {report.model.arena_bytes + max(1024, report.model.arena_bytes // 10) + 15 & ~15}" in (
        settings
    )
    assert 'kLabels[kLabelCount] = { "silence", "unknown", "yes", "no" }' in settings
    chosen = report.extra["streaming"]["recognizer"]  # calibrated on validation recordings, used by the sketch
    assert chosen["average_window_ms"] in RECOGNIZER_WINDOWS_MS and chosen["threshold"] in RECOGNIZER_THRESHOLDS
    assert f"kAverageWindowMs = {chosen['average_window_ms']};" in settings
    assert f"kDetectionThreshold = {chosen['threshold']};" in settings
    assert recognizer_of_run(deploy / "model.tflite") == RecognizerConfig(**chosen)
    assert "Arduino_TensorFlowLite" in (deploy / "README.md").read_text()
    assert (deploy / "labels.txt").read_text().split() == ["silence", "unknown", "yes", "no"]
    assert (Path(report.run_dir) / "confusion.png").stat().st_size > 1000


def test_same_seed_same_model(report, kws_data, tmp_path):
    again = run(
        KwsConfig(
            words=["yes", "no"],
            data=str(kws_data),
            model="tiny_conv",
            width=1.0,
            train=TrainConfig(epochs=8, batch_size=32, learning_rate=3e-3),
            runs=str(tmp_path),
        )
    )
    first = (Path(report.run_dir) / "deploy" / "model.tflite").read_bytes()
    assert (Path(again.run_dir) / "deploy" / "model.tflite").read_bytes() == first
    assert again.int8_metrics == report.int8_metrics


def test_sketch_compiles_against_the_library_api(report, tmp_path):
    from sketch_check import compile_sketch

    compile_sketch(Path(report.run_dir) / "deploy" / "kws_sketch", tmp_path)


def test_listen_finds_the_right_words_at_the_right_times(report, kws_data):
    from tinymlkit.apps.kws.data import load_speech_commands
    from tinymlkit.apps.kws.detections import match_detections
    from tinymlkit.apps.kws.stream import compose_stream
    from tinymlkit.apps.kws.streaming import listen
    from tinymlkit.runtime.tflm import TFLMModel

    held_out = load_speech_commands(kws_data, ["yes", "no"]).part("test")
    audio, truth = compose_stream(held_out, ["yes", "no"], seconds=10.0, seed=3)
    assert len(audio) == 160000 and len(truth) >= 3
    tflm = TFLMModel((Path(report.run_dir) / "deploy" / "model.tflite").read_bytes())
    detections = listen(audio, tflm, report.data.labels, RecognizerConfig(**report.extra["streaming"]["recognizer"]))
    score = match_detections(detections, truth, ["yes", "no"])
    assert score.recall == 1.0, (truth, detections)
    assert not score.false_alarms


def test_cli_listen_and_predict_use_the_trained_model(report, kws_data, tmp_path):
    from tinymlkit.apps.kws.data import load_speech_commands
    from tinymlkit.apps.kws.stream import compose_stream
    from tinymlkit.data.audio import write_wav

    from clirun import tinyml

    held_out = load_speech_commands(kws_data, ["yes", "no"]).part("test")
    audio, truth = compose_stream(held_out, ["yes", "no"], seconds=10.0, seed=3)
    write_wav(tmp_path / "stream.wav", audio, 16000)
    model = Path(report.run_dir) / "deploy" / "model.tflite"
    heard = tinyml("kws", "listen", str(tmp_path / "stream.wav"), "--model", str(model), env={"COLUMNS": "200"})
    assert heard.returncode == 0, heard.stderr
    chosen = report.extra["streaming"]["recognizer"]
    assert f"{chosen['average_window_ms']} ms average, threshold {chosen['threshold']}/255" in heard.stdout
    heard_words = re.findall(r"^[\W_]*\d+\.\d\d[\W_]+(\w+)", heard.stdout, re.MULTILINE)  # table rows: time, command
    assert [w for w in heard_words if w != "unknown"] == [w.label for w in truth], heard.stdout
    clip = tmp_path / "clip.wav"
    write_wav(clip, held_out.x[int(np.flatnonzero(held_out.y == 2)[0])], 16000)
    scores = tinyml("kws", "predict", "--model", str(model), str(clip))
    assert scores.returncode == 0, scores.stderr
    assert scores.stdout.strip().splitlines()[-1] == "yes"
