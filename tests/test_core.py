"""The small primitives every run relies on: atomic writes, the data cache, run folders, and a run folder that
appears whole or not at all."""

import os
from pathlib import Path

import numpy as np
import pytest

from tinymlkit.cache import cache_dir, cached_path
from tinymlkit.fileio import building_dir, write_bytes, write_json, write_text
from tinymlkit.runs import new_run_path


def test_a_failed_write_keeps_the_old_file_and_leaves_no_temporary(tmp_path, monkeypatch):
    target = write_text(tmp_path / "a" / "report.txt", "old")
    monkeypatch.setattr(os, "replace", lambda *a: (_ for _ in ()).throw(OSError("disk full")))
    with pytest.raises(OSError, match="disk full"):
        write_bytes(target, b"new")
    assert target.read_text() == "old" and sorted(p.name for p in target.parent.iterdir()) == ["report.txt"]


def test_json_of_dataclasses_numpy_and_nan(tmp_path):
    from dataclasses import dataclass, field

    @dataclass
    class Result:
        values: np.ndarray
        score: float
        hidden: str = field(default="x", metadata={"json": False})

    path = write_json(tmp_path / "r.json", Result(np.arange(3), float("nan")))
    assert path.read_text() == '{\n  "values": [\n    0,\n    1,\n    2\n  ],\n  "score": null\n}\n'


def test_a_folder_built_under_a_temporary_name_appears_only_when_complete(tmp_path):
    with pytest.raises(RuntimeError):
        with building_dir(tmp_path / "run") as tmp:
            (tmp / "half.txt").write_text("half")
            raise RuntimeError("interrupted")
    assert list(tmp_path.iterdir()) == []
    with building_dir(tmp_path / "run") as tmp:
        (tmp / "whole.txt").write_text("whole")
    assert [p.name for p in tmp_path.iterdir()] == ["run"] and (tmp_path / "run" / "whole.txt").is_file()


def test_cache_paths_follow_the_settings_and_the_environment(tmp_path, monkeypatch):
    monkeypatch.setenv("TINYML_CACHE", str(tmp_path))
    assert cache_dir() == tmp_path
    a, b = cached_path("kws", {"words": ["yes"], "seed": 0}), cached_path("kws", {"seed": 0, "words": ["yes"]})
    assert a == b and a.parent == tmp_path / "datasets" and a.name.startswith("kws-")
    assert cached_path("kws", {"words": ["no"], "seed": 0}) != a


def test_run_folders_never_reuse_a_name(tmp_path):
    first = new_run_path("sine", tmp_path)  # reserved: created empty, atomically
    second = new_run_path("sine", tmp_path)
    assert first.is_dir() and not list(first.iterdir())
    assert second != first and second.name.startswith(first.name) and second.is_dir()


def test_save_run_leaves_no_run_folder_when_a_step_fails(tmp_path):
    import keras

    import tinymlkit as tm
    from tinymlkit.pipeline import RunSpec, Stopwatch, save_run, verify_int8
    from tinymlkit.report import DataSummary, ModelReport

    model = keras.Sequential([keras.Input((2,)), keras.layers.Dense(2, activation="softmax")])
    x = np.random.default_rng(0).normal(size=(40, 2)).astype(np.float32)
    int8 = verify_int8(model, x, x[:4])

    def broken(path: Path) -> None:
        raise RuntimeError("figure failed")

    spec = RunSpec(
        app="toy",
        runs=str(tmp_path / "runs"),
        settings={},
        sketch_context=tm.sine.sketch_context(tm.sine.config(), [], None),
        templates=tm.sine.templates,
        figures={"broken": ("broken.png", broken)},
    )
    report = ModelReport("toy", "", {}, DataSummary("test", ["a", "b"], {}, {}), int8.summary("dense", 6), {}, {})
    with pytest.raises(RuntimeError, match="figure failed"):
        save_run(spec, int8, report, Stopwatch())
    assert not (tmp_path / "runs").exists() or list((tmp_path / "runs").iterdir()) == []


def test_without_early_stopping_every_epoch_runs_and_the_last_weights_stay():
    import keras

    from tinymlkit.train import TrainConfig, fit, seed_everything

    seed_everything(0)
    rng = np.random.default_rng(0)
    x = rng.normal(size=(64, 4)).astype("float32")
    y = (x[:, 0] > 0).astype("int64")
    # Validation labels the inputs cannot predict: its loss soon stops improving.
    validation = (rng.normal(size=(32, 4)).astype("float32"), rng.integers(0, 2, 32))
    model = keras.Sequential([keras.Input((4,)), keras.layers.Dense(2, activation="softmax")])
    model.compile(optimizer=keras.optimizers.Adam(0.1), loss="sparse_categorical_crossentropy")

    class LastWeights(keras.callbacks.Callback):
        def on_epoch_end(self, epoch, logs=None):
            self.weights = [w.copy() for w in self.model.get_weights()]

    last = LastWeights()
    config = TrainConfig(epochs=12, batch_size=16, learning_rate=0.1, patience=0, decay=True, early_stopping=False)
    result = fit(model, (x, y), validation, config, extra_callbacks=[last])
    assert (result.epochs_run, result.best_epoch) == (12, 12)
    assert len(result.history["val_loss"]) == 12
    assert all(np.array_equal(a, b) for a, b in zip(model.get_weights(), last.weights, strict=True))

    stopped = fit(model, (x, y), validation, TrainConfig(epochs=12, batch_size=16, learning_rate=0.1, patience=0))
    assert stopped.epochs_run < 12  # the same data with early stopping on: it ends the run

    # No validation data: nothing to stop on, so every epoch runs and the last one is the one kept and reported.
    alone = fit(model, (x, y), None, TrainConfig(epochs=5, batch_size=16, learning_rate=0.1, patience=0))
    assert (alone.epochs_run, alone.best_epoch) == (5, 5)
