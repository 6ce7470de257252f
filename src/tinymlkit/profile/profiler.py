"""``profile_model``: everything worth knowing about a .tflite model before flashing it, as one result object.

The :class:`Profile` holds the per-layer table, the totals (parameters, MACs, flash, TFLM arena, peak
activation memory), the problems TFLM would have with the model and their fixes, and, for a board, the fit
verdict and the estimated latency. The CLI table, the JSON file and the HTML page all render this object.
"""

from dataclasses import dataclass, field

from tinymlkit.errors import TinyMLError
from tinymlkit.profile.boards import Board, get_board
from tinymlkit.profile.graph import LayerProfile, TensorShape, analyze
from tinymlkit.profile.latency import core_model
from tinymlkit.progress import ProgressCallback, ProgressEvent, silent
from tinymlkit.runtime.model_file import ModelFile, read_model
from tinymlkit.runtime.ops import supported
from tinymlkit.runtime.tflm import HOST_POINTER_NOTE, measure_arena

# Host (64-bit) vs 32-bit MCU sizes of TFLM's pointer-holding structs, in bytes: TfLiteEvalTensor per tensor,
# NodeAndRegistration per operator, TfLiteTensor per model input/output (the host sizes are what the host
# build's print_allocations reports; the 32-bit sizes follow from the same structs with 4-byte pointers).
_EVAL_TENSOR = (24, 12)
_NODE = (64, 32)
_PERSISTENT_TENSOR = (64, 40)
TIGHT = 0.9  # share of a budget above which the fit is called tight


@dataclass
class Issue:
    """Something that stops the model from running well (or at all) in TFLM, and how to fix it."""

    severity: str  # error: TFLM cannot run it | warning: runs, but slower or larger than it should
    message: str
    fix: str


@dataclass
class IOTensor:
    """A model input or output as the device sees it."""

    name: str
    shape: TensorShape
    scale: float | None
    zero_point: int | None


@dataclass
class Fit:
    """Does the model fit the board? Flash: model + sketch code; RAM: arena + the sketch's own memory."""

    flash_needed: int
    flash_available: int
    ram_needed: int
    ram_available: int
    ram_basis: str  # what the RAM figure rests on (the measured arena, or the activation estimate)
    verdict: str  # fits | tight | does not fit

    @property
    def flash_share(self) -> float:
        return self.flash_needed / self.flash_available

    @property
    def ram_share(self) -> float:
        return self.ram_needed / self.ram_available


@dataclass
class Profile:
    """The profile of one model (and, optionally, one board). Every figure the CLI, JSON and HTML show."""

    name: str
    flash_bytes: int  # the .tflite flatbuffer, which the device keeps in flash
    parameters: int
    parameter_bytes: int
    macs: int
    layers: list[LayerProfile]
    ops: list[str]
    inputs: list[IOTensor]
    outputs: list[IOTensor]
    peak_activation_bytes: int
    peak_layer: int  # index of the layer where the live activations peak
    arena_bytes: int | None  # minimum tensor arena measured in TFLM (host build), None when not measured
    arena_bytes_32bit: int | None  # estimate of the same arena on a 32-bit MCU
    arena_note: str
    issues: list[Issue] = field(default_factory=list)
    board: Board | None = None
    kernels: str | None = None
    latency_ms: float | None = None  # estimated total on the board
    latency_basis: str = ""
    fit: Fit | None = None

    @property
    def hybrid(self) -> bool:
        return any("hybrid" in i.message for i in self.issues)

    @property
    def runnable(self) -> bool:
        """False when TFLM cannot run the model at all."""
        return not any(i.severity == "error" for i in self.issues)


