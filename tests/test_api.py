"""The public API: small, lazy, and every recipe keeps the application contract."""

import dataclasses
import subprocess
import sys
from pathlib import Path

import pytest

import tinymlkit as tm
from tinymlkit.recipe import Recipe, Task

SRC = Path(__file__).parents[1] / "src"


def test_import_is_fast_and_loads_no_tensorflow():
    code = (
        "import sys, tinymlkit as tm; tm.kws; tm.sine.config(); "
        "print(sorted(m for m in ('tensorflow', 'keras', 'matplotlib') if m in sys.modules))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=True,
        env={"PYTHONPATH": str(SRC), "PATH": ""},
    )
    assert out.stdout.strip() == "[]"


def test_every_public_name_resolves():
    for name in tm.__all__:
        assert getattr(tm, name) is not None, name
    assert callable(tm.profile) and callable(tm.deploy) and tm.profile.profile_model
    with pytest.raises(AttributeError):
        tm.no_such_thing  # noqa: B018


@pytest.mark.parametrize("name", tm.APPS)
def test_recipes_keep_the_contract(name):
    recipe = getattr(tm, name)
    assert isinstance(recipe, Recipe) and isinstance(recipe.task, Task) and recipe.name == name
    assert (recipe.templates / "sketch.ino.j2").is_file()
    config = recipe.config()
    assert dataclasses.is_dataclass(config)
    assert {"train", "runs", "seed"} <= {f.name for f in dataclasses.fields(config)}
    assert getattr(tm.apps, name).recipe.recipe is recipe  # the package's recipe module


def test_config_overrides_and_training_shortcuts():
    cfg = tm.sine.config(samples=50, epochs=3, learning_rate=0.01)
    assert (cfg.samples, cfg.train.epochs, cfg.train.learning_rate) == (50, 3, 0.01)
    assert cfg.train.batch_size == tm.sine.config().train.batch_size
    with pytest.raises(tm.TinyMLError, match="sine has no setting wordz"):
        tm.sine.config(wordz=["yes"])


def test_old_names_still_import():
    from tinymlkit.apps.kws import KwsConfig, run
    from tinymlkit.apps.sine import SineConfig

    assert KwsConfig().words == ["yes", "no"] and callable(run) and SineConfig().samples == 1000
