"""Per-layer figures read from the graph itself: shapes, parameters, exact MAC counts, activation memory.

Counting rules (exact for the shapes in the file; a "MAC" is one multiply-accumulate):

- ``CONV_2D``: output elements x kernel height x kernel width x input channels per group.
- ``DEPTHWISE_CONV_2D``: output elements x kernel height x kernel width.
- ``FULLY_CONNECTED``: output elements x input features (the weight matrix's second dimension).
- ``TRANSPOSE_CONV``: input elements x kernel height x kernel width x output channels.
- ``BATCH_MATMUL``: output elements x the contracted dimension.
- Pooling: output elements x window size (one add or compare per window element).
- ``MEAN``/``SUM``/``REDUCE_MAX``: input elements. Element-wise operators (``ADD``, ``MUL``, activations,
  ``SOFTMAX``, ``QUANTIZE`` ...): one operation per output element. Shape-only operators (``RESHAPE``,
  ``SQUEEZE``, ``EXPAND_DIMS``): none.

Element-wise and pooling "MACs" are operations, not multiply-accumulates; they are counted so that a layer's
share of the work is visible, and the latency model prices them per operator class.
"""

from dataclasses import dataclass, field

import numpy as np

from tinymlkit.runtime.model_file import ModelFile, TensorInfo

# Operator classes the latency model prices separately.
MAC_CLASSES = ("conv", "depthwise", "fully_connected")
SHAPE_ONLY = {"RESHAPE", "SQUEEZE", "EXPAND_DIMS"}
DATA_MOVEMENT = {
    "CONCATENATION",
    "PAD",
    "PADV2",
    "MIRROR_PAD",
    "TRANSPOSE",
    "STRIDED_SLICE",
    "SLICE",
    "SPLIT",
    "SPLIT_V",
    "PACK",
    "UNPACK",
    "GATHER",
    "GATHER_ND",
    "SPACE_TO_DEPTH",
    "DEPTH_TO_SPACE",
    "BROADCAST_TO",
    "SHAPE",
}
CONVERSIONS = SHAPE_ONLY | {"QUANTIZE", "DEQUANTIZE"}  # float in or out by design, no float arithmetic
POOLS = {"AVERAGE_POOL_2D", "MAX_POOL_2D", "L2_POOL_2D"}
REDUCTIONS = {"MEAN", "SUM", "REDUCE_MAX", "REDUCE_MIN", "REDUCE_PROD"}
TRANSCENDENTAL = {"SOFTMAX", "LOG_SOFTMAX", "LOGISTIC", "TANH", "EXP", "LOG", "ELU", "HARD_SWISH", "RSQRT", "SQRT"}


@dataclass(frozen=True)
class TensorShape:
    """Shape and type of one operator input or output."""

    shape: tuple[int, ...]
    dtype: str

    def __str__(self) -> str:
        return f"{'x'.join(str(d) for d in self.shape) or 'scalar'} {self.dtype}"


@dataclass
class LayerProfile:
    """One operator of the graph, as the device runs it."""

    index: int
    op: str
    kind: str  # latency-model class: conv, depthwise, fully_connected, pool, elementwise, transcendental, ...
    inputs: list[TensorShape]
    outputs: list[TensorShape]
    parameters: int  # elements of the constant inputs (weights, biases) first used by this layer
    parameter_bytes: int
    macs: int  # multiply-accumulates (conv/fc) or element operations (see the module docstring)
    activation_bytes: int  # bytes of this layer's non-constant inputs and outputs
    live_bytes: int = 0  # all activation tensors alive while this layer runs (the memory planner's lower bound)
    float_compute: bool = False  # runs on float activations (no int8 optimized kernel)
    latency_ms: float | None = None  # estimated on the chosen board
    notes: list[str] = field(default_factory=list)


