"""Latency model: estimated inference time of a model on a core, from its per-layer work.

Each layer's cycles are ``cost[kind] x work + op_overhead``, where ``work`` is the layer's MACs (or element
operations, see :mod:`tinymlkit.profile.graph`) and ``cost`` comes from ``cores.json`` for the core and kernel
set (``optimized`` = CMSIS-NN / ESP-NN, ``reference`` = TFLM's portable kernels). Layers that compute in float
cost ``float_mac`` per MAC instead. Every (core, kernels) pair is then scaled by one factor fitted on the
calibration measurements in ``measurements.json`` (geometric mean of measured / predicted); held-out
measurements are never used for fitting, only to report the error (``benchmarks/latency_model.py``), and
``prior`` rows are the published kernel timings some priors were read from.
"""

import json
import math
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from tinymlkit.errors import TinyMLError

HERE = Path(__file__).parent
KINDS = ("conv", "depthwise", "fully_connected", "pool", "elementwise", "transcendental", "data_movement")
KERNEL_SETS = ("optimized", "reference")


@dataclass(frozen=True)
class Workload:
    """Work per latency class: MACs or element operations, operator calls and float MACs."""

    work: dict[str, int]
    ops: int
    float_macs: int = 0

    @staticmethod
    def from_dict(d: dict) -> "Workload":
        return Workload({k: int(v) for k, v in d["work"].items()}, int(d["ops"]), int(d.get("float_macs", 0)))


@dataclass(frozen=True)
class Measurement:
    """A published latency figure for a workload on a core."""

    id: str
    workload: str
    core: str
    kernels: str
    clock_mhz: float
    latency_ms: float
    split: str  # calibration | holdout
    source: str
    verified: bool
    notes: str = ""


@dataclass
class CoreModel:
    """The fitted cost figures of one (core, kernels) pair."""

    core: str
    kernels: str
    costs: dict[str, float]
    scale: float = 1.0
    calibrated_on: list[str] = field(default_factory=list)
    prior_from: list[str] = field(default_factory=list)  # published kernel timings the priors were read from

    @property
    def basis(self) -> str:
        """How far to trust this model, in words."""
        if self.calibrated_on:
            return f"scaled x{self.scale:.2f} to {len(self.calibrated_on)} published measurement(s)"
        if self.prior_from:
            return f"priors from {len(self.prior_from)} published kernel timings, not scaled"
        return "uncalibrated priors (no published measurement for this core): a rough guide only"

    def cycles(self, kind: str, work: int, float_compute: bool = False) -> float:
        """Cycles of one operator call doing ``work`` units of class ``kind``."""
        return self.workload_cycles(workload([(kind, work, float_compute)]))

    def workload_cycles(self, w: Workload) -> float:
        """Cycles of a whole workload (all operator calls)."""
        total = sum(self.costs[k] * n for k, n in w.work.items() if k in self.costs)
        total += self.costs["float_mac"] * w.float_macs + self.costs["op_overhead"] * w.ops
        return self.scale * total


def workload(layers: list[tuple[str, int, bool]]) -> Workload:
    """The workload of (kind, MACs or operations, computes in float) per operator call.

    Float layers are priced at ``float_mac`` per MAC, and at four float MACs per element for the other kinds.
    """
    work = dict.fromkeys(KINDS, 0)
    float_macs = 0
    for kind, n, is_float in layers:
        if kind == "shape":
            continue
        if is_float:
            float_macs += n if kind in ("conv", "depthwise", "fully_connected") else 4 * n
        else:
            work[kind] += n
    return Workload({k: v for k, v in work.items() if v}, len(layers), float_macs)


def load_cores() -> dict:
    return json.loads((HERE / "cores.json").read_text())["cores"]


def load_measurements() -> tuple[dict[str, Workload], list[Measurement], dict[str, dict]]:
    """The workloads (reference models' work per class), the published measurements, and workload notes."""
    data = json.loads((HERE / "measurements.json").read_text())
    workloads = {name: Workload.from_dict(w) for name, w in data["workloads"].items()}
    rows = [Measurement(**m) for m in data["measurements"]]
    return workloads, rows, data["workloads"]


def fit(split: str = "calibration") -> dict[tuple[str, str], CoreModel]:
    """Every (core, kernels) model, its scale fitted on the measurements of ``split``."""
    cores = load_cores()
    workloads, rows, _ = load_measurements()
    models = {}
    for core, spec in cores.items():
        for kernels, costs in spec["kernels"].items():
            model = CoreModel(core, kernels, dict(costs))
            logs = []
            for m in rows:
                if m.core == core and m.kernels == kernels and m.split == "prior":
                    model.prior_from.append(m.id)
                if m.core == core and m.kernels == kernels and m.split == split:
                    predicted_ms = model.workload_cycles(workloads[m.workload]) / (m.clock_mhz * 1e3)
                    logs.append(math.log(m.latency_ms / predicted_ms))
                    model.calibrated_on.append(m.id)
            if logs:
                model.scale = math.exp(sum(logs) / len(logs))
            models[(core, kernels)] = model
    return models


@lru_cache(maxsize=1)
def fitted_models() -> dict[tuple[str, str], CoreModel]:
    """The models the profile uses: fitted on the calibration measurements (cached)."""
    return fit("calibration")


def core_model(core: str, kernels: str = "optimized") -> CoreModel:
    """The fitted model of ``core`` with ``kernels``; :class:`TinyMLError` naming the valid choices."""
    if kernels not in KERNEL_SETS:
        raise TinyMLError(f"unknown kernel set {kernels!r}; choose one of: {', '.join(KERNEL_SETS)}")
    models = fitted_models()
    if (core, kernels) not in models:
        names = sorted({c for c, _ in models})
        raise TinyMLError(f"no latency model for core {core!r}; known cores: {', '.join(names)}")
    return models[(core, kernels)]


@dataclass
class ErrorRow:
    """One measurement against the model's prediction."""

    id: str
    workload: str
    core: str
    kernels: str
    split: str
    measured_ms: float
    predicted_ms: float

    @property
    def error(self) -> float:
        """Relative error, (predicted - measured) / measured."""
        return (self.predicted_ms - self.measured_ms) / self.measured_ms


def evaluate() -> list[ErrorRow]:
    """Predictions of the calibrated model for every measurement, calibration and held-out."""
    models = fitted_models()
    workloads, rows, _ = load_measurements()
    out = []
    for m in rows:
        predicted = models[(m.core, m.kernels)].workload_cycles(workloads[m.workload]) / (m.clock_mhz * 1e3)
        out.append(ErrorRow(m.id, m.workload, m.core, m.kernels, m.split, m.latency_ms, predicted))
    return out
