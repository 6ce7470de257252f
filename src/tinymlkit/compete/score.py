"""Score an uploaded .tflite model on a challenge's hidden set: the one scorer of the CLI and the platform's worker.

    >>> from tinymlkit import compete
    >>> challenge = compete.get_challenge("kws-yes-no")
    >>> parts = {"public": compete.load_part(challenge, "public", folder)}
    >>> score = compete.score_model(open("model.tflite", "rb").read(), challenge, parts)
    >>> score.accuracy["public"], score.flash_bytes, score.arena_bytes, score.latency_ms, score.fits

Two stages. :func:`check_upload` reads the file in Python only (no TFLM): size, a real TensorFlow Lite model, no
operator TFLM lacks, not a hybrid or float model, int8 input of a shape of the challenge's contract, int8 output
with one score per label; it rejects with one line naming the fix, in milliseconds. Then a child process under
CPU, memory, file-size and wall-clock limits profiles the model (the arena measured in TFLM, the latency
estimated on the challenge's board, the fit) and runs it in TFLM on the hidden inputs; the labels stay here.
A model that crashes or hangs the interpreter only ends that child and is rejected with the reason.
"""

from __future__ import annotations

import json
import math
import shutil
import sys
import tempfile
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

import numpy as np

from tinymlkit.compete.challenge import Challenge
from tinymlkit.errors import TinyMLError

FITS = ("fits", "tight")  # a tight fit still fits


def score_limits():
    """The child's limits: CPU, memory, file size and wall clock (the course grader's ``Limits``)."""
    from tinymlkit.course.sandbox import Limits

    return Limits(cpu_s=120, memory_mb=2048, wall_s=240, file_mb=64, output_kb=64, processes=256)


@dataclass
class Score:
    """What the scorer found: accuracy per part of the hidden set, the model's profile on the board, the fit."""

    challenge: str
    accuracy: dict[str, float]
    examples: dict[str, int]
    flash_bytes: int
    arena_bytes: int  # measured in the host build of TFLM (64-bit pointers)
    arena_bytes_32bit: int  # its estimate on the 32-bit board
    latency_ms: float  # estimated on the challenge's board
    macs: int
    parameters: int
    verdict: str  # fits | tight | does not fit
    board: str
    ops: list[str] = field(default_factory=list)
    input_scale: float = 0.0
    input_zero_point: int = 0
    labels: list[str] = field(default_factory=list)  # the model's output order
    warnings: list[str] = field(default_factory=list)
    fit_detail: dict = field(default_factory=dict)
    duration_s: float = 0.0

    @property
    def fits(self) -> bool:
        return self.verdict in FITS

    @property
    def size_bytes(self) -> int:
        """What the model costs the board: flash for the model plus RAM for its arena."""
        return self.flash_bytes + self.arena_bytes_32bit

    def key(self, part: str, resolution: float) -> tuple:
        """Sort key, larger is better (see :func:`rank_key`)."""
        return rank_key(self.accuracy[part], self.fits, self.size_bytes, self.latency_ms, resolution)

    def to_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, d: dict) -> Score:
        return cls(**d)


def rank_key(accuracy: float, fits: bool, size_bytes: int, latency_ms: float, resolution: float) -> tuple:
    """Larger is better: models that fit the board first, then accuracy in steps of ``resolution``, then the
    smaller (flash + arena), then the faster."""
    steps = math.floor(accuracy / resolution + 1e-9) if resolution > 0 else accuracy
    return (bool(fits), steps, -int(size_bytes), -float(latency_ms))


def check_labels(challenge: Challenge, labels: list[str] | None) -> list[str]:
    """The model's output order: ``labels`` (a reordering of the challenge's labels) or the challenge's own."""
    if labels is None or list(labels) == []:
        return list(challenge.labels)
    labels = [str(x).strip() for x in labels]
    if sorted(labels) != sorted(challenge.labels):
        raise TinyMLError(
            f"labels {', '.join(labels)} are not the challenge's ({', '.join(challenge.labels)}) in "
            "some order; give your model's output labels in its order, each once"
        )
    return labels