def analyze(model: ModelFile) -> list[LayerProfile]:
    """Per-layer shapes, parameters, MACs and activation bytes, plus the live activation memory per layer."""
    tensors = model.tensors
    seen_constants: set[int] = set()
    layers = []
    raw_ops = model.raw.subgraphs[0].operators or []
    for op in model.ops:
        ins = [tensors[i] for i in op.inputs if i >= 0]
        outs = [tensors[i] for i in op.outputs if i >= 0]
        # Weights and biases; the constant inputs of shape and data-movement ops (target shapes, paddings,
        # axes) are settings, not parameters.
        structural = op.name in SHAPE_ONLY or op.name in DATA_MOVEMENT or op.name in REDUCTIONS
        constants = [t for t in ins if t.constant and t.index not in seen_constants and not structural]
        seen_constants.update(t.index for t in constants)
        variables = [t for t in ins if not t.constant]
        options = raw_ops[op.index].builtinOptions if op.index < len(raw_ops) else None
        layers.append(
            LayerProfile(
                index=op.index,
                op=op.name,
                kind=op_kind(op.name),
                inputs=[TensorShape(t.shape, t.dtype) for t in ins],
                outputs=[TensorShape(t.shape, t.dtype) for t in outs],
                parameters=sum(_elements(t) for t in constants),
                parameter_bytes=sum(t.nbytes for t in constants),
                macs=count_macs(op.name, ins, outs, options),
                activation_bytes=sum(t.nbytes for t in variables + outs),
                float_compute=any(t.dtype == "float32" for t in variables + outs) and op.name not in CONVERSIONS,
            )
        )
    for layer, live in zip(layers, live_activation_bytes(model), strict=True):
        layer.live_bytes = live
    return layers


def op_kind(op: str) -> str:
    """The latency-model class of a builtin operator."""
    if op in ("CONV_2D", "TRANSPOSE_CONV", "CONV_3D"):
        return "conv"
    if op == "DEPTHWISE_CONV_2D":
        return "depthwise"
    if op in ("FULLY_CONNECTED", "BATCH_MATMUL"):
        return "fully_connected"
    if op in POOLS or op in REDUCTIONS:
        return "pool"
    if op in TRANSCENDENTAL:
        return "transcendental"
    if op in SHAPE_ONLY:
        return "shape"
    if op in DATA_MOVEMENT:
        return "data_movement"
    return "elementwise"


def count_macs(op: str, ins: list[TensorInfo], outs: list[TensorInfo], options: object = None) -> int:
    """Exact multiply-accumulates (or element operations) of one operator, from its tensor shapes."""
    out_elements = sum(_elements(t) for t in outs)
    if not ins or not outs:
        return 0
    if op == "CONV_2D" and len(ins) >= 2 and len(ins[1].shape) == 4:
        _, kh, kw, kc = ins[1].shape  # filter [out channels, height, width, input channels per group]
        return out_elements * kh * kw * kc
    if op == "DEPTHWISE_CONV_2D" and len(ins) >= 2 and len(ins[1].shape) == 4:
        _, kh, kw, _ = ins[1].shape  # filter [1, height, width, output channels]
        return out_elements * kh * kw
    if op == "FULLY_CONNECTED" and len(ins) >= 2 and len(ins[1].shape) == 2:
        return out_elements * ins[1].shape[1]  # weights [units, input features]
    if op == "TRANSPOSE_CONV" and len(ins) >= 3 and len(ins[1].shape) == 4:
        oc, kh, kw, _ = ins[1].shape
        return _elements(ins[2]) * kh * kw * oc  # inputs: output shape, filter, input
    if op == "BATCH_MATMUL" and len(ins) >= 2 and ins[0].shape:
        adj_x = bool(getattr(options, "adjX", False))
        k = ins[0].shape[-2] if adj_x and len(ins[0].shape) >= 2 else ins[0].shape[-1]
        return out_elements * k
    if op in POOLS:
        fh, fw = getattr(options, "filterHeight", 1) or 1, getattr(options, "filterWidth", 1) or 1
        return out_elements * fh * fw
    if op in REDUCTIONS:
        return _elements(ins[0])
    if op in SHAPE_ONLY:
        return 0
    return out_elements


def live_activation_bytes(model: ModelFile) -> list[int]:
    """For each operator, the bytes of all non-constant tensors alive while it runs.

    A tensor lives from the operator that writes it (or the start, for model inputs) to the last operator that
    reads it (or the end, for model outputs). The maximum over operators is the least any memory plan can do
    for the activations; TFLM's arena adds its runtime structures on top.
    """
    n = len(model.ops)
    first: dict[int, int] = {i: 0 for i in model.inputs}
    last: dict[int, int] = {i: n - 1 for i in model.outputs}
    for op in model.ops:
        for t in op.outputs:
            if t >= 0:
                first.setdefault(t, op.index)
                last[t] = max(last.get(t, op.index), op.index)
        for t in op.inputs:
            if t >= 0 and not model.tensors[t].constant:
                first.setdefault(t, 0)
                last[t] = max(last.get(t, op.index), op.index)
    live = [0] * n
    for t, start in first.items():
        for i in range(start, last.get(t, start) + 1):
            live[i] += model.tensors[t].nbytes
    return live


def _elements(t: TensorInfo) -> int:
    return int(np.prod(t.shape, dtype=np.int64)) if t.shape else 1
