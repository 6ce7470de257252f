"""``ModelReport``: the single source of every figure of a run (CLI table, report.json, model card, plots)."""

from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from tinymlkit.evaluate.groups import GroupReport
from tinymlkit.fileio import write_json


@dataclass
class DataSummary:
    """What the model was trained and tested on."""

    source: str
    labels: list[str]
    counts: dict[str, dict[str, int]]  # split -> label -> examples
    groups: dict[str, int]  # split -> distinct speakers/voices/subjects
    notes: dict[str, int] = field(default_factory=dict)  # repairs and skips made while loading
    metadata: dict[str, dict[str, int]] = field(default_factory=dict)  # column -> value -> examples (data card)


@dataclass
class ModelSummary:
    """The int8 model as deployed: sizes measured from the file and in TFLM."""

    family: str
    parameters: int
    flash_bytes: int  # size of the .tflite flatbuffer, which the device keeps in flash
    arena_bytes: int  # minimum tensor arena measured in TFLM (host build, 64-bit pointers)
    ops: list[str]
    input_shape: list[int]
    input_scale: float
    input_zero_point: int
    output_scale: float
    output_zero_point: int
    arena_note: str = ""


@dataclass
class ModelReport:
    """Everything one run measured. ``int8`` metrics are always measured in the TFLM interpreter."""

    app: str
    run_dir: str
    settings: dict
    data: DataSummary
    model: ModelSummary
    float_metrics: dict[str, float]
    int8_metrics: dict[str, float]
    confusion: list[list[int]] | None = None  # int8 model on the test split, rows true, columns predicted
    timings: dict[str, float] = field(default_factory=dict)  # stage -> seconds
    artifacts: dict[str, str] = field(default_factory=dict)  # name -> path relative to run_dir
    extra: dict = field(default_factory=dict)  # application-specific figures
    groups: GroupReport | None = None  # int8 results per metadata group (voice, accent, device...), test split
    created: str = field(default_factory=lambda: datetime.now().isoformat(timespec="seconds"))

    def save(self, folder: str | Path) -> Path:
        """Write ``report.json`` into ``folder``."""
        return write_json(Path(folder) / "report.json", self)
