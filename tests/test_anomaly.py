"""Anomaly detection: log-mel features (Python and the sketch's C++), ROC/AUC and thresholds, the machine-sound
synthesizer, the MIMII and ToyADMOS loaders and their errors, the CLI's errors, and one small end-to-end run."""

import json
import shutil
import subprocess
from pathlib import Path

import numpy as np
import pytest

from tinymlkit.apps.anomaly.data import find_recordings, load_machine_sounds
from tinymlkit.apps.anomaly.frontend import DEFAULT, Standardizer, log_mel, mel_bands, mel_weights, stack
from tinymlkit.apps.anomaly.synth import machine_sound, make_machine, synthesize_machine_dataset
from tinymlkit.apps.kws.frontend import to_int16
from tinymlkit.data.audio import write_wav
from tinymlkit.deploy.render import environment
from tinymlkit.errors import TinyMLError
from tinymlkit.evaluate.roc import choose_threshold, operating_point, roc_auc, roc_curve
from tinymlkit.progress import silent

from clirun import tinyml
from cpp_build import CPP, build, compile_sketch

TEMPLATES = Path(__file__).parents[1] / "src" / "tinymlkit" / "apps" / "anomaly" / "templates"


# --- features ---------------------------------------------------------------------------------------------------


def test_a_tone_lands_in_its_mel_channel():
    t = np.arange(16000) / 16000
    frames = log_mel(0.5 * np.sin(2 * np.pi * 1000 * t).astype(np.float32))
    assert frames.shape == (DEFAULT.frame_count(16000), DEFAULT.n_mels) == (61, 32)
    w = mel_weights()
    assert np.argmax(frames[10]) == np.argmax(w[:, 32])  # bin 32 is 1000 Hz
    assert log_mel(np.zeros(16000, dtype=np.float32)).max() == pytest.approx(-100.0)


def test_sparse_filterbank_is_the_dense_one():
    starts, counts, weights = mel_bands()
    w = mel_weights()
    at = 0
    for m in range(DEFAULT.n_mels):
        row = np.zeros(DEFAULT.bins, dtype=np.float32)
        row[starts[m] : starts[m] + counts[m]] = weights[at : at + counts[m]]
        at += counts[m]
        assert np.array_equal(row, w[m])


def test_frames_are_stacked_frame_major():
    frames = np.arange(12, dtype=np.float32).reshape(4, 3)
    v = stack(frames, 2)
    assert v.shape == (3, 6) and v[1].tolist() == [3, 4, 5, 6, 7, 8]
    norm = Standardizer.fit([frames])
    assert np.allclose(norm(frames).mean(axis=0), 0.0, atol=1e-6)


