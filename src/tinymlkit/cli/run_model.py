"""Finding the model file a command runs: the one given with ``--model``, or the newest run's of that app."""

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
