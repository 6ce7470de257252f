"""Run int8 models in the real TensorFlow Lite for Microcontrollers interpreter (the ``tflite-micro`` package).

Two jobs: find the exact tensor arena a model needs (:func:`measure_arena`, by bisection on
allocate-and-invoke in a worker process, because a far-too-small arena can segfault TFLM), and run a batch of
inputs through the model as the device would (:class:`TFLMModel`), quantizing inputs with the model's own
scale and zero point.

The host build of TFLM uses 64-bit pointers, so its arena is a little larger than on a 32-bit MCU.
"""

import os
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from tinymlkit.errors import TinyMLError
from tinymlkit.progress import ProgressCallback, ProgressEvent, silent
from tinymlkit.runtime.model_file import ModelFile, read_model

HOST_POINTER_NOTE = "measured in the host build of TFLM (64-bit pointers); a 32-bit MCU needs slightly less"
MAX_ARENA = 64 * 1024 * 1024
_PROBE_TIMEOUT_S = 300
PARALLEL_MIN = 256  # examples from which a batch is shared among worker processes (fewer: not worth starting them)
_STATE_OPS = {"VAR_HANDLE", "READ_VARIABLE", "ASSIGN_VARIABLE", "CALL_ONCE"}
_CRASHES = 3  # consecutive worker crashes at growing arena sizes after which the model is judged to crash TFLM


@dataclass(frozen=True)
class TensorSpec:
    """Shape, type and quantization of a model input or output."""

    shape: tuple[int, ...]
    dtype: np.dtype
    scale: float
    zero_point: int

    @property
    def quantized(self) -> bool:
        return self.scale != 0.0

    def quantize(self, x: np.ndarray) -> np.ndarray:
        """Real values to this tensor's integer type: ``round(x / scale) + zero_point``, saturated."""
        if not self.quantized:
            return np.asarray(x, dtype=self.dtype)
        info = np.iinfo(self.dtype)
        q = np.round(np.asarray(x, dtype=np.float64) / self.scale) + self.zero_point
        return np.clip(q, info.min, info.max).astype(self.dtype)

    def dequantize(self, q: np.ndarray) -> np.ndarray:
        """Integer tensor values back to real values: ``(q - zero_point) * scale``."""
        if not self.quantized:
            return np.asarray(q, dtype=np.float32)
        return ((np.asarray(q, dtype=np.float32) - self.zero_point) * self.scale).astype(np.float32)


