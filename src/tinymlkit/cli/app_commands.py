"""Shared by the application command groups (sine, wand): training with progress bars and the report table, and
finding the model file a command runs (``--model``, or the newest run's of that app)."""

from collections.abc import Callable
from pathlib import Path

from tinymlkit.errors import TinyMLError


def model_path(model: Path | None, app: str, runs: Path = Path("runs")) -> Path:
    """``model`` if given (it must exist), else ``<runs>/<app>-*/deploy/model.tflite`` of the newest run."""
    if model is None:
        found = sorted(runs.glob(f"{app}-*/deploy/model.tflite"), key=lambda p: p.stat().st_mtime)
        if not found:
            raise TinyMLError(f"no trained {app} model in {runs}/; run 'tinyml {app} train' or pass --model")
        return found[-1]
    if not model.is_file():
        raise TinyMLError(f"model file {model} not found; give --model PATH.tflite")
    return model


def train_and_show(run: Callable, config) -> None:
    """Run a recipe's ``run(config, progress)`` with Rich progress bars, then print its report."""
    from tinymlkit.cli.report_view import show_report
    from tinymlkit.cli.ui import progress_bars

    with progress_bars() as progress:
        report = run(config, progress)
    show_report(report)
