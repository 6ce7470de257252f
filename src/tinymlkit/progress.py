"""Progress reporting without printing: library code calls a callback, the CLI draws Rich progress bars."""

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import TypeVar

T = TypeVar("T")


@dataclass(frozen=True)
class ProgressEvent:
    """``completed`` of ``total`` units of ``task`` are done; ``info`` is a short status (e.g. a loss)."""

    task: str
    completed: float
    total: float | None = None
    info: str = ""


ProgressCallback = Callable[[ProgressEvent], None]


def silent(event: ProgressEvent) -> None:
    """The default callback: report nothing."""


def track(items: Iterable[T], task: str, progress: ProgressCallback, total: int | None = None) -> Iterator[T]:
    """Yield ``items`` while reporting how many have been handled."""
    if total is None and hasattr(items, "__len__"):
        total = len(items)  # type: ignore[arg-type]
    progress(ProgressEvent(task, 0, total))
    done = 0
    for item in items:
        yield item
        done += 1
        progress(ProgressEvent(task, done, total))
