"""Arduino sketches for the Nano 33 BLE Sense, rendered from an application's template folder.

Each application has a folder of sketch files (its package's ``templates/``): ``*.j2`` files are Jinja2 templates,
others are copied as they are; ``sketch.ino.j2`` becomes ``<sketch>.ino``. Every sketch also gets
``op_resolver.h`` listing exactly the model's operators, ``model_data.cpp/.h`` with the model bytes, and a README
saying what to install.
"""

from pathlib import Path

from tinymlkit import __version__
from tinymlkit.deploy.c_array import c_array
from tinymlkit.deploy.render import TEMPLATES, environment, render
from tinymlkit.fileio import write_text
from tinymlkit.runtime.model_file import read_model
from tinymlkit.runtime.ops import resolver_methods

BOARD = "Arduino Nano 33 BLE Sense"


def sketch_arena(measured: int) -> int:
    """Arena for the sketch: the TFLM measurement plus 10 % (at least 1 KB), rounded up to 16 bytes."""
    size = measured + max(1024, measured // 10)
    return (size + 15) // 16 * 16


def write_sketch(folder: Path, templates: Path, sketch: str, model: bytes, measured_arena: int, context: dict) -> Path:
    """Write the sketch ``folder/sketch/`` from the template folder ``templates`` around ``model``; return its
    folder.

    ``context`` holds the application's values for its templates and for the README (``title``,
    ``description``, ``run_steps``, ``extra_libraries``, ``extra_rows``); ``shared_templates`` names files under
    ``deploy/templates/arduino/`` that the sketch uses too (e.g. ``common/audio_provider.cpp``).
    """
    info = read_model(model)
    ops = list(dict.fromkeys(op.name for op in info.ops))  # in order of first use
    inp, out = info.input_tensors[0], info.output_tensors[0]
    values = {
        "version": __version__,
        "sketch": sketch,
        "board": BOARD,
        "model_bytes": len(model),
        "ops": ops,
        "resolver_methods": resolver_methods(ops),
        "measured_arena": measured_arena,
        "arena_bytes": sketch_arena(measured_arena),
        "input_shape": list(inp.shape),
        "input_scale": inp.scale[0] if inp.scale else 0.0,
        "input_zero_point": inp.zero_point[0] if inp.zero_point else 0,
        "output_shape": list(out.shape),
        "output_scale": out.scale[0] if out.scale else 0.0,
        "output_zero_point": out.zero_point[0] if out.zero_point else 0,
        "extra_libraries": [],
        "extra_rows": [],
        "run_steps": [],
        **context,
    }
    target = folder / sketch
    own = environment(templates)
    shared = [TEMPLATES / "arduino" / rel for rel in context.get("shared_templates", [])]
    for path in sorted(templates.iterdir()) + shared:
        name = path.name.removesuffix(".j2")
        if name == "sketch.ino":
            name = f"{sketch}.ino"
        text = own.get_template(path.name).render(**values) if path.suffix == ".j2" else path.read_text()
        write_text(target / name, text)
    write_text(target / "op_resolver.h", render("arduino/common/resolver.h.j2", **values))
    write_text(folder / "README.md", render("arduino/common/README.md.j2", **values))
    for name, text in c_array(model, source="model.tflite").items():
        write_text(target / name.replace(".cc", ".cpp"), text)  # Arduino compiles .cpp, not .cc
    return target