@pytest.fixture(scope="module")
def harness(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("harness")
    starts, counts, weights = mel_bands()
    context = {
        "version": "test",
        "features": DEFAULT,
        "mel_starts": starts.tolist(),
        "mel_counts": counts.tolist(),
        "mel_weights": weights.tolist(),
        "feature_mean": [0.0] * 32,
        "feature_std": [1.0] * 32,
        "vectors_per_score": 57,
        "threshold": 1.0,
        "kmeans_threshold": 1.0,
        "centroids": [[0.0] * 160],
        "input_scale": 0.03,
        "input_zero_point": 0,
        "output_scale": 0.03,
        "output_zero_point": 0,
        "measured_arena": 1,
        "arena_bytes": 1,
    }
    settings = environment(TEMPLATES).get_template("model_settings.h.j2").render(**context)
    (folder / "model_settings.h").write_text(settings)
    return build(folder / "harness", [CPP / "anomaly_harness.cpp", TEMPLATES / "log_mel.cpp"], [folder, TEMPLATES])


@pytest.mark.parametrize("fault", [None, "bearing", "rubbing"])
def test_sketch_log_mel_matches_python(harness, fault):
    audio = to_int16(machine_sound(make_machine("fan", 2), 0.5, np.random.default_rng(1), fault, 1.0))
    text = f"{len(audio)}\n" + " ".join(map(str, audio.tolist()))
    out = subprocess.run([str(harness)], input=text, capture_output=True, text=True, check=True).stdout
    cpp = np.array([line.split() for line in out.splitlines()], dtype=np.float64)
    python = log_mel(audio)
    assert cpp.shape == python.shape
    assert np.abs(cpp - python).max() < 0.01  # dB: single vs double precision FFT


# --- ROC and thresholds -----------------------------------------------------------------------------------------


def test_auc_counts_ordered_pairs():
    y = np.array([0, 0, 1, 1])
    assert roc_auc(np.array([0.1, 0.2, 0.3, 0.4]), y) == 1.0
    assert roc_auc(np.array([0.4, 0.3, 0.2, 0.1]), y) == 0.0
    assert roc_auc(np.array([0.1, 0.35, 0.3, 0.4]), y) == 0.75
    assert roc_auc(np.ones(4), y) == 0.5  # ties count half
    fpr, tpr, thresholds = roc_curve(np.array([0.1, 0.35, 0.3, 0.4]), y)
    assert fpr[0] == tpr[0] == 0.0 and fpr[-1] == tpr[-1] == 1.0 and thresholds[0] == np.inf
    with pytest.raises(TinyMLError, match="both normal and anomalous"):
        roc_auc(np.ones(3), np.zeros(3))


def test_thresholds_from_normal_validation_scores():
    normal = np.array([1.0, 2.0, 3.0, 4.0])
    t, rule = choose_threshold(normal, "std", k=2.0)
    assert t == pytest.approx(2.5 + 2 * np.std(normal)) and "mean + 2 std" in rule
    t, rule = choose_threshold(np.arange(101.0), "percentile", percentile=99)
    assert t == pytest.approx(99.0) and "99th percentile" in rule
    with pytest.raises(TinyMLError, match="unknown threshold rule 'max'"):
        choose_threshold(normal, "max")
    with pytest.raises(TinyMLError, match="at least 2 normal"):
        choose_threshold(normal[:1])
    p = operating_point(np.array([1.0, 5.0, 2.0, 6.0]), np.array([0, 0, 1, 1]), 4.0, "r")
    assert (p.tpr, p.fpr) == (0.5, 0.5)


# --- synthesizer ------------------------------------------------------------------------------------------------


def test_synthesizer_is_deterministic_and_machines_differ():
    a = machine_sound(make_machine("fan", 0), 0.5, np.random.default_rng(3))
    b = machine_sound(make_machine("fan", 0), 0.5, np.random.default_rng(3))
    assert np.array_equal(a, b) and a.dtype == np.float32 and len(a) == 8000 and np.abs(a).max() <= 1.0
    assert make_machine("fan", 0) != make_machine("fan", 2) != make_machine("pump", 0)
    with pytest.raises(TinyMLError, match="unknown built-in machine 'drill'"):
        synthesize_machine_dataset("unused", ["drill"])


def test_faults_add_high_frequency_energy():
    machine = make_machine("pump", 4)

    def treble(fault: str | None) -> float:  # mean dB of the channels above ~3.5 kHz over a few recordings
        return float(
            np.mean(
                [log_mel(machine_sound(machine, 0.5, np.random.default_rng(i), fault, 1.0))[:, 24:] for i in range(6)]
            )
        )

    normal = treble(None)
    assert treble("bearing") > normal + 2.0 and treble("rubbing") > normal + 2.0


# --- loaders ----------------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def mimii(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("mimii")
    synthesize_machine_dataset(root, ["fan"], ids=2, normal=20, abnormal=4, seconds=0.3, seed=1)
    return root


def test_loads_the_mimii_layout_with_normal_only_training(mimii):
    data = load_machine_sounds(mimii, silent)
    assert data.labels == ["normal", "anomaly"] and len(data) == 48
    assert set(data.group) == {"fan/id_00", "fan/id_02"}
    assert not data.y[data.split != "test"].any()  # train and validation: normal only
    counts = data.counts()
    assert counts["test"] == {"normal": 8, "anomaly": 8}
    assert counts["train"]["normal"] + counts["validation"]["normal"] == 32 and counts["validation"]["normal"] > 0
    assert len(data.x[0]) == 4800


def test_accepts_snr_folders_and_subtrees(mimii, tmp_path):
    snr = tmp_path / "6_dB_fan"
    shutil.copytree(mimii / "fan", snr / "fan")
    groups = {g for _, g, _, _ in find_recordings(tmp_path)}
    assert groups == {"6_dB_fan/fan/id_00", "6_dB_fan/fan/id_02"}
    assert {g for _, g, _, _ in find_recordings(mimii / "fan")} == {"fan/id_00", "fan/id_02"}
    assert {g for _, g, _, _ in find_recordings(mimii / "fan" / "id_02")} == {"fan/id_02"}


def test_loads_the_toyadmos_dcase_layout(tmp_path):
    tone = np.sin(np.arange(8000) / 5.0).astype(np.float32) * 0.1
    for i in range(8):
        write_wav(tmp_path / "ToyCar" / "train" / f"normal_id_01_{i:08d}.wav", tone)
    write_wav(tmp_path / "ToyCar" / "test" / "normal_id_01_00000000.wav", tone)
    write_wav(tmp_path / "ToyCar" / "test" / "anomaly_id_01_00000000.wav", tone)
    data = load_machine_sounds(tmp_path, silent)
    assert set(data.group) == {"ToyCar/id_01"} and data.counts()["test"] == {"normal": 1, "anomaly": 1}
    assert data.counts()["train"]["normal"] + data.counts()["validation"]["normal"] == 8
    write_wav(tmp_path / "ToyCar" / "train" / "anomaly_id_01_00000009.wav", tone)
    with pytest.raises(TinyMLError, match="train folder must hold normal recordings only"):
        find_recordings(tmp_path)
    (tmp_path / "ToyCar" / "train" / "anomaly_id_01_00000009.wav").unlink()
    write_wav(tmp_path / "ToyCar" / "test" / "broken.wav", tone)
    with pytest.raises(TinyMLError, match="expected a name like normal_id_01_00000000.wav"):
        find_recordings(tmp_path)
    (tmp_path / "ToyCar" / "test" / "broken.wav").unlink()
    (tmp_path / "ToyConveyor" / "train").mkdir(parents=True)
    with pytest.raises(TinyMLError, match="no normal recordings in .*ToyConveyor/train"):
        find_recordings(tmp_path)


def _one_id(root: Path, normal: int = 4, abnormal: int = 1) -> Path:
    tone = np.sin(np.arange(8000) / 5.0).astype(np.float32) * 0.1
    folder = root / "fan" / "id_00"
    for i in range(normal):
        write_wav(folder / "normal" / f"{i:08d}.wav", tone)
    for i in range(abnormal):
        write_wav(folder / "abnormal" / f"{i:08d}.wav", tone)
    return folder


def test_bad_folders_are_one_line_errors(tmp_path):
    cases = []
    with pytest.raises(TinyMLError, match="data folder .* not found") as err:
        load_machine_sounds(tmp_path / "nowhere", silent)
    cases.append(err)
    with pytest.raises(TinyMLError, match="no machine recordings found") as err:
        load_machine_sounds(tmp_path, silent)
    cases.append(err)
    (tmp_path / "a" / "id_00" / "abnormal").mkdir(parents=True)
    with pytest.raises(TinyMLError, match="has no 'normal' folder") as err:
        load_machine_sounds(tmp_path / "a", silent)
    cases.append(err)
    (tmp_path / "a" / "id_00" / "normal").mkdir()
    with pytest.raises(TinyMLError, match="no normal recordings in") as err:
        load_machine_sounds(tmp_path / "a", silent)
    cases.append(err)
    assert all("\n" not in str(e.value) for e in cases)


def test_bad_files_are_one_line_errors(tmp_path):
    folder = _one_id(tmp_path)
    (folder / "normal" / "notes.txt").write_text("hello")
    with pytest.raises(TinyMLError, match="notes.txt is not a .wav file"):
        load_machine_sounds(tmp_path, silent)
    (folder / "normal" / "notes.txt").unlink()
    (folder / "normal" / "zz.wav").write_bytes(b"RIFF0000WAVEjunk")
    with pytest.raises(TinyMLError, match="cannot read .*zz.wav as audio") as err:
        load_machine_sounds(tmp_path, silent)
    assert "\n" not in str(err.value)
    (folder / "normal" / "zz.wav").unlink()
    write_wav(folder / "normal" / "short.wav", np.zeros(100, dtype=np.float32))
    with pytest.raises(TinyMLError, match="short.wav is shorter than 0.25 s"):
        load_machine_sounds(tmp_path, silent)


def test_other_sample_rates_are_resampled_and_noted(tmp_path):
    folder = _one_id(tmp_path, normal=30, abnormal=2)
    write_wav(folder / "normal" / "00000099.wav", np.zeros(22050, dtype=np.float32), sample_rate=44100)
    data = load_machine_sounds(tmp_path, silent)
    assert data.notes == {"resampled from 44100 Hz": 1}
    assert len(data.x[list(data.meta["path"]).index(str(folder / "normal" / "00000099.wav"))]) == 8000


def test_a_folder_without_anomalies_cannot_be_tested(tmp_path):
    _one_id(tmp_path, normal=30, abnormal=0)
    with pytest.raises(TinyMLError, match="no abnormal recordings to test with"):
        load_machine_sounds(tmp_path, silent)


def test_cli_errors_are_one_line(tmp_path):
    result = tinyml("anomaly", "train", "--data", str(tmp_path / "nowhere"), cwd=tmp_path)
    assert result.returncode == 1 and "data folder" in result.stderr and "Traceback" not in result.stderr
    result = tinyml("anomaly", "predict", "clip.wav", "--model", str(tmp_path / "m.tflite"), cwd=tmp_path)
    assert result.returncode == 1 and "model file" in result.stderr and "Traceback" not in result.stderr


def test_a_model_needs_its_detector_file(tmp_path):
    from tinymlkit.apps.anomaly.recipe import Detector, anomaly_model

    (tmp_path / "model.tflite").write_bytes(b"x")
    with pytest.raises(TinyMLError, match="no detector.json beside the model"):
        anomaly_model(tmp_path / "model.tflite")
    (tmp_path / "detector.json").write_text('{"features": {}}')
    with pytest.raises(TinyMLError, match="is not a detector file from 'tinyml anomaly train'"):
        Detector.load(tmp_path / "detector.json")


# --- end to end -------------------------------------------------------------------------------------------------


@pytest.mark.e2e
def test_anomaly_end_to_end(tmp_path):
    from tinymlkit.apps.anomaly.recipe import AnomalyConfig, evaluate, load_data, run
    from tinymlkit.deploy.c_array import parse_c_array
    from tinymlkit.train import TrainConfig

    config = AnomalyConfig(
        ids=2,
        normal=30,
        abnormal=8,
        width=0.25,
        clusters=4,
        runs=str(tmp_path / "runs"),
        train=TrainConfig(epochs=2, batch_size=256),
    )
    report = run(config)
    run_dir = Path(report.run_dir)
    saved = json.loads((run_dir / "report.json").read_text())
    assert saved["app"] == "anomaly" and saved["data"]["labels"] == ["normal", "anomaly"]
    assert set(saved["float_metrics"]) == set(saved["int8_metrics"]) == {"auc", "tpr", "fpr"}
    assert abs(saved["float_metrics"]["auc"] - saved["int8_metrics"]["auc"]) < 0.1
    assert saved["model"]["arena_bytes"] > 500 and saved["model"]["ops"] == ["FULLY_CONNECTED"]
    assert {"kmeans", "per_machine_auc_int8"} <= set(saved["details"]) and "detector" not in saved["details"]
    assert set(saved["thresholds"]) == {"autoencoder_float", "autoencoder_int8", "kmeans"}
    assert set(saved["details"]["per_fault_auc_int8"]) == {"bearing", "imbalance", "rubbing"}
    deploy = run_dir / "deploy"
    tflite = (deploy / "model.tflite").read_bytes()
    assert parse_c_array((deploy / "model_data.cc").read_text()) == tflite
    assert (run_dir / "roc.png").is_file() and (deploy / "detector.json").is_file()
    sketch = deploy / "anomaly_sketch"
    assert {"anomaly_sketch.ino", "log_mel.cpp", "audio_provider.cpp", "model_settings.h"} <= {
        p.name for p in sketch.iterdir()
    }
    settings = (sketch / "model_settings.h").read_text()
    assert f"constexpr float kThreshold = {report.thresholds['autoencoder_int8']:.9g}f;" in settings
    compile_sketch(sketch, tmp_path)

    data, _ = load_data(config)
    result = evaluate(deploy / "model.tflite", data)
    assert result["autoencoder_int8"]["auc"] == pytest.approx(report.int8_metrics["auc"])
    assert result["kmeans"]["auc"] == pytest.approx(report.details.kmeans["auc"])

    clip = data.meta["path"][np.flatnonzero(data.split == "test")[0]]
    out = tinyml("anomaly", "predict", "--model", str(deploy / "model.tflite"), clip, cwd=tmp_path)
    assert out.returncode == 0, out.stderr
    assert "anomaly score" in out.stdout and ("normal" in out.stdout or "ANOMALY" in out.stdout)
