"""Model CI gates: does an int8 model stay within its budgets? Flash, tensor arena and latency on a board from the
profiler, and accuracy (or any metric an application measures) in TFLM on a labelled data set.

    >>> result = check_model("model.tflite", "nano33ble", max_arena=60_000, min_accuracy=0.85,
    ...                      recipe=tm.kws, data="my_clips/")
    >>> result.passed, [str(g) for g in result.gates]

Two gates are always there: TFLM runs the model, and it fits the board. Each limit given adds one. A problem
with the inputs themselves (a missing file, an unknown board, a data folder the application cannot read) raises
:class:`TinyMLError` instead: the model was not checked, which is different from a gate that failed.
"""

import math
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import numpy as np

from tinymlkit.errors import TinyMLError
from tinymlkit.progress import ProgressCallback, silent

SPLITS = ("auto", "all", "test")


@dataclass
class Gate:
    """One gate: what was measured against which limit, and whether it passed."""

    name: str
    passed: bool
    measured: float | None  # None: could not be measured (the reason says why; the gate fails)
    limit: float | None  # None for the gates without a number (runs in TFLM, fits the board)
    comparison: str  # "<=" (a maximum), ">=" (a minimum) or "" (yes/no)
    unit: str
    reason: str

    def line(self) -> str:
        """``PASS arena: 5,312 B <= 8,000 B (reason)``: the gate on one line."""
        word = "PASS" if self.passed else "FAIL"
        if self.limit is None:
            return f"{word} {self.name}: {self.reason}"
        got = "not measured" if self.measured is None else _number(self.measured, self.unit)
        return f"{word} {self.name}: {got} {self.comparison} {_number(self.limit, self.unit)} ({self.reason})"

    __str__ = line


@dataclass
class CheckResult:
    """Every gate of one model; the CLI's lines and its JSON both render this object."""

    model: str
    board: str
    gates: list[Gate]
    data: str | None = None  # the data the metrics were measured on
    examples: int | None = None
    metrics: dict[str, float] = field(default_factory=dict)

    @property
    def passed(self) -> bool:
        return all(g.passed for g in self.gates)

    @property
    def failed(self) -> list[Gate]:
        return [g for g in self.gates if not g.passed]

    def as_dict(self) -> dict[str, Any]:
        from tinymlkit.fileio import to_jsonable

        return {**to_jsonable(self), "passed": self.passed}


def check_model(
    model: str | Path | bytes,
    board: str = "nano33ble",
    *,
    max_flash: int | None = None,
    max_arena: int | None = None,
    max_latency_ms: float | None = None,
    min_accuracy: float | None = None,
    min_metrics: dict[str, float] | None = None,
    max_metrics: dict[str, float] | None = None,
    recipe=None,
    data: str | Path | None = None,
    labels: list[str] | None = None,
    split: str = "auto",
    config=None,
    progress: ProgressCallback = silent,
) -> CheckResult:
    """Measure ``model`` (a .tflite file or its bytes) and compare it with every limit given.

    - ``max_flash``: the model's bytes in flash; ``max_arena``: the tensor arena measured in TFLM (64-bit host,
      the conservative figure: a 32-bit board needs slightly less); ``max_latency_ms``: the profiler's latency
      estimate on ``board``.
    - ``min_accuracy``, ``min_metrics`` / ``max_metrics`` (``{metric: limit}``, e.g. ``{"mae": 0.1}``): measured
      in TFLM with the application ``recipe``'s own evaluation on ``data``: a labelled folder the application
      reads (Speech Commands-style WAV folders for kws), or ``"builtin"`` for its built-in data set. ``split``:
      ``all`` examples of the folder, or its ``test`` split only; ``auto`` is ``all`` for a folder and ``test``
      for the built-in data (whose other splits trained the built-in models). ``labels``: the model's outputs.
    """
    from tinymlkit.profile import profile_model

    path, data_bytes, name = _model(model)
    metric_limits = _metric_limits(min_accuracy, min_metrics, max_metrics, recipe, data, split)
    for option, value in (("max_flash", max_flash), ("max_arena", max_arena), ("max_latency_ms", max_latency_ms)):
        if value is not None and not (value > 0 and math.isfinite(value)):
            raise TinyMLError(f"{option} must be a positive number, not {value}")
    profile = profile_model(data_bytes, board, name=name, measure=True, progress=progress)
    errors = [i for i in profile.issues if i.severity == "error"]
    gates = [
        Gate(
            "runs in TFLM",
            not errors,
            None,
            None,
            "",
            "",
            f"{errors[0].message}; {errors[0].fix}"
            if errors
            else f"allocates and invokes in the TFLM interpreter ({', '.join(profile.ops)})",
        )
    ]
    fit = profile.fit
    gates.append(
        Gate(
            f"fits {profile.board.id}",
            fit.verdict != "does not fit",
            None,
            None,
            "",
            "",
            f"{fit.verdict}: flash {fit.flash_needed:,} of {fit.flash_available:,} B, RAM "
            f"{fit.ram_needed:,} of {fit.ram_available:,} B with the sketch's own share",
        )
    )
    if max_flash is not None:
        gates.append(
            _limit(
                "flash",
                profile.flash_bytes,
                max_flash,
                "<=",
                "B",
                "the .tflite flatbuffer, kept in flash; the sketch's code comes on top",
            )
        )
    if max_arena is not None:
        basis = (
            (
                "tensor arena measured in TFLM by bisection on the 64-bit host; a 32-bit board needs slightly "
                f"less, estimated {profile.arena_bytes_32bit:,} B"
            )
            if profile.arena_bytes
            else profile.arena_note
        )
        gates.append(_limit("arena", profile.arena_bytes, max_arena, "<=", "B", basis))
    if max_latency_ms is not None:
        gates.append(
            _limit(
                "latency",
                profile.latency_ms,
                max_latency_ms,
                "<=",
                "ms",
                f"estimated per inference: {profile.latency_basis}",
            )
        )
    result = CheckResult(name, profile.board.id, gates)
    if metric_limits:
        if errors:
            reason = "not measured: TFLM cannot run the model"
            gates += [Gate(m, False, None, limit, op, "", reason) for m, (op, limit) in metric_limits.items()]
        else:
            _metric_gates(result, path, data_bytes, metric_limits, recipe, data, labels, split, config, progress)
    return result


