"""Several int8 models in one Arduino sketch: one tensor arena and one op resolver shared by all of them.

Models that run one after another (a keyword spotter that wakes a person detector) need not each own an arena:
the sketch builds the interpreter of the model it is about to run in the same buffer, allocates, invokes, and
moves on to the next. The buffer then has to hold the largest of the models, not all of them. Its size here is
measured, not guessed: every model's minimum arena is found in TFLM by bisection
(:func:`~tinymlkit.runtime.tflm.measure_arena`), the shared arena is the largest of them, and every model is
allocated and invoked once more at exactly that size before anything is written.

    >>> d = deploy_multi(["kws.tflite", "person.tflite"], "out")
    >>> d.shared_arena_bytes, d.separate_arena_bytes, d.saving_bytes
"""

import re
from dataclasses import dataclass, field
from pathlib import Path

from tinymlkit import __version__
from tinymlkit.deploy.arduino import BOARD, ops_in_order, render_sketch_files, sketch_arena, write_model_array
from tinymlkit.deploy.render import TEMPLATES, render
from tinymlkit.errors import TinyMLError
from tinymlkit.fileio import building_dir, check_output_dir, to_jsonable, write_bytes, write_json, write_text
from tinymlkit.profile.graph import analyze
from tinymlkit.profile.profiler import estimate_32bit_arena, find_issues
from tinymlkit.progress import ProgressCallback, ProgressEvent, silent
from tinymlkit.runtime.model_file import ModelFile, read_model
from tinymlkit.runtime.ops import resolver_methods
from tinymlkit.runtime.tflm import HOST_POINTER_NOTE, check_runs, measure_arena

SKETCH = "multi_sketch"
MULTI_TEMPLATES = TEMPLATES / "arduino" / "multi"


@dataclass
class Tenant:
    """One model of a multi-model sketch, with what TFLM measured for it."""

    name: str  # a C identifier, used for the model's array and files
    source: str  # where it came from (the file given, or "model N" for bytes)
    model_bytes: int
    ops: list[str]
    arena_bytes: int  # its own minimum arena, measured in TFLM (64-bit host)
    arena_bytes_32bit: int  # estimate of the same on a 32-bit MCU
    runs_in_shared_arena: bool  # allocated and invoked in TFLM at the shared arena size
    input_shape: list[int]
    input_scale: float
    input_zero_point: int
    output_shape: list[int]
    output_scale: float
    output_zero_point: int


@dataclass
class MultiDeployment:
    """What ``deploy_multi`` measured and wrote: the single source of its table, report.json and README."""

    models: list[Tenant]
    ops: list[str]  # the union of the models' operators, in order of first use: the op resolver
    shared_arena_bytes: int  # the largest measured arena: what the models need in turn
    separate_arena_bytes: int  # the sum of the measured arenas: what one arena per model would need
    shared_arena_32bit: int
    separate_arena_32bit: int
    sketch_arena_bytes: int  # kTensorArenaSize in the sketch: the shared arena plus a margin
    separate_sketch_arena_bytes: int  # the same margin rule applied to each model's own arena, summed
    flash_bytes: int  # all models stay in flash
    arena_note: str = HOST_POINTER_NOTE
    out: str = ""
    files: dict[str, str] = field(default_factory=dict)

    @property
    def saving_bytes(self) -> int:
        """RAM the shared arena saves against one arena per model (measured figures)."""
        return self.separate_arena_bytes - self.shared_arena_bytes

    @property
    def saving_share(self) -> float:
        return self.saving_bytes / self.separate_arena_bytes


def deploy_multi(
    models: list[str | Path | bytes],
    out: str | Path,
    names: list[str] | None = None,
    force: bool = False,
    progress: ProgressCallback = silent,
) -> MultiDeployment:
    """Write one Arduino sketch running every model of ``models`` (files or .tflite bytes; two or more int8
    models) in turn, with one shared tensor arena and one op resolver, into the folder ``out``.

    ``out`` gets ``report.json`` (the returned :class:`MultiDeployment`), ``README.md``, ``models/NAME.tflite``
    and the sketch ``multi_sketch/``. ``names`` (C identifiers) default to the file names. Every problem (a
    missing or float model, a model given twice, a folder holding other files) raises :class:`TinyMLError`
    before anything is written; ``force`` writes beside files of yours in ``out``, never replacing them.
    """
    loaded = _load(models, names)
    out = check_output_dir(out, force)  # before the measurements: a bad folder fails at once
    tenants = []
    for i, (name, source, data, info) in enumerate(loaded):
        progress(ProgressEvent("Measuring arenas in TFLM", i, len(loaded), name))
        tenants.append(_tenant(name, source, data, info))
        tenants[-1].arena_bytes = measure_arena(data)
    shared = max(t.arena_bytes for t in tenants)
    for i, (t, (_, _, data, info)) in enumerate(zip(tenants, loaded, strict=True)):
        progress(ProgressEvent("Checking the shared arena", i, len(loaded), t.name))
        ran, said = check_runs(data, shared)
        if not ran:  # the bisection found a smaller size that works, so this means TFLM is not monotonic here
            raise TinyMLError(
                f"{t.source} did not run in TFLM with the shared arena of {shared:,} bytes "
                f"({said.strip().splitlines()[-1] if said.strip() else 'no message'}); deploy it "
                "in a sketch of its own"
            )
        t.runs_in_shared_arena = True
        t.arena_bytes_32bit = estimate_32bit_arena(t.arena_bytes, info)
    progress(ProgressEvent("Checking the shared arena", len(loaded), len(loaded)))
    result = MultiDeployment(
        models=tenants,
        ops=ops_in_order([info for *_, info in loaded]),
        shared_arena_bytes=shared,
        separate_arena_bytes=sum(t.arena_bytes for t in tenants),
        shared_arena_32bit=max(t.arena_bytes_32bit for t in tenants),
        separate_arena_32bit=sum(t.arena_bytes_32bit for t in tenants),
        sketch_arena_bytes=sketch_arena(shared),
        separate_sketch_arena_bytes=sum(sketch_arena(t.arena_bytes) for t in tenants),
        flash_bytes=sum(t.model_bytes for t in tenants),
        out=str(out),
    )
    with building_dir(out, force) as tmp:
        result.files = _write(tmp, result, [data for _, _, data, _ in loaded])
        write_json(
            tmp / "report.json",
            {**to_jsonable(result), "saving_bytes": result.saving_bytes, "saving_share": round(result.saving_share, 4)},
        )
    return result


