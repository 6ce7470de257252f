"""The deployment folder of a run: ``model.tflite``, ``model_data.cc/.h`` and a ready-to-open Arduino sketch."""

from pathlib import Path

from tinymlkit.deploy.arduino import write_sketch
from tinymlkit.deploy.c_array import c_array
from tinymlkit.fileio import write_bytes, write_text


def package(
    folder: Path, model: bytes, measured_arena: int, templates: Path, sketch: str, context: dict
) -> dict[str, str]:
    """Write the deployment files into ``folder``; return ``{artifact: path}`` relative to ``folder``'s parent."""
    files = write_model_files(folder, model)
    sketch_dir = write_sketch(folder, templates, sketch, model, measured_arena, context)
    base = folder.parent
    return {
        **files,
        "sketch": str(sketch_dir.relative_to(base)),
        "sketch_readme": str((folder / "README.md").relative_to(base)),
    }


def write_model_files(folder: Path, model: bytes) -> dict[str, str]:
    """``model.tflite`` and the C array ``model_data.cc/.h`` in ``folder``; paths relative to its parent."""
    write_bytes(folder / "model.tflite", model)
    for name, text in c_array(model).items():
        write_text(folder / name, text)
    return {
        name: str((folder / name).relative_to(folder.parent))
        for name in ("model.tflite", "model_data.cc", "model_data.h")
    }


def deploy(
    model: bytes, folder: str | Path, recipe=None, labels: list[str] | None = None, config=None, details=None
) -> dict[str, str]:
    """Write an int8 model's deployment files into ``folder``: ``model.tflite`` and ``model_data.cc/.h``, and with
    an application's ``recipe`` its Arduino sketch (``<name>_sketch/``, README) and ``labels.txt``. ``config``
    (default: the recipe's defaults) and ``details`` (a run's measured results, e.g. the anomaly detector) fill
    the sketch's settings. Returns ``{artifact: path}`` relative to ``folder``'s parent."""
    folder = Path(folder)
    if recipe is None:
        return write_model_files(folder, model)
    tflm = recipe.open_model(model, labels)
    config = config if config is not None else recipe.config_type()
    context = recipe.sketch_context(config, list(labels or []), tflm, details)
    files = package(folder, model, tflm.arena_size, recipe.templates, f"{recipe.name}_sketch", context)
    if labels:
        write_text(folder / "labels.txt", "\n".join(labels) + "\n")
        files["labels"] = str((folder / "labels.txt").relative_to(folder.parent))
    return files