def _model(model: str | Path | bytes) -> tuple[Path | None, bytes, str]:
    if isinstance(model, bytes | bytearray):
        return None, bytes(model), "model"
    path = Path(model)
    if not path.is_file():
        raise TinyMLError(f"model file {path} not found; give the path to a .tflite file")
    return path, path.read_bytes(), str(path)


def _metric_limits(min_accuracy, min_metrics, max_metrics, recipe, data, split) -> dict[str, tuple[str, float]]:
    """``{metric: (comparison, limit)}``; usage errors before any measurement."""
    limits = {m: (">=", float(v)) for m, v in (min_metrics or {}).items()}
    limits.update({m: ("<=", float(v)) for m, v in (max_metrics or {}).items()})
    if min_accuracy is not None:
        limits["accuracy"] = (">=", float(min_accuracy))
    if split not in SPLITS:
        raise TinyMLError(f"split must be one of {', '.join(SPLITS)}, not {split!r}")
    if not limits:
        return limits
    for metric, (_, value) in limits.items():
        if not math.isfinite(value):
            raise TinyMLError(f"the limit of {metric} must be a number, not {value}")
    if "accuracy" in limits and not 0 <= limits["accuracy"][1] <= 1:
        raise TinyMLError(f"min_accuracy is a fraction between 0 and 1, not {limits['accuracy'][1]:g} (85 % is 0.85)")
    if recipe is None:
        raise TinyMLError("a metric gate needs the model's application (--app kws, person, ...) to measure it")
    if data is None:
        raise TinyMLError(
            f"a metric gate needs labelled data: --data FOLDER (a {recipe.name} data folder), or "
            "--data builtin for the built-in data set"
        )
    if "accuracy" in limits:
        from tinymlkit.recipe import Classification

        if not isinstance(recipe.task, Classification):
            raise TinyMLError(
                f"{recipe.name} models are not classifiers and have no accuracy; gate one of its "
                "metrics with --min-metric/--max-metric NAME=VALUE"
            )
    return limits


def _metric_gates(
    result: CheckResult,
    path: Path | None,
    model: bytes,
    limits: dict,
    recipe,
    data,
    labels,
    split: str,
    config,
    progress: ProgressCallback,
) -> None:
    """Load the data the application's way, evaluate the model in TFLM with the recipe, add one gate per metric."""
    import tempfile

    builtin = str(data).strip().lower() == "builtin"
    if not builtin and not Path(data).is_dir():
        raise TinyMLError(f"data folder {data} not found; give a labelled {recipe.name} data folder or 'builtin'")
    config = recipe.config(config, **({} if builtin else {"data": str(data)}))
    config = recipe.for_model(config, labels)
    dataset, source = recipe.load_data(config, progress)
    which = ("test" if builtin else "all") if split == "auto" else split
    if which == "all":
        dataset = replace(dataset, split=np.full(len(dataset), "test", dtype=dataset.split.dtype))
    if len(dataset.part("test")) == 0:
        raise TinyMLError(f"no test examples in {source}; use --split all or add examples")
    with tempfile.TemporaryDirectory(prefix="tinyml-check-") as tmp:
        if path is None:
            path = Path(tmp) / "model.tflite"
            path.write_bytes(model)
        evaluation = recipe.evaluate(path, dataset, config, labels, progress)
    metrics = {k: float(v) for k, v in evaluation.metrics.items()}
    unknown = [m for m in limits if m not in metrics]
    if unknown:
        raise TinyMLError(f"{recipe.name} measures no metric {unknown[0]!r}; its metrics are: {', '.join(metrics)}")
    examples = f"{which} split" if which == "test" else "every example"
    for metric, (op, limit) in limits.items():
        result.gates.append(
            _limit(
                metric,
                metrics[metric],
                limit,
                op,
                "",
                f"int8 model in TFLM, {evaluation.examples} examples ({examples}) of {source}",
            )
        )
    result.data, result.examples, result.metrics = source, evaluation.examples, metrics


def _limit(name: str, measured: float | None, limit: float, op: str, unit: str, reason: str) -> Gate:
    if measured is None or (isinstance(measured, float) and math.isnan(measured)):
        return Gate(name, False, None, limit, op, unit, reason)
    passed = measured <= limit if op == "<=" else measured >= limit
    return Gate(name, bool(passed), measured, limit, op, unit, reason)


def _number(value: float, unit: str) -> str:
    if unit == "B":
        return f"{int(value):,} B"
    if unit == "ms":
        return f"{value:.3f} ms"
    return f"{value:.4g}"