def _load(models: list[str | Path | bytes], names: list[str] | None) -> list[tuple[str, str, bytes, ModelFile]]:
    """Read and check every model before any slow work: (name, source, bytes, parsed model) each."""
    models = list(models)
    if len(models) < 2:
        raise TinyMLError(
            f"a multi-model sketch needs two or more models, {len(models)} given; for one model use "
            "the application's sketch (its run folder's deploy/) or tinymlkit.deploy"
        )
    if names is not None and len(names) != len(models):
        raise TinyMLError(f"{len(names)} names for {len(models)} models; give one name per model")
    loaded, seen = [], {}
    for i, m in enumerate(models):
        if isinstance(m, bytes | bytearray):
            source, data, stem = f"model {i + 1}", bytes(m), f"model{i + 1}"
        else:
            path = Path(m)
            if not path.is_file():
                raise TinyMLError(f"model file {path} not found; give the path to an int8 .tflite file")
            source, data, stem = str(path), path.read_bytes(), path.stem
        if data in seen:
            raise TinyMLError(
                f"{source} is the same model as {seen[data]}; give each model once (the sketch runs each model in turn)"
            )
        seen[data] = source
        info = read_model(data, name=source)
        problems = [issue for issue in find_issues(info, analyze(info)) if issue.severity == "error"]
        if problems:
            raise TinyMLError(f"{source}: {problems[0].message}; {problems[0].fix}")
        io = info.input_tensors + info.output_tensors
        if len(info.inputs) != 1 or len(info.outputs) != 1:
            raise TinyMLError(
                f"{source} has {len(info.inputs)} inputs and {len(info.outputs)} outputs; the "
                "multi-model sketch runs models with one input and one output"
            )
        if any(t.dtype != "int8" for t in io):
            kinds = ", ".join(sorted({t.dtype for t in io if t.dtype != "int8"}))
            raise TinyMLError(
                f"{source} has {kinds} input/output, not int8; convert it with full-integer "
                "quantization (a representative data set, int8 input and output)"
            )
        loaded.append((_c_name(names[i] if names else stem), source, data, info))
    taken: dict[str, int] = {}
    for i, (name, *rest) in enumerate(loaded):  # two files called model.tflite in different folders
        taken[name] = taken.get(name, 0) + 1
        if taken[name] > 1:
            loaded[i] = (f"{name}_{taken[name]}", *rest)
    return loaded


def _c_name(name: str) -> str:
    """``name`` as a C identifier: letters, digits and underscores, not starting with a digit."""
    ident = re.sub(r"[^A-Za-z0-9_]+", "_", name).strip("_").lower() or "model"
    return f"m_{ident}" if ident[0].isdigit() else ident


def _tenant(name: str, source: str, data: bytes, info: ModelFile) -> Tenant:
    inp, out = info.input_tensors[0], info.output_tensors[0]
    return Tenant(
        name=name,
        source=source,
        model_bytes=len(data),
        ops=ops_in_order([info]),
        arena_bytes=0,
        arena_bytes_32bit=0,
        runs_in_shared_arena=False,
        input_shape=list(inp.shape),
        input_scale=inp.scale[0] if inp.scale else 0.0,
        input_zero_point=inp.zero_point[0] if inp.zero_point else 0,
        output_shape=list(out.shape),
        output_scale=out.scale[0] if out.scale else 0.0,
        output_zero_point=out.zero_point[0] if out.zero_point else 0,
    )


def _write(folder: Path, d: MultiDeployment, models: list[bytes]) -> dict[str, str]:
    """The models, the sketch and its README in ``folder``; ``{artifact: path relative to folder}``."""
    files = {}
    target = folder / SKETCH
    headers = []
    for t, data in zip(d.models, models, strict=True):
        write_bytes(folder / "models" / f"{t.name}.tflite", data)
        files[f"model {t.name}"] = f"models/{t.name}.tflite"
        written = write_model_array(
            target, data, name=f"g_{t.name}_model", stem=f"{t.name}_model_data", source=f"models/{t.name}.tflite"
        )
        headers.append(next(w for w in written if w.endswith(".h")))
    values = {
        "version": __version__,
        "sketch": SKETCH,
        "board": BOARD,
        "d": d,
        "models": d.models,
        "headers": headers,
        "ops": d.ops,
        "resolver_methods": resolver_methods(d.ops),
    }
    render_sketch_files(target, MULTI_TEMPLATES, values)
    write_text(folder / "README.md", render("arduino/common/multi_README.md.j2", **values))
    files.update(sketch=SKETCH, sketch_readme="README.md", report="report.json")
    return files