def measure_arena(model: bytes, progress: ProgressCallback = silent) -> int:
    """The smallest tensor-arena size in bytes with which TFLM allocates and invokes ``model``.

    Each size is tried in a worker process. Raises :class:`TinyMLError` with TFLM's reason when the model
    cannot run at all (an operator TFLM lacks, a hybrid model, a corrupt file).
    """
    info = read_model(model)
    with tempfile.TemporaryDirectory(prefix="tinyml-probe-") as tmp:
        path = Path(tmp) / "model.tflite"
        path.write_bytes(model)
        hi = _first_working_size(path, info)
        lo, tried, expected = 0, 0, max(1, int(np.log2(hi)))
        while hi - lo > 1:
            results, _ = _run_probe(path, lo, hi)
            if not results:  # the worker died on its first try (a segfault): that size fails
                results = [(False, (lo + hi) // 2)]
            for ok, size in results:
                lo, hi = (lo, size) if ok else (size, hi)
                tried += 1
                progress(ProgressEvent("Measuring arena in TFLM", min(tried, expected), expected))
    return hi


def check_runs(model: bytes, arena_size: int) -> tuple[bool, str]:
    """Try ``model`` once at ``arena_size`` in a worker process: (it ran, what TFLM said)."""
    with tempfile.TemporaryDirectory(prefix="tinyml-probe-") as tmp:
        path = Path(tmp) / "model.tflite"
        path.write_bytes(model)
        results, stderr = _run_probe(path, arena_size - 1, arena_size)
    return bool(results and results[0][0]), stderr


def _first_working_size(path: Path, info: ModelFile) -> int:
    activations = sum(t.nbytes for t in info.tensors if not t.constant)
    size = max(16 * 1024, 2 * activations + 8 * 1024)
    crashes = 0  # the worker died (abort, segfault) before answering, at consecutive sizes
    while size <= MAX_ARENA:
        results, stderr = _run_probe(path, size - 1, size)
        if results and results[0][0]:
            return size
        reason = _tflm_reason(stderr)
        if reason:
            raise TinyMLError(reason)
        crashes = 0 if results else crashes + 1
        if crashes == _CRASHES:  # 16x more than a generous first guess: not a too-small arena
            raise TinyMLError(
                f"TFLM's host interpreter crashed loading the model with arenas up to {size:,} bytes (a damaged "
                "model, or a limit of the tflite-micro build); the arena cannot be measured here: check the model "
                "on the board"
            )
        size *= 4
    raise TinyMLError(
        f"TFLM could not run the model even with a {MAX_ARENA // (1024 * 1024)} MB arena; "
        "check that it is a full-integer model for microcontrollers"
    )


def _run_probe(path: Path, lo: int, hi: int) -> tuple[list[tuple[bool, int]], str]:
    env = _worker_env()
    try:
        proc = subprocess.run(
            [sys.executable, "-m", "tinymlkit.runtime._probe", str(path), str(lo), str(hi)],
            capture_output=True,
            text=True,
            timeout=_PROBE_TIMEOUT_S,
            env=env,
        )
    except subprocess.TimeoutExpired:
        raise TinyMLError("TFLM took too long to load the model; it may be damaged, re-export it") from None
    results = []
    for line in proc.stdout.splitlines():
        word, _, size = line.partition(" ")
        if word in ("ok", "fail"):
            results.append((word == "ok", int(size)))
    return results, proc.stderr


def _tflm_reason(stderr: str) -> str:
    """Turn TFLM's stderr into one line that says what to do, or '' when the arena was simply too small."""
    for line in stderr.splitlines():
        if "Didn't find op for builtin opcode" in line or "Failed to get registration" in line:
            op = line.split("'")[1] if "'" in line else line.strip()
            return (
                f"TFLM has no kernel for operator {op}: replace it in the model, "
                "or convert with full-integer quantization (int8 ops only)"
            )
        if "Hybrid models are not supported" in line:
            return (
                "this is a dynamic-range (hybrid) model, which TFLM cannot run: convert it again with a "
                "representative dataset and int8 input/output (full-integer quantization)"
            )
        if "Type " in line and "not currently supported" in line:
            return f"TFLM cannot run this model: {line.strip()}; convert it with full-integer (int8) quantization"
    return ""


class TFLMModel:
    """A .tflite model loaded in the TFLM interpreter, run the way the device runs it.

    >>> tflm = TFLMModel(open("model.tflite", "rb").read())   # measures the arena first
    >>> scores = tflm.predict(features)                        # float in, dequantized float out

    The model is first tried in a worker process (so a model that would crash TFLM raises
    :class:`TinyMLError` instead), then loaded in this process with the measured arena.
    """

    def __init__(self, model: bytes, arena_size: int | None = None, name: str = "model"):
        self.info = read_model(model, name=name)
        if len(self.info.inputs) != 1 or len(self.info.outputs) != 1:
            raise TinyMLError(
                f"{name} has {len(self.info.inputs)} inputs and {len(self.info.outputs)} outputs; "
                "TinyML Kit runs models with one input and one output"
            )
        self.model = model
        self.arena_size = arena_size if arena_size is not None else measure_arena(model)
        from tflite_micro.python.tflite_micro import runtime

        self._interp = runtime.Interpreter.from_bytes(model, arena_size=self.arena_size)
        self.input = _spec(self._interp.get_input_details(0))
        self.output = _spec(self._interp.get_output_details(0))
        self._workers: list[subprocess.Popen] = []  # the processes sharing large batches (invoke)
        self._stateful = any(op in _STATE_OPS for op in self.info.op_names)  # its examples must run in order

    def predict(self, x: np.ndarray, progress: ProgressCallback = silent) -> np.ndarray:
        """Run every example of the batch ``x`` (real values) and return dequantized real outputs."""
        return self.output.dequantize(self.invoke(self.input.quantize(x), progress))

    def invoke(self, q: np.ndarray, progress: ProgressCallback = silent) -> np.ndarray:
        """Run a batch of already-quantized inputs; return the raw output tensors (one per example). A batch of
        at least ``PARALLEL_MIN`` examples is shared among worker processes, one per core (the results are the
        same: each example runs alone, in the same interpreter build)."""
        per_example = int(np.prod(self.input.shape))
        q = np.asarray(q, dtype=self.input.dtype)
        if q.size % per_example:
            raise TinyMLError(
                f"input of {q.shape[1:]} does not fit the model's input {self.input.shape}; "
                "use the features the model was trained on"
            )
        q = q.reshape((-1, *self.input.shape))
        if len(q) >= PARALLEL_MIN and _cores() > 1 and not self._stateful:
            out = self._invoke_in_workers(q, progress)
            if out is not None:
                return out
        out = np.empty((len(q), *self.output.shape[1:]), dtype=self.output.dtype)
        step = max(1, len(q) // 100)
        for i, example in enumerate(q):
            self._interp.set_input(example, 0)
            self._interp.invoke()
            out[i] = self._interp.get_output(0).reshape(self.output.shape[1:])
            if i % step == 0 or i == len(q) - 1:
                progress(ProgressEvent("Running int8 model in TFLM", i + 1, len(q)))
        return out

    def _invoke_in_workers(self, q: np.ndarray, progress: ProgressCallback) -> np.ndarray | None:
        """``invoke`` shared among this model's worker processes (started on first use, kept for the model's life),
        a few slices at a time for the progress; None when they cannot start or one dies, so the caller runs the
        batch here instead."""
        from tinymlkit.runtime._worker import HEADER  # the worker protocol's lengths

        out = np.empty((len(q), *self.output.shape[1:]), dtype=self.output.dtype)
        per_example = out[0].nbytes
        try:
            workers = self._start_workers()
            done = 0
            for part in np.array_split(np.arange(len(q)), min(len(q) // len(workers), 4)):
                slices = np.array_split(part, len(workers))
                for worker, c in zip(workers, slices, strict=True):
                    worker.stdin.write(HEADER.pack(len(c)) + q[c[0] : c[-1] + 1].tobytes())
                    worker.stdin.flush()
                for worker, c in zip(workers, slices, strict=True):
                    data = worker.stdout.read(len(c) * per_example)
                    if len(data) != len(c) * per_example:
                        raise OSError("a TFLM worker process stopped")
                    out[c[0] : c[-1] + 1] = np.frombuffer(data, dtype=out.dtype).reshape((len(c), *out.shape[1:]))
                done += len(part)
                progress(ProgressEvent("Running int8 model in TFLM", done, len(q)))
        except OSError:
            self._stop_workers()
            return None
        return out

    def _start_workers(self) -> list[subprocess.Popen]:
        if not self._workers:
            import weakref

            from tinymlkit.runtime._worker import HEADER

            for _ in range(_cores()):
                worker = subprocess.Popen(
                    [sys.executable, "-m", "tinymlkit.runtime._worker"],
                    stdin=subprocess.PIPE,
                    stdout=subprocess.PIPE,
                    stderr=subprocess.DEVNULL,
                    env=_worker_env(),
                )
                self._workers.append(worker)
                worker.stdin.write(HEADER.pack(self.arena_size) + HEADER.pack(len(self.model)) + self.model)
                worker.stdin.flush()
            weakref.finalize(self, _stop, list(self._workers))
        return self._workers

    def _stop_workers(self) -> None:
        _stop(self._workers)
        self._workers = []

    def reset(self) -> None:
        """Clear the state of stateful models (no effect on feed-forward ones)."""
        self._interp.reset()


def _stop(workers: list[subprocess.Popen]) -> None:
    """End worker processes: closing their input ends them."""
    for worker in workers:
        try:
            worker.stdin.close()
            worker.wait(timeout=5)
        except (OSError, subprocess.TimeoutExpired):
            worker.kill()
    workers.clear()


def _worker_env() -> dict[str, str]:
    """The environment of a worker process: this one, with this process's import path."""
    return dict(os.environ, PYTHONPATH=os.pathsep.join(p for p in sys.path if p))


def _cores() -> int:
    """The cores this process may use."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def _spec(details: dict) -> TensorSpec:
    q = details["quantization_parameters"]
    scales, zeros = q["scales"], q["zero_points"]
    return TensorSpec(
        shape=tuple(int(d) for d in details["shape"]),
        dtype=np.dtype(details["dtype"]),
        scale=float(scales[0]) if len(scales) else 0.0,
        zero_point=int(zeros[0]) if len(zeros) else 0,
    )
