"""Read a .tflite flatbuffer into plain values: tensors, operators, inputs and outputs.

Parsing happens in Python (no native code), so a corrupt or hostile file raises :class:`TinyMLError` here
instead of crashing the interpreter later.
"""

from dataclasses import dataclass
from pathlib import Path

import numpy as np
from tflite_micro.tensorflow.lite.micro.python import schema_py_generated as schema

from tinymlkit.errors import TinyMLError

_OP_NAMES = {v: k for k, v in vars(schema.BuiltinOperator).items() if not k.startswith("_")}
_TYPE_NAMES = {v: k.lower() for k, v in vars(schema.TensorType).items() if not k.startswith("_")}


@dataclass(frozen=True)
class TensorInfo:
    """One tensor of the graph. ``constant`` tensors (weights, biases) live in flash."""

    index: int
    name: str
    shape: tuple[int, ...]
    dtype: str
    scale: tuple[float, ...]
    zero_point: tuple[int, ...]
    constant: bool
    nbytes: int

    @property
    def quantized(self) -> bool:
        return len(self.scale) > 0


@dataclass(frozen=True)
class OpInfo:
    """One operator node: builtin name (or custom code), its version and tensor indices."""

    index: int
    name: str
    version: int
    inputs: tuple[int, ...]
    outputs: tuple[int, ...]
    custom: bool


@dataclass(frozen=True)
class ModelFile:
    """The parsed main subgraph of a .tflite model (TFLM runs subgraph 0 from the Python API)."""

    size: int
    tensors: tuple[TensorInfo, ...]
    ops: tuple[OpInfo, ...]
    inputs: tuple[int, ...]
    outputs: tuple[int, ...]
    subgraphs: int
    raw: object  # schema.ModelT, for analyses that need operator options

    @property
    def op_names(self) -> list[str]:
        """The distinct operators of the model, sorted."""
        return sorted({op.name for op in self.ops})

    @property
    def input_tensors(self) -> list[TensorInfo]:
        return [self.tensors[i] for i in self.inputs]

    @property
    def output_tensors(self) -> list[TensorInfo]:
        return [self.tensors[i] for i in self.outputs]

    @property
    def is_hybrid(self) -> bool:
        """Dynamic-range ("hybrid") model: int8 weights feeding float activations. TFLM cannot run it."""
        for op in self.ops:
            ins = [self.tensors[i] for i in op.inputs if i >= 0]
            if any(t.constant and t.dtype == "int8" for t in ins) and any(
                not t.constant and t.dtype == "float32" for t in ins
            ):
                return True
        return False

    @property
    def float_io(self) -> bool:
        """True when an input or output tensor is float: the device would have to quantize in software."""
        return any(t.dtype == "float32" for t in self.input_tensors + self.output_tensors)


def dtype_size(dtype: str) -> int:
    """Bytes per element of a TFLite type name (``int4`` counts as one byte, as TFLM unpacks it)."""
    if dtype in ("bool", "int4", "int8", "uint8"):
        return 1
    if dtype in ("int16", "uint16", "float16"):
        return 2
    if dtype in ("int64", "uint64", "float64", "complex64"):
        return 8
    return 4


def read_model(data: bytes, name: str = "model") -> ModelFile:
    """Parse .tflite bytes; raise :class:`TinyMLError` naming ``name`` when they are not a valid model."""
    if len(data) < 16 or data[4:8] != b"TFL3":
        raise TinyMLError(f"{name} is not a TensorFlow Lite model (no 'TFL3' identifier); export it as .tflite")
    try:
        model = schema.ModelT.InitFromObj(schema.Model.GetRootAs(data, 0))
        return _to_model_file(model, len(data))
    except TinyMLError:
        raise
    except Exception as exc:  # the flatbuffer is truncated or damaged: any decode error lands here
        raise TinyMLError(
            f"{name} is corrupt or truncated ({type(exc).__name__} while reading it); re-export the model"
        ) from None


def load_model(path: str | Path) -> tuple[bytes, ModelFile]:
    """Read and parse a .tflite file, with a clear error when it is missing or invalid."""
    path = Path(path)
    if not path.is_file():
        raise TinyMLError(f"model file {path} not found; give the path to a .tflite file")
    data = path.read_bytes()
    return data, read_model(data, name=str(path))


def _to_model_file(model: "schema.ModelT", size: int) -> ModelFile:
    if not model.subgraphs:
        raise TinyMLError("the model has no subgraph; re-export it as .tflite")
    graph = model.subgraphs[0]
    buffers = model.buffers or []
    tensors = []
    for i, t in enumerate(graph.tensors or []):
        q = t.quantization
        scale = tuple(float(s) for s in (q.scale if q is not None and q.scale is not None else []))
        zero = tuple(int(z) for z in (q.zeroPoint if q is not None and q.zeroPoint is not None else []))
        buf = buffers[t.buffer] if 0 < t.buffer < len(buffers) else None
        constant = buf is not None and (buf.data is not None and len(buf.data) > 0 or bool(buf.size))
        shape = tuple(int(d) for d in (t.shape if t.shape is not None else []))
        dtype = _TYPE_NAMES.get(t.type, f"type{t.type}")
        nbytes = int(np.prod(shape, dtype=np.int64)) * dtype_size(dtype) if shape else dtype_size(dtype)
        tensors.append(TensorInfo(i, _text(t.name), shape, dtype, scale, zero, constant, nbytes))
    codes = model.operatorCodes or []
    ops = []
    for i, op in enumerate(graph.operators or []):
        code = codes[op.opcodeIndex]
        builtin = max(code.builtinCode, code.deprecatedBuiltinCode)
        custom = builtin == schema.BuiltinOperator.CUSTOM
        name = _text(code.customCode) if custom else _OP_NAMES.get(builtin, f"BUILTIN_{builtin}")
        ops.append(
            OpInfo(
                i,
                name,
                int(code.version),
                tuple(int(x) for x in (op.inputs if op.inputs is not None else [])),
                tuple(int(x) for x in (op.outputs if op.outputs is not None else [])),
                custom,
            )
        )
    for op in ops:
        for t in op.inputs + op.outputs:
            if t >= len(tensors):
                raise TinyMLError("the model refers to a tensor it does not have: it is corrupt; re-export it")
    return ModelFile(
        size=size,
        tensors=tuple(tensors),
        ops=tuple(ops),
        inputs=tuple(int(x) for x in graph.inputs),
        outputs=tuple(int(x) for x in graph.outputs),
        subgraphs=len(model.subgraphs),
        raw=model,
    )


def _text(value: bytes | str | None) -> str:
    if value is None:
        return ""
    return value.decode("utf-8", "replace") if isinstance(value, bytes) else str(value)
