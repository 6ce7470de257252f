"""The ``Dataset`` value every loader returns and every later step consumes."""

from dataclasses import dataclass, field

import numpy as np

from tinymlkit.data.split import SPLITS
from tinymlkit.errors import TinyMLError


@dataclass
class Dataset:
    """Labelled examples held in memory, with the split and group (speaker/voice/subject) of each.

    ``x`` holds the raw examples (audio clips, IMU recordings, images) as one array, ``y`` the label index of
    each into ``labels``. ``meta`` holds extra per-example columns (file path, voice, language, device...)
    for per-group evaluation. ``notes`` counts what loading repaired or skipped, for the report.
    ``extras`` carries material that is not an example, such as background-noise recordings.
    """

    x: np.ndarray
    y: np.ndarray
    labels: list[str]
    split: np.ndarray
    group: np.ndarray
    meta: dict[str, np.ndarray] = field(default_factory=dict)
    notes: dict[str, int] = field(default_factory=dict)
    extras: dict[str, object] = field(default_factory=dict)

    def __len__(self) -> int:
        return len(self.y)

    def take(self, mask: np.ndarray) -> "Dataset":
        """The examples selected by a boolean mask or an index array (notes and extras are kept)."""
        return Dataset(
            x=self.x[mask],
            y=self.y[mask],
            labels=self.labels,
            split=self.split[mask],
            group=self.group[mask],
            meta={k: v[mask] for k, v in self.meta.items()},
            notes=self.notes,
            extras=self.extras,
        )

    def part(self, split: str) -> "Dataset":
        """The examples of one split: ``"train"``, ``"validation"`` or ``"test"``."""
        return self.take(self.split == split)

    def counts(self) -> dict[str, dict[str, int]]:
        """Number of examples per split and label: ``{"train": {"yes": 812, ...}, ...}``."""
        return {
            s: {label: int(np.sum((self.split == s) & (self.y == i))) for i, label in enumerate(self.labels)}
            for s in SPLITS
        }

    def check_splits(
        self,
        source: str,
        every_class_in: tuple[str, ...] = ("train",),
        noun: str = "examples",
        fix: str = "add more examples",
    ) -> None:
        """Every label must have examples in the splits ``every_class_in``, and every split some examples;
        otherwise a :class:`TinyMLError` says which is missing and ``fix``."""
        counts = self.counts()
        for split in SPLITS:
            if split in every_class_in:
                for label in self.labels:
                    if counts[split][label] == 0:
                        raise TinyMLError(f"the {split} split of {source} has no '{label}' {noun}; {fix}")
            elif sum(counts[split].values()) == 0:
                raise TinyMLError(f"no {split} {noun} in {source}; {fix}")
