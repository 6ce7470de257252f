"""The deployment folder of a run: ``model.tflite``, ``model_data.cc/.h`` and a ready-to-open Arduino sketch."""

from pathlib import Path

from tinymlkit.deploy.arduino import write_sketch
from tinymlkit.deploy.c_array import c_array
from tinymlkit.fileio import write_bytes, write_text


def package(folder: Path, model: bytes, measured_arena: int, templates: Path, sketch: str,
            context: dict) -> dict[str, str]:
    """Write the deployment files into ``folder``; return ``{artifact: path}`` relative to ``folder``'s parent."""
    write_bytes(folder / "model.tflite", model)
    for name, text in c_array(model).items():
        write_text(folder / name, text)
    sketch_dir = write_sketch(folder, templates, sketch, model, measured_arena, context)
    base = folder.parent
    return {
        "model.tflite": str((folder / "model.tflite").relative_to(base)),
        "model_data.cc": str((folder / "model_data.cc").relative_to(base)),
        "model_data.h": str((folder / "model_data.h").relative_to(base)),
        "sketch": str(sketch_dir.relative_to(base)),
        "sketch_readme": str((folder / "README.md").relative_to(base)),
    }