def profile_model(
    model_bytes: bytes,
    board: str | None = None,
    *,
    measure: bool = True,
    kernels: str | None = None,
    name: str = "model",
    progress: ProgressCallback = silent,
) -> Profile:
    """Profile a .tflite model: per-layer work and memory, TFLM arena, problems, and the fit and latency on ``board``.

    ``measure=False`` skips the TFLM arena measurement (no subprocess; the profile is then pure graph analysis
    and takes milliseconds). ``kernels`` picks ``optimized`` (CMSIS-NN / ESP-NN) or ``reference`` kernels for
    the latency estimate; by default the board's usual set. Raises :class:`TinyMLError` for a file that is not
    a valid model or an unknown board name. (One function on purpose: the steps share the layer list and the
    issue list, and read as the report's sections in order.)
    """
    the_board = get_board(board) if board is not None else None
    if the_board is not None:
        core_model(the_board.core, kernels or the_board.kernels)  # a wrong kernel set fails before any work
    info = read_model(model_bytes, name=name)
    progress(ProgressEvent("Analysing the graph", 0, 1))
    try:
        layers = analyze(info)
    except Exception as exc:  # a damaged file can parse yet hold impossible shapes or indices
        raise TinyMLError(f"{name} is corrupt ({type(exc).__name__} while analysing its graph); re-export it") from None
    progress(ProgressEvent("Analysing the graph", 1, 1))
    issues = find_issues(info, layers)
    peak = max(range(len(layers)), key=lambda i: layers[i].live_bytes) if layers else 0
    arena = arena32 = None
    arena_note = "not measured (measure=False)"
    if measure and all(i.severity != "error" for i in issues):
        try:
            arena = measure_arena(model_bytes, progress=progress)
            arena32 = estimate_32bit_arena(arena, info)
            arena_note = HOST_POINTER_NOTE
        except TinyMLError as exc:  # TFLM's messages read "what went wrong; what to do"
            what, _, fix = str(exc).partition("; ")
            # A crash of the host interpreter may be a limit of the host build rather than of the model.
            severity = "warning" if "crashed" in what else "error"
            if severity == "warning" and shared_bias_buffers(info):
                fix = (
                    "the model's biases are all zero and shared between layers (an untrained model?), which the "
                    "host build of TFLM aborts on: measure it once trained"
                )
            issues.append(Issue(severity, what, fix or "re-export the model as a full-integer .tflite"))
            arena_note = "not measured: TFLM could not allocate the model on the host"
    elif measure:
        arena_note = "not measured: TFLM cannot run this model (see the problems)"
    profile = Profile(
        name=name,
        flash_bytes=len(model_bytes),
        parameters=sum(layer.parameters for layer in layers),
        parameter_bytes=sum(layer.parameter_bytes for layer in layers),
        macs=sum(layer.macs for layer in layers),
        layers=layers,
        ops=info.op_names,
        inputs=[_io(t) for t in info.input_tensors],
        outputs=[_io(t) for t in info.output_tensors],
        peak_activation_bytes=layers[peak].live_bytes if layers else 0,
        peak_layer=peak,
        arena_bytes=arena,
        arena_bytes_32bit=arena32,
        arena_note=arena_note,
        issues=issues,
    )
    if the_board is not None:
        _on_board(profile, the_board, kernels or the_board.kernels)
    return profile


def find_issues(info: ModelFile, layers: list[LayerProfile]) -> list[Issue]:
    """Operators TFLM lacks, hybrid models, float and uint8 inputs/outputs, layers that compute in float."""
    issues = []
    for op in sorted({o.name for o in info.ops if o.custom}):
        issues.append(
            Issue(
                "error",
                f"custom operator {op}: TFLM has no kernel for it",
                f"replace op {op} with builtin layers, or register your own kernel in the sketch",
            )
        )
    for op in sorted({o.name for o in info.ops if not o.custom and not supported(o.name)}):
        issues.append(
            Issue(
                "error",
                f"TFLM has no kernel for operator {op}",
                f"replace op {op} (the layer that produces it) with layers TFLM supports",
            )
        )
    if info.is_hybrid:
        issues.append(
            Issue(
                "error",
                "dynamic-range (hybrid) model: int8 weights with float activations, which TFLM rejects",
                "re-convert with a representative dataset and int8 input/output (full-integer quantization)",
            )
        )
    float_layers = [layer for layer in layers if layer.float_compute]
    for layer in float_layers:
        layer.notes.append("float: reference kernel only (no CMSIS-NN / ESP-NN)")
    if float_layers and not info.is_hybrid:
        whole = len(float_layers) == len([layer for layer in layers if layer.kind != "shape"])
        what = "float model" if whole else f"{len(float_layers)} layer(s) compute in float"
        issues.append(
            Issue(
                "warning",
                f"{what}: TFLM runs it only with float reference kernels, 4x the memory of int8",
                "re-convert with int8 input/output (full-integer quantization with a representative dataset)",
            )
        )
    io = info.input_tensors + info.output_tensors
    if any(t.dtype == "float32" for t in io) and not float_layers:
        issues.append(
            Issue(
                "warning",
                "float input/output: the device must quantize and dequantize in software",
                "re-convert with int8 input/output (inference_input_type / inference_output_type)",
            )
        )
    if any(t.dtype == "uint8" for t in io):
        issues.append(
            Issue(
                "warning",
                "uint8 input/output (legacy quantization); TFLM's optimized kernels are int8",
                "re-convert with int8 input/output",
            )
        )
    if info.subgraphs > 1:
        issues.append(
            Issue(
                "warning",
                f"{info.subgraphs} subgraphs: only the first is profiled",
                "check control-flow ops (WHILE, IF) are in TFLM's op list",
            )
        )
    return issues


