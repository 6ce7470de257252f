"""Per-group evaluation, data and model cards, and a keyword model on synthetic voices broken down by voice."""

import json
from pathlib import Path

import numpy as np
import pytest

from tinymlkit.apps.kws.recipe import recipe as KWS
from tinymlkit.evaluate.cards import data_card, model_card
from tinymlkit.evaluate.groups import NOT_RECORDED, breakdown, group_columns, wilson_interval
from tinymlkit.report import DataSummary, ModelReport, ModelSummary

LABELS = ["silence", "unknown", "yes", "no"]


def _case():
    """Two voices of 40 clips: voice a always right; voice b misses half its keywords and accepts a negative."""
    y = np.tile([0, 1, 2, 3], 20)
    predicted = y.copy()
    b = np.arange(80) >= 40
    keyword_b = np.flatnonzero(b & (y >= 2))
    predicted[keyword_b[::2]] = 1  # rejected as unknown
    predicted[np.flatnonzero(b & (y == 0))[0]] = 2  # silence accepted as "yes"
    meta = {"voice": np.where(b, "b", "a").astype(object), "path": np.array([f"{i}.wav" for i in range(80)])}
    return predicted, y, meta


def test_accuracy_false_accepts_and_rejects_per_group():
    predicted, y, meta = _case()
    report = breakdown(predicted, y, LABELS, meta, negatives=["silence", "unknown"])
    voice = report.column("voice")
    assert [c.column for c in report.columns] == ["voice"]  # path is never a grouping
    a, b = voice.groups
    assert (a.accuracy, a.false_accept_rate, a.false_reject_rate) == (1.0, 0.0, 0.0)
    assert b.examples == 40 and b.false_reject_rate == 0.5 and b.false_accept_rate == pytest.approx(1 / 20)
    assert b.accuracy == pytest.approx(29 / 40)
    assert (voice.best, voice.worst, voice.gap) == ("a", "b", pytest.approx(11 / 40))
    assert report.worst == {
        "column": "voice",
        "group": "b",
        "accuracy": pytest.approx(29 / 40),
        "gap": pytest.approx(11 / 40),
        "best": "a",
        "uncertain": False,
    }


def test_float_accuracy_per_group_and_int8_cost_in_the_model_card():
    predicted, y, meta = _case()
    report = breakdown(predicted, y, LABELS, meta, negatives=["silence", "unknown"], float_predicted=y)
    assert [g.float_accuracy for g in report.column("voice").groups] == [1.0, 1.0]
    card = model_card(_report("my_words", {"voice": {"a": 40, "b": 40}}, report), KWS.card)
    assert "int8 costs voice = b 0.275 accuracy (overall 0.050)" in card


def test_small_groups_are_flagged_and_not_judged():
    predicted, y, meta = _case()
    report = breakdown(predicted, y, LABELS, meta, negatives=["silence", "unknown"], min_examples=50)
    voice = report.column("voice")
    assert all(g.few for g in voice.groups) and voice.uncertain and report.worst["uncertain"]
    assert "fewer than 50 test examples" in voice.warnings[0] and "too few to judge" in voice.warnings[0]


def test_without_negative_classes_only_accuracy():
    predicted, y, meta = _case()
    g = breakdown(predicted, y, LABELS, meta).column("voice").groups[1]
    assert g.false_accept_rate is None and g.false_reject_rate is None


def test_numeric_columns_are_binned_and_blanks_kept_apart():
    level = np.array([str(v) for v in np.linspace(-60, -10, 30)] + [""] * 3, dtype=object)
    columns = group_columns({"level_db": level, "speaker": np.array([f"s{i}" for i in range(33)], dtype=object)})
    assert set(columns) == {"level_db"}  # 33 speaker names: too many groups, not numeric
    names = set(columns["level_db"])
    assert NOT_RECORDED in names and len(names) == 4 and any(n.startswith("low (-60..") for n in names)


def test_wilson_interval():
    low, high = wilson_interval(8, 10)
    assert 0.49 < low < 0.5 and 0.94 < high < 0.95
    assert wilson_interval(0, 0) == (0.0, 1.0)


