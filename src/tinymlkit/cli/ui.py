"""Rich rendering shared by the commands: the console, progress bars fed by library callbacks, tables."""

import contextlib
import logging
import os
from collections.abc import Iterator

from rich.console import Console
from rich.errors import MarkupError
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from tinymlkit.progress import ProgressCallback, ProgressEvent


class SafeConsole(Console):
    """A console whose markup can never crash: text that is not valid markup (a user's ``[/x]`` in a path) is
    printed as it is. Commands still :func:`escape` user text where they style a line."""

    def render_str(self, text: str, *args, **kwargs):  # noqa: ANN002, ANN003, ANN201
        text = printable(text, keep="\n\t")
        try:
            return super().render_str(text, *args, **kwargs)
        except MarkupError:
            return super().render_str(escape(text), *args, **kwargs)


console = SafeConsole()
errors = SafeConsole(stderr=True)  # one-line error messages, never wrapped


def error_line(message: str) -> None:
    """Print ``error: message`` in red on stderr, on one line; the message is shown exactly (no markup, no
    wrapping; control characters and undecodable bytes of file names as escapes)."""
    errors.print(f"[bold red]error:[/] {escape(printable(message))}", highlight=False, soft_wrap=True)


def printable(text: str, keep: str = "") -> str:
    """``text`` with bytes that are not UTF-8 (kept in file names as surrogates) and control characters
    (except those in ``keep``) written as escapes, so a name can neither break the output nor fake a line."""
    text = text.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
    return "".join(c if c.isprintable() or c in keep else repr(c)[1:-1] for c in text)


def quiet_tensorflow() -> None:
    """Silence TensorFlow's start-up chatter; call before the first TensorFlow import."""
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    logging.getLogger("absl").setLevel(logging.ERROR)


@contextlib.contextmanager
def progress_bars() -> Iterator[ProgressCallback]:
    """A progress callback that draws one Rich bar per task name, for the duration of the block."""
    bars = Progress(
        TextColumn("{task.description:<32}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        TextColumn("{task.fields[info]}"),
        console=console,
        transient=False,
    )
    tasks: dict[str, int] = {}

    def update(event: ProgressEvent) -> None:
        if event.task not in tasks:
            tasks[event.task] = bars.add_task(event.task, total=event.total, info=event.info)
        bars.update(tasks[event.task], completed=event.completed, total=event.total, info=event.info)

    with bars:
        yield update


def table(title: str, columns: list[str], rows: list[list[object]]) -> Table:
    """A Rich table with right-aligned numbers."""
    t = Table(title=title, title_justify="left")
    for i, col in enumerate(columns):
        t.add_column(col, justify="left" if i == 0 else "right")
    for row in rows:
        t.add_row(*(_cell(v) for v in row))
    return t


def _cell(value: object) -> str:
    if isinstance(value, float):
        return f"{value:.4g}" if abs(value) < 1 else f"{value:,.2f}"
    if isinstance(value, int):
        return f"{value:,}"
    return str(value)