def shared_bias_buffers(info: ModelFile) -> int:
    """How many constant int32 buffers (biases) several tensors share: the converter merges identical biases,
    typically the all-zero ones of an untrained model."""
    users: dict[int, int] = {}
    for t, raw in zip(info.tensors, info.raw.subgraphs[0].tensors or [], strict=False):
        if t.constant and t.dtype == "int32":
            users[raw.buffer] = users.get(raw.buffer, 0) + 1
    return sum(1 for n in users.values() if n > 1)


def estimate_32bit_arena(arena: int, info: ModelFile) -> int:
    """The host-measured arena less the pointer-size savings of TFLM's structs on a 32-bit MCU (an estimate)."""
    saving = len(info.tensors) * (_EVAL_TENSOR[0] - _EVAL_TENSOR[1])
    saving += len(info.ops) * (_NODE[0] - _NODE[1])
    saving += (len(info.inputs) + len(info.outputs)) * (_PERSISTENT_TENSOR[0] - _PERSISTENT_TENSOR[1])
    return max(arena - saving, 0)


def _on_board(profile: Profile, board: Board, kernels: str) -> None:
    model = core_model(board.core, kernels)
    fallback = core_model(board.core, "reference")
    clock_khz = board.clock_mhz * 1e3
    for layer in profile.layers:
        runs_on = model
        if (
            kernels == "optimized"
            and layer.kind != "shape"
            and not layer.float_compute
            and layer.op not in model.optimized_ops
        ):
            runs_on = fallback
            layer.notes.append("no optimized kernel: reference kernel")
        layer.latency_ms = runs_on.cycles(layer.kind, layer.macs, layer.float_compute) / clock_khz
    profile.board, profile.kernels = board, kernels
    profile.latency_ms = sum(layer.latency_ms or 0.0 for layer in profile.layers)
    profile.latency_basis = f"{board.core}, {kernels} kernels, {board.clock_mhz:g} MHz: {model.basis}"
    if profile.arena_bytes_32bit is not None:
        ram, basis = profile.arena_bytes_32bit, "TFLM arena measured on the host, 32-bit estimate"
    else:
        ram = int(profile.peak_activation_bytes * 1.1) + 2048
        basis = "peak live activations + 10% + 2 KB (arena not measured)"
    flash_needed = profile.flash_bytes + board.reserved_flash_bytes
    ram_needed = ram + board.reserved_ram_bytes
    shares = (flash_needed / board.flash_bytes, ram_needed / board.ram_bytes)
    verdict = "does not fit" if max(shares) > 1 else "tight" if max(shares) > TIGHT else "fits"
    profile.fit = Fit(flash_needed, board.flash_bytes, ram_needed, board.ram_bytes, basis, verdict)


def _io(t) -> IOTensor:
    return IOTensor(
        name=t.name,
        shape=TensorShape(t.shape, t.dtype),
        scale=t.scale[0] if t.scale else None,
        zero_point=t.zero_point[0] if t.zero_point else None,
    )
