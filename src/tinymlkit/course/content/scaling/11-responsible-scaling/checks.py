"""Checks of the lab c4-responsible: carbon estimates from random figures; card fields from random report.json."""

import tempfile
from pathlib import Path

from tinymlkit.course.checks import Checker, as_pair


def _carbon(train_watts, train_hours, pue, grid, device_mw, latency_ms, inferences):
    training = train_watts * train_hours * pue / 1000 * grid / 1000
    return training, device_mw * latency_ms / 1000 * inferences / 3.6e9 * grid / 1000


def check_carbon(t: Checker) -> None:
    fn = t.function("carbon_kg")
    hint = ("training kWh = watts * hours * pue / 1000; inference kWh = mW * ms / 1000 (mJ) * inferences / 3.6e9; "
            "kg = kWh * grid_g_per_kwh / 1000")
    for name in ("a GPU in a data centre", "a laptop and a large fleet"):
        args = (float(t.rng.uniform(10, 700)), float(t.rng.uniform(0.05, 48)), float(t.rng.uniform(1.1, 1.8)),
                float(t.rng.uniform(20, 800)), float(t.rng.uniform(1, 200)), float(t.rng.uniform(0.5, 500)),
                int(t.rng.integers(10**6, 10**12)))
        ok, got = t.call(f"runs for {name}", fn, *args, hint=hint)
        if not ok:
            return
        pair = as_pair(got)
        if not t.true(f"returns (training_kg, inference_kg) for {name}", pair is not None, "a pair of numbers",
                      repr(got), hint):
            return
        training, inference = _carbon(*args)
        if not t.close(f"training CO2e of {name} {args[:4]}", pair[0], training, hint, rtol=1e-6):
            return
        if not t.close(f"inference CO2e of {name} {args[3:]}", pair[1], inference, hint, rtol=1e-6):
            return


def _report(rng, folder: Path):
    """A report.json written by the toolkit's ModelReport, with random figures."""
    from tinymlkit.report import DataSummary, ModelReport, ModelSummary

    labels = [str(w) for w in rng.choice(["yes", "no", "up", "down", "left", "right", "silence", "unknown"],
                                         int(rng.integers(2, 6)), replace=False)]
    counts = {split: {lab: int(rng.integers(lo, hi)) for lab in labels}
              for split, lo, hi in (("train", 50, 900), ("validation", 10, 100), ("test", 10, 200))}
    float_acc = round(float(rng.uniform(0.7, 0.99)), 4)
    report = ModelReport(
        app=str(rng.choice(["kws", "vww", "wand", "anomaly"])), run_dir=str(folder), settings={},
        data=DataSummary(source="check", labels=labels, counts=counts, groups={"train": 3, "test": 2}),
        model=ModelSummary(family="cnn", parameters=int(rng.integers(1000, 90_000)),
                           flash_bytes=int(rng.integers(5_000, 300_000)), arena_bytes=int(rng.integers(2_000, 200_000)),
                           ops=["CONV_2D"], input_shape=[1, 49, 40, 1], input_scale=0.1, input_zero_point=-128,
                           output_scale=1 / 256, output_zero_point=-128),
        float_metrics={"accuracy": float_acc, "loss": 0.3},
        int8_metrics={"accuracy": round(float_acc - float(rng.uniform(-0.01, 0.05)), 4), "loss": 0.31},
    )
    return report, report.save(folder)


def check_card_fields(t: Checker) -> None:
    fn = t.function("card_fields")
    hint = ("json.loads(path.read_text()); train_examples = sum(data.counts.train.values()); int8_change = "
            "int8_metrics.accuracy - float_metrics.accuracy; flash_bytes and arena_bytes from model")
    with tempfile.TemporaryDirectory() as tmp:
        report, path = _report(t.rng, Path(tmp))
        ok, got = t.call("runs on a random report.json", fn, Path(path), hint=hint)
        if not ok:
            return
        if not t.true("returns a dict", isinstance(got, dict), "a dict", type(got).__name__, hint):
            return
        expected = {
            "application": report.app, "labels": report.data.labels,
            "train_examples": sum(report.data.counts["train"].values()),
            "test_examples": sum(report.data.counts["test"].values()),
            "int8_accuracy": report.int8_metrics["accuracy"],
            "int8_change": report.int8_metrics["accuracy"] - report.float_metrics["accuracy"],
            "flash_bytes": report.model.flash_bytes, "arena_bytes": report.model.arena_bytes,
        }
        t.true("has the card's keys", set(got) == set(expected), sorted(expected), sorted(got), hint)
        for key in ("application", "labels", "train_examples", "test_examples", "flash_bytes", "arena_bytes"):
            if not t.equal(f"the card's {key}", got.get(key), expected[key], hint):
                return
        for key in ("int8_accuracy", "int8_change"):
            if not t.close(f"the card's {key}", got.get(key), expected[key], hint, rtol=1e-9, atol=1e-9):
                return


CHECKS = {"carbon": check_carbon, "card-fields": check_card_fields}
