"""Challenges are TOML files: the task, its labels, the model's input contract, the board, the deadline and the
scoring rule. The built-in ones ship in ``compete/challenges/``; ``$TINYML_CHALLENGES`` names a folder of more
(a site's own), which may also replace a built-in one of the same name.
"""

from __future__ import annotations

import math
import os
import re
import tomllib
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from tinymlkit.errors import TinyMLError

BUILTIN = Path(__file__).parent / "challenges"
ENV_FOLDER = "TINYML_CHALLENGES"
_NAME = re.compile(r"^[a-z0-9][a-z0-9-]{1,48}$")


@dataclass(frozen=True)
class InputContract:
    """What a model must take: an int8 tensor of one of ``shapes`` (batch dimension first) holding ``features``."""

    dtype: str
    shapes: tuple[tuple[int, ...], ...]
    features: str
    value_range: tuple[float, float]  # the float values of the features; the model's own quantization maps them

    @property
    def elements(self) -> int:
        return math.prod(self.shapes[0])


@dataclass(frozen=True)
class Scoring:
    """Accuracy on the hidden set first (in steps of ``resolution``) among the models that fit the board; then
    the smaller (flash + arena), then the faster (estimated latency on the board)."""

    metric: str = "accuracy"
    resolution: float = 0.005
    rule: str = ""


@dataclass(frozen=True)
class Challenge:
    name: str
    title: str
    app: str  # the toolkit application whose synthesizer and feature code make the hidden set
    summary: str
    task: str
    labels: tuple[str, ...]
    board: str
    deadline: datetime
    daily_limit: int
    seed: int
    input: InputContract
    data: dict  # the application's config settings for the hidden set
    examples: int  # per part (public, private), balanced over the labels
    scoring: Scoring = field(default_factory=Scoring)
    max_model_bytes: int = 2 * 1024 * 1024
    source: str = ""

    def open(self, now: datetime | None = None) -> bool:
        """Whether submissions are still taken (before the deadline)."""
        return (now or datetime.now(UTC)) < self.deadline

    @property
    def board_info(self):
        from tinymlkit.profile import get_board

        return get_board(self.board)


def load_challenge(path: str | Path) -> Challenge:
    """Read one challenge file; :class:`TinyMLError` naming the file and the field when it is not valid."""
    path = Path(path)
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise TinyMLError(f"challenge file {path} cannot be read ({exc}); fix the TOML") from None
    try:
        return _parse(raw, path)
    except (KeyError, TypeError, ValueError) as exc:
        raise TinyMLError(
            f"challenge file {path} is not valid ({type(exc).__name__}: {exc}); see docs/competition.md"
        ) from None


def _parse(raw: dict, path: Path) -> Challenge:
    from tinymlkit.apps import APPS
    from tinymlkit.profile import get_board

    name = str(raw["name"])
    if not _NAME.match(name):
        raise ValueError(f"name {name!r} must be 2-49 lower-case letters, digits and dashes")
    if raw["app"] not in APPS:
        raise ValueError(f"app {raw['app']!r} is not one of {', '.join(APPS)}")
    deadline = raw["deadline"]
    if not isinstance(deadline, datetime):
        raise ValueError("deadline must be a TOML date-time, e.g. 2027-03-31T23:59:00Z")
    if deadline.tzinfo is None:
        deadline = deadline.replace(tzinfo=UTC)
    get_board(raw["board"])  # an unknown board fails here, listing the valid ones
    contract = raw["input"]
    shapes = tuple(tuple(int(d) for d in s) for s in contract["shapes"])
    if not shapes or len({math.prod(s) for s in shapes}) != 1 or any(s[0] != 1 for s in shapes):
        raise ValueError("input.shapes must list shapes with batch 1 and the same number of elements")
    if contract.get("dtype", "int8") != "int8":
        raise ValueError("input.dtype must be int8 (TFLM's optimized kernels)")
    labels = tuple(str(x) for x in raw["labels"])
    if len(labels) < 2 or len(set(labels)) != len(labels):
        raise ValueError("labels must name at least two distinct classes")
    scoring = raw.get("scoring", {})
    if scoring.get("metric", "accuracy") != "accuracy":
        raise ValueError("scoring.metric: only accuracy is supported")
    data = raw["data"]
    return Challenge(
        name=name,
        title=str(raw["title"]),
        app=str(raw["app"]),
        summary=str(raw["summary"]).strip(),
        task=str(raw["task"]).strip(),
        labels=labels,
        board=str(raw["board"]),
        deadline=deadline.astimezone(UTC),
        daily_limit=int(raw.get("daily_limit", 5)),
        seed=int(raw["seed"]),
        input=InputContract(
            "int8", shapes, str(contract["features"]).strip(), tuple(float(v) for v in contract["range"])
        ),
        data=dict(data.get("settings", {})),
        examples=int(data["examples"]),
        scoring=Scoring("accuracy", float(scoring.get("resolution", 0.005)), str(scoring.get("rule", "")).strip()),
        max_model_bytes=int(raw.get("max_model_kb", 2048)) * 1024,
        source=str(path),
    )


def challenge_files() -> list[Path]:
    """The challenge files: the built-in ones, then those of ``$TINYML_CHALLENGES`` (which win on a name clash)."""
    files = sorted(BUILTIN.glob("*.toml"))
    extra = os.environ.get(ENV_FOLDER)
    if extra:
        folder = Path(extra)
        if not folder.is_dir():
            raise TinyMLError(f"{ENV_FOLDER}={extra} is not a folder; point it at a folder of challenge .toml files")
        files += sorted(folder.glob("*.toml"))
    return files


def load_challenges() -> dict[str, Challenge]:
    """Every challenge by name, ordered by deadline (the soonest first)."""
    found: dict[str, Challenge] = {}
    for path in challenge_files():
        c = load_challenge(path)
        found[c.name] = c
    return dict(sorted(found.items(), key=lambda kv: (kv[1].deadline, kv[0])))


def get_challenge(name: str) -> Challenge:
    """The challenge called ``name``; :class:`TinyMLError` listing the valid names."""
    challenges = load_challenges()
    if name not in challenges:
        raise TinyMLError(f"no challenge {name!r}; choose one of: {', '.join(challenges)} (see `tinyml compete list`)")
    return challenges[name]
