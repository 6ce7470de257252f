"""A sixth application, added in this one file: a recipe (data, features, model) and a sketch template are all
it takes; ``tm.run`` trains it, checks it as int8 in TFLM and writes the run folder like any built-in app."""

import json
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pytest

import tinymlkit as tm
from tinymlkit.data.split import split_of

pytestmark = pytest.mark.e2e  # a whole application, trained and checked

SKETCH = """// {{ sketch }}: {{ title }} on the {{ board }}
// {{ model_bytes }} model bytes, {{ arena_bytes }} arena bytes
#include "model_data.h"
void setup() {}
void loop() {}
"""


@dataclass
class QuadrantConfig:
    points: int = 1200
    width: int = 16
    train: tm.TrainConfig = field(default_factory=lambda: tm.TrainConfig(epochs=40, batch_size=32, learning_rate=1e-2))
    runs: str = "runs"
    seed: int = 0


class Quadrant(tm.Recipe):
    """Which quadrant of the plane is a point in? Two inputs, four classes."""

    name, title, config_type, task = "quadrant", "quadrant of a point", QuadrantConfig, tm.Classification()

    def load_data(self, config, progress=None):
        rng = np.random.default_rng(config.seed)
        x = rng.uniform(-1, 1, (config.points, 2)).astype(np.float32)
        y = (x[:, 0] < 0).astype(int) + 2 * (x[:, 1] < 0)
        group = np.array([f"p{i}" for i in range(config.points)])
        split = np.array([split_of(g, 15, 15) for g in group])
        return tm.Dataset(x, y, ["NE", "NW", "SE", "SW"], split, group), f"{config.points} random points"

    def features(self, data, config, progress=None):
        return tm.Features({s: (data.part(s).x, data.part(s).y) for s in ("train", "validation", "test")})

    def build_model(self, config, data):
        import keras

        return keras.Sequential(
            [
                keras.Input((2,)),
                keras.layers.Dense(config.width, activation="relu"),
                keras.layers.Dense(len(data.labels), activation="softmax"),
            ]
        )

    def input_range(self, config, data):
        return (-1.0, 1.0)


def test_a_new_application_runs_the_whole_pipeline(tmp_path):
    recipe = Quadrant()
    recipe.templates = tmp_path / "templates"
    recipe.templates.mkdir()
    (recipe.templates / "sketch.ino.j2").write_text(SKETCH)
    report = tm.run(recipe, recipe.config(runs=str(tmp_path / "runs")))

    assert report.app == "quadrant" and report.int8_metrics["accuracy"] > 0.8
    run_dir = Path(report.run_dir)
    saved = json.loads((run_dir / "report.json").read_text())
    assert saved["data"]["labels"] == ["NE", "NW", "SE", "SW"] and saved["training"]["epochs_run"] >= 1
    assert (run_dir / "confusion.png").is_file() and (run_dir / "deploy" / "model_card.md").is_file()
    sketch = (run_dir / "deploy" / "quadrant_sketch" / "quadrant_sketch.ino").read_text()
    assert f"{report.model.flash_bytes} model bytes" in sketch
