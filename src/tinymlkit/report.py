"""``ModelReport``: the single source of every figure of a run (CLI table, report.json, model card, plots)."""

from dataclasses import asdict, dataclass, field, is_dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

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
class TrainingSummary:
    """How training went: epochs run and the epoch whose weights the model kept."""

    epochs_run: int
    best_epoch: int


@dataclass
class RealWorldSummary:
    """The int8 model in TFLM on a folder of real-world examples (``--real-test``), never trained on, beside its
    figures on the held-out test split: the gap between data made for training and the world."""

    source: str
    examples: int
    counts: dict[str, int]  # label -> real examples
    metrics: dict[str, float]  # int8 in TFLM on the real examples
    test_metrics: dict[str, float]  # int8 in TFLM on the held-out test split, for the side-by-side view
    confusion: list[list[int]] | None = None  # rows true, columns predicted (the model's labels)
    per_class_recall: dict[str, float] | None = None  # labels with real examples only
    false_accepts: int | None = None  # "no command" examples (silence, unknown) taken for a command
    negatives: int | None = None  # "no command" examples among the real ones
    notes: dict[str, int] = field(default_factory=dict)  # what loading repaired (resampled, downmixed...)


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
    training: TrainingSummary | None = None
    test_examples: int = 0
    per_class_recall: dict[str, float] | None = None  # classification: int8 recall per class, test split
    thresholds: dict[str, float] | None = None  # anomaly scores: the threshold of each model
    threshold_rule: str | None = None
    details: Any = None  # the application's own results (a dataclass, e.g. the keyword streaming check)
    timings: dict[str, float] = field(default_factory=dict)  # stage -> seconds
    artifacts: dict[str, str] = field(default_factory=dict)  # name -> path relative to run_dir
    groups: GroupReport | None = None  # int8 results per metadata group (voice, accent, device...), test split
    real_world: RealWorldSummary | None = None  # int8 results on real-world examples (--real-test), if given
    created: str = field(default_factory=lambda: datetime.now().isoformat(timespec="seconds"))

    @property
    def extra(self) -> dict:
        """The typed fields as the former ``extra`` dict (read-only; kept for one release)."""
        out: dict = asdict(self.training) if self.training else {}
        out["test_examples"] = self.test_examples
        if self.per_class_recall is not None:
            out["per_class_recall_int8"] = self.per_class_recall
        if self.thresholds is not None:
            out["thresholds"], out["threshold_rule"] = self.thresholds, self.threshold_rule
        if is_dataclass(self.details):
            out.update(asdict(self.details))
        return out

    def save(self, folder: str | Path) -> Path:
        """Write ``report.json`` into ``folder``."""
        return write_json(Path(folder) / "report.json", self)