def _report(source: str, metadata: dict, groups) -> ModelReport:
    counts = {s: {label: 30 for label in LABELS} for s in ("train", "validation", "test")}
    return ModelReport(
        app="kws",
        run_dir="runs/kws-x",
        settings={},
        data=DataSummary(
            source=source,
            labels=LABELS,
            counts=counts,
            groups={"train": 20, "validation": 3, "test": 3},
            metadata=metadata,
        ),
        model=ModelSummary(
            family="tiny_conv",
            parameters=16652,
            flash_bytes=19776,
            arena_bytes=9800,
            ops=["SOFTMAX"],
            input_shape=[1, 1960],
            input_scale=0.1,
            input_zero_point=-128,
            output_scale=1 / 256,
            output_zero_point=-128,
            arena_note="host build",
        ),
        float_metrics={"accuracy": 0.9},
        int8_metrics={"accuracy": 0.85},
        groups=groups,
        per_class_recall=dict.fromkeys(LABELS, 0.85),
    )


def test_cards_for_recorded_data_name_the_gaps():
    predicted, y, meta = _case()
    groups = breakdown(predicted, y, LABELS, meta, negatives=["silence", "unknown"])
    report = _report("my_words", {"voice": {"a": 40, "b": 40}}, groups)
    card = data_card(report, KWS.card)
    assert "Consent" in card and "Not recorded" in card and "consent is not recorded per example" in card
    assert "gender is not recorded" in card and "only 3 speakers (voices) in the test split" in card
    assert "| yes | 30 | 30 | 30 |" in card
    card = model_card(report, KWS.card)
    assert "**Worst group:** `voice = b`" in card and "| b | 40 | 0.725" in card
    assert "int8 conversion costs 0.050 accuracy" in card and "Recognize a few spoken keywords" in card


def test_cards_for_synthetic_data_and_no_metadata():
    report = _report("built-in synthesized voices (eSpeak NG, lang=en) at /cache/x", {}, None)
    assert "Not applicable: the data is synthesized" in data_card(report, KWS.card, synthesized=True)
    card = model_card(report, KWS.card, synthesized=True)
    assert "No metadata column" in card and "synthesized data only" in card


@pytest.mark.e2e
def test_keyword_model_on_synthetic_voices_breaks_down_by_voice(tmp_path):
    """A tiny eSpeak data set (12 voice variants, 4 held out for test), a few epochs: the report has the
    per-voice breakdown with a worst group, the cards sit beside the model, and the CLI view shows them."""
    from rich.console import Console

    from tinymlkit.apps.kws.recipe import KwsConfig, run
    from tinymlkit.apps.kws.synth import synthesize_keyword_dataset
    from tinymlkit.cli import report_view
    from tinymlkit.datatools.augment import AudioAugment
    from tinymlkit.train import TrainConfig

    variants = ["m1", "f3", "klatt4", "Annie", "m3", "f1", "m2", "f2", "m4", "f4", "klatt2", "klatt3"]
    synthesize_keyword_dataset(
        tmp_path / "voices",
        words=["yes", "no"],
        variants=variants,
        voices=12,
        clips_per_word=24,
        unknown_count=24,
        silence_count=24,
        noise_seconds=2,
        holdout=0.3,
        workers=1,
    )
    report = run(
        KwsConfig(
            words=["yes", "no"],
            data=str(tmp_path / "voices"),
            model="tiny_conv",
            width=1.0,
            train=TrainConfig(epochs=3, batch_size=32),
            augment=AudioAugment(copies=0),
            runs=str(tmp_path / "runs"),
        )
    )
    run_dir = Path(report.run_dir)
    saved = json.loads((run_dir / "report.json").read_text())
    variant = next(c for c in saved["groups"]["columns"] if c["column"] == "variant")
    assert {g["group"] for g in variant["groups"]} - {NOT_RECORDED} == {"f3", "klatt2", "klatt3", "m3"}
    assert variant["worst"] in {"f3", "klatt2", "klatt3", "m3"} and variant["gap"] >= 0
    assert saved["groups"]["worst"]["group"] and saved["groups"]["negatives"] == ["silence", "unknown"]
    assert all(g["false_accept_rate"] is not None for g in variant["groups"] if g["group"] == NOT_RECORDED)
    assert saved["data"]["metadata"]["gender"]  # the voices' metadata, for the data card
    deploy = run_dir / "deploy"
    assert (deploy / "model.tflite").is_file()
    assert "### variant" in (deploy / "model_card.md").read_text()
    assert "Not applicable: the data is synthesized" in (deploy / "data_card.md").read_text()
    assert saved["artifacts"]["model_card"] == "deploy/model_card.md"
    console = Console(record=True, width=200)
    report_view.console, saved_console = console, report_view.console
    try:
        report_view.show_report(report)
    finally:
        report_view.console = saved_console
    text = console.export_text()
    assert "int8 accuracy per group" in text and "worst group:" in text
