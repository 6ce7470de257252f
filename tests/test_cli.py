"""The ``tinyml`` command: help, errors as one line without a traceback, exit codes."""

import pytest

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


def test_every_app_has_the_same_verbs_with_options_from_its_config():
    import typer.main

    import tinymlkit as tm
    from tinymlkit.cli import app

    groups = typer.main.get_command(app).commands
    for name in tm.APPS:
        commands = groups[name].commands
        assert {"data", "train", "evaluate"} <= set(commands), name
        config = getattr(tm, name).config()
        train = {p.name: p.default for p in commands["train"].params}
        assert train["epochs"] == config.train.epochs and train["seed"] == config.seed
        assert train["learning_rate"] == config.train.learning_rate
        data = {p.name for p in commands["data"].params}
        assert "epochs" not in data and "seed" in data
    assert "words" in {p.name for p in groups["kws"].commands["evaluate"].params}
    assert {"device"} <= set(groups) and groups["board"].hidden is not False


def test_bad_numbers_fail_at_parse_time_naming_the_flag(tmp_path):
    result = tinyml("sine", "train", "--epochs", "0", "--runs", str(tmp_path))
    assert result.returncode == 1
    assert result.stderr.strip() == "error: --epochs 0: must be at least 1 and at most 100,000"
    assert not list(tmp_path.iterdir())


def test_old_command_names_work_with_a_notice():
    result = tinyml("boards", env={"COLUMNS": "200"})
    assert result.returncode == 0 and "nano33ble" in result.stdout
    assert "'tinyml boards' is now 'tinyml device boards'" in result.stderr


@pytest.mark.e2e
def test_data_and_evaluate_verbs(tmp_path):
    import tinymlkit as tm

    from clirun import tinyml_here

    written = tinyml_here("sine", "data", str(tmp_path / "sine.csv"), "--samples", "200", "--seed", "3")
    assert written.returncode == 0 and (tmp_path / "sine.csv").read_text().startswith("x,y")
    report = tm.run(tm.sine, tm.sine.config(data=str(tmp_path / "sine.csv"), epochs=3, runs=str(tmp_path / "runs")))
    model = f"{report.run_dir}/deploy/model.tflite"
    result = tinyml_here("sine", "evaluate", "--model", model, "--data", str(tmp_path / "sine.csv"))
    assert result.returncode == 0, result.stderr
    assert "sine_mae" in result.stdout and "int8 model in TFLM" in result.stdout


def test_old_option_names_work_with_a_notice(monkeypatch):
    """Options renamed when the CLI was made from the configs: the former name sets the new option, with one
    notice line, and stays out of --help; where the old name means something else (``kws evaluate --model``, the
    model file), it keeps that meaning."""
    import re

    from tinymlkit.cli import app_commands

    from clirun import tinyml_here

    trained = []
    monkeypatch.setattr(app_commands, "train", lambda app, config, after=None: trained.append(config))
    cases = [
        ("anomaly --threshold percentile", "--threshold-rule", lambda c: c.threshold_rule, "percentile"),
        ("anomaly --k 3.5", "--threshold-k", lambda c: c.threshold_k, 3.5),
        ("anomaly --percentile 95", "--threshold-percentile", lambda c: c.threshold_percentile, 95.0),
        ("person --lr 0.01", "--learning-rate", lambda c: c.train.learning_rate, 0.01),
        ("kws --model tiny_conv", "--family", lambda c: c.model, "tiny_conv"),
    ]
    for words, new, value, expected in cases:
        app, old, given = words.split()
        result = tinyml_here(app, "train", old, given)
        assert result.returncode == 0, result.stderr
        assert result.stderr == f"notice: {old} is now {new} (the old name goes in the next release)\n"
        assert value(trained.pop()) == expected
        shown = tinyml_here(app, "train", "--help").stdout
        assert re.search(re.escape(new) + r"(?![\w-])", shown) and not re.search(re.escape(old) + r"(?![\w-])", shown)
    # the old name's value is checked like the new one's
    bad = tinyml_here("anomaly", "train", "--percentile", "150")
    assert bad.returncode == 1 and "error: --threshold-percentile 150" in bad.stderr and not trained
    evaluate = tinyml_here("kws", "evaluate", "--model", "no-such-model.tflite")
    assert evaluate.returncode == 1 and "notice" not in evaluate.stderr
    assert "model file no-such-model.tflite not found" in evaluate.stderr


def test_quickstart_trains_on_espeak_voices_only(monkeypatch, tmp_path):
    """The quick start is the same run on every machine: the flite/Festival/Piper voices installed here stay out."""
    import tinymlkit.apps.kws.recipe as kws
    from tinymlkit.cli.quickstart import quickstart

    seen = []

    def stop(config, progress):
        seen.append(config)
        raise SystemExit(0)

    monkeypatch.setattr(kws, "run", stop)
    with pytest.raises(SystemExit):
        quickstart(words="yes,no", lang="en", runs=tmp_path)
    assert seen[0].extra_voices is False and seen[0].words == ["yes", "no"]
    assert kws._synth_options(seen[0])["extra_voices"] == []
