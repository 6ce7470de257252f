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
from tinymlkit.runtime.model_file import ModelFile, read_model
from tinymlkit.runtime.ops import resolver_methods

BOARD = "Arduino Nano 33 BLE Sense"


def sketch_arena(measured: int) -> int:
    """Arena for the sketch: the TFLM measurement plus 10 % (at least 1 KB), rounded up to 16 bytes."""
    size = measured + max(1024, measured // 10)
    return (size + 15) // 16 * 16


def ops_in_order(infos: list[ModelFile]) -> list[str]:
    """The distinct operators of one or more parsed models, in order of first use: what the op resolver lists."""
    return list(dict.fromkeys(op.name for info in infos for op in info.ops))


def write_sketch(folder: Path, templates: Path, sketch: str, model: bytes, measured_arena: int, context: dict) -> Path:
    """Write the sketch ``folder/sketch/`` from the template folder ``templates`` around ``model``; return its
    folder.

    ``context`` holds the application's values for its templates and for the README (``title``,
    ``description``, ``run_steps``, ``extra_libraries``, ``extra_rows``); ``shared_templates`` names files under
    ``deploy/templates/arduino/`` that the sketch uses too (e.g. ``common/audio_provider.cpp``).
    """
    info = read_model(model)
    ops = ops_in_order([info])
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
        "run_dir": str(folder.parent),
        **context,
    }
    target = folder / sketch
    render_sketch_files(target, templates, values, context.get("shared_templates", []))
    write_text(folder / "README.md", render("arduino/common/README.md.j2", **values))
    write_model_array(target, model)
    return target


def render_sketch_files(target: Path, templates: Path, values: dict, shared_templates: list[str] = ()) -> None:
    """Render every file of the template folder ``templates`` (and the ``shared_templates`` under
    ``deploy/templates/arduino/``) into the sketch folder ``target`` with ``values``, plus ``op_resolver.h`` from
    ``values["resolver_methods"]``; ``sketch.ino.j2`` becomes ``<values["sketch"]>.ino``."""
    own = environment(templates)
    shared = [TEMPLATES / "arduino" / rel for rel in shared_templates]
    for path in sorted(templates.iterdir()) + shared:
        name = path.name.removesuffix(".j2")
        if name == "sketch.ino":
            name = f"{values['sketch']}.ino"
        text = own.get_template(path.name).render(**values) if path.suffix == ".j2" else path.read_text()
        write_text(target / name, text)
    write_text(target / "op_resolver.h", render("arduino/common/resolver.h.j2", **values))


def write_model_array(
    target: Path, model: bytes, name: str = "g_model", stem: str = "model_data", source: str = "model.tflite"
) -> list[str]:
    """The model as a C array in the sketch folder ``target`` (``<stem>.cpp/.h``, array ``name``); the file names."""
    written = []
    for file, text in c_array(model, name=name, stem=stem, source=source).items():
        file = file.replace(".cc", ".cpp")  # Arduino compiles .cpp, not .cc
        write_text(target / file, text)
        written.append(file)
    return written