def check_upload(model: bytes, challenge: Challenge, labels: list[str] | None = None):
    """Check an upload against the challenge's contract without running it; :class:`TinyMLError` naming the fix.

    Returns the parsed :class:`~tinymlkit.runtime.model_file.ModelFile`.
    """
    from tinymlkit.profile import profile_model
    from tinymlkit.runtime.model_file import read_model

    check_labels(challenge, labels)
    if len(model) == 0:
        raise TinyMLError("the file is empty; upload the .tflite model file")
    if len(model) > challenge.max_model_bytes:
        raise TinyMLError(
            f"the model is {len(model) / 1024:.0f} KB; this challenge takes models up to "
            f"{challenge.max_model_bytes // 1024} KB (the board's flash): make it smaller"
        )
    info = read_model(model, name="the upload")
    if len(info.inputs) != 1 or len(info.outputs) != 1:
        raise TinyMLError(
            f"the model has {len(info.inputs)} inputs and {len(info.outputs)} outputs; the challenge "
            "takes one input and one output"
        )
    profile = profile_model(model, measure=False, name="the upload")  # graph analysis only: milliseconds
    for issue in profile.issues:
        if issue.severity == "error":
            raise TinyMLError(f"{issue.message}; {issue.fix}")
    x, y = info.input_tensors[0], info.output_tensors[0]
    for what, tensor in (("input", x), ("output", y)):
        if tensor.dtype != "int8":
            raise TinyMLError(
                f"the model's {what} is {tensor.dtype}; the challenge takes int8 input and output: "
                "convert with full-integer quantization (tm.to_int8, or TFLiteConverter with a "
                "representative dataset and inference_input_type/inference_output_type = tf.int8)"
            )
        if not tensor.quantized:
            raise TinyMLError(
                f"the model's {what} has no quantization scale; re-convert with full-integer quantization (tm.to_int8)"
            )
    if tuple(x.shape) not in challenge.input.shapes:
        allowed = " or ".join(str(s) for s in challenge.input.shapes)
        raise TinyMLError(
            f"the model's input shape is {tuple(x.shape)}; challenge {challenge.name} takes "
            f"{allowed}: train on its input features (see its page or `tinyml compete list`)"
        )
    outputs = math.prod(y.shape[1:]) if len(y.shape) > 1 else 0
    if len(y.shape) < 2 or y.shape[0] != 1 or outputs != len(challenge.labels):
        raise TinyMLError(
            f"the model's output shape is {tuple(y.shape)}; the challenge needs one score per label: "
            f"(1, {len(challenge.labels)}) for {', '.join(challenge.labels)}"
        )
    return info


def score_model(
    model: bytes,
    challenge: Challenge,
    parts: dict[str, tuple[np.ndarray, np.ndarray]],
    labels: list[str] | None = None,
    limits=None,
) -> Score:
    """Check ``model``, run it in TFLM on each part's inputs in a limited child process and score it.

    ``parts`` maps a part name to ``(x, y)`` from :func:`~tinymlkit.compete.hidden.load_part`. Raises
    :class:`TinyMLError` with one line when the model is rejected (it breaks the contract, TFLM cannot run it,
    it crashed or hung the interpreter).
    """
    from tinymlkit.course.sandbox import run_limited

    start = time.monotonic()
    order = check_labels(challenge, labels)
    check_upload(model, challenge, order)
    limits = limits or score_limits()
    scratch = Path(tempfile.mkdtemp(prefix="tinyml-score-"))
    try:
        (scratch / "model.tflite").write_bytes(model)
        inputs = {}
        for part, (x, _) in parts.items():
            inputs[part] = str(scratch / f"{part}.npy")
            np.save(inputs[part], np.asarray(x, dtype=np.float32))
        job = {
            "model": str(scratch / "model.tflite"),
            "board": challenge.board,
            "inputs": inputs,
            "result": str(scratch / "result.json"),
        }
        (scratch / "job.json").write_text(json.dumps(job))
        for path in scratch.iterdir():  # readable by the child when it runs as an unprivileged user
            path.chmod(0o644)
        command = [sys.executable, "-m", "tinymlkit.compete._run", str(scratch / "job.json")]
        returncode, timed_out, stderr = run_limited(command, scratch, limits)
        result = _read_result(scratch / "result.json")
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    if timed_out:
        raise TinyMLError(
            f"the model took more than {limits.wall_s} s to run on the hidden set in TFLM; make it smaller or faster"
        )
    if result is None:
        how = f"signal {-returncode}" if returncode < 0 else f"exit status {returncode}"
        raise TinyMLError(
            f"the model crashed the TFLM interpreter ({how}); it is damaged or uses something TFLM "
            "cannot run: re-export it as a full-integer .tflite"
        )
    if "error" in result:
        raise TinyMLError(str(result["error"]).splitlines()[0] if result["error"] else "TFLM could not run the model")
    return _score(challenge, parts, order, result, time.monotonic() - start)


def _read_result(path: Path) -> dict | None:
    try:
        result = json.loads(path.read_text())
    except (OSError, ValueError):
        return None
    return result if isinstance(result, dict) and ("error" in result or "predictions" in result) else None


def _score(challenge: Challenge, parts: dict, order: list[str], result: dict, duration: float) -> Score:
    to_challenge = np.array([challenge.labels.index(label) for label in order])
    accuracy, examples = {}, {}
    for part, (_, y) in parts.items():
        predicted = to_challenge[np.asarray(result["predictions"][part], dtype=np.int64)]
        accuracy[part] = float(np.mean(predicted == np.asarray(y)))
        examples[part] = int(len(y))
    p = result["profile"]
    return Score(
        challenge=challenge.name,
        accuracy=accuracy,
        examples=examples,
        flash_bytes=int(p["flash_bytes"]),
        arena_bytes=int(p["arena_bytes"]),
        arena_bytes_32bit=int(p["arena_bytes_32bit"]),
        latency_ms=float(p["latency_ms"]),
        macs=int(p["macs"]),
        parameters=int(p["parameters"]),
        verdict=str(p["verdict"]),
        board=challenge.board,
        ops=list(p["ops"]),
        input_scale=float(p["input_scale"]),
        input_zero_point=int(p["input_zero_point"]),
        labels=order,
        warnings=list(p["warnings"]),
        fit_detail={k: p[k] for k in ("flash_needed", "flash_available", "ram_needed", "ram_available")},
        duration_s=round(duration, 3),
    )
