"""The ``tinyml`` command: help, errors as one line without a traceback, exit codes."""

from clirun import tinyml


def test_help_lists_commands():
    result = tinyml("--help")
    assert result.returncode == 0
    assert "kws" in result.stdout


def test_user_errors_are_one_line_without_traceback(tmp_path):
    result = tinyml("kws", "train", "--data", str(tmp_path / "nowhere"), "--epochs", "1")
    assert result.returncode == 1
    assert "Traceback" not in result.stdout + result.stderr
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("error:") and "not found" in lines[0]
    assert not (tmp_path / "runs").exists()


def test_predict_rejects_a_non_model(tmp_path):
    bogus = tmp_path / "model.tflite"
    bogus.write_bytes(b"\x00" * 64)
    clip = tmp_path / "clip.wav"
    clip.write_bytes(b"")
    result = tinyml("kws", "predict", "--model", str(bogus), "--labels", "a,b", str(clip))
    assert result.returncode == 1 and "not a TensorFlow Lite model" in result.stderr
    assert "Traceback" not in result.stdout + result.stderr
