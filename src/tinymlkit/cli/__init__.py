"""The ``tinyml`` command: thin Typer commands that call the library and print with Rich.

Each group of commands lives in its own module here and is registered below. Modules import the heavy
library parts (TensorFlow) inside the command functions, so ``tinyml --help`` stays fast.
"""

import sys

import typer

from tinymlkit import __version__
from tinymlkit.apps.anomaly import cli as anomaly
from tinymlkit.apps.kws import cli as kws
from tinymlkit.apps.person import cli as person
from tinymlkit.apps.sine import cli as sine
from tinymlkit.apps.wand import cli as wand
from tinymlkit.cli import check, compete, course, data, deploy, optimize, platform, profile, quickstart, record
from tinymlkit.cli.app_commands import renamed
from tinymlkit.errors import TinyMLError

app = typer.Typer(
    name="tinyml",
    help="TinyML Kit: build TinyML applications offline, from data to a TFLM-verified int8 model and sketch.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
app.command("quickstart")(quickstart.quickstart)
app.add_typer(kws.app, name="kws")
app.add_typer(sine.app, name="sine")
app.add_typer(wand.app, name="wand")
app.add_typer(anomaly.app, name="anomaly")
app.add_typer(person.app, name="person")
app.add_typer(record.app, name="record")
record.board_app.command("boards")(profile.boards)
app.add_typer(record.board_app, name="device")
app.command("profile")(profile.profile)
app.command("check")(check.check)
app.add_typer(deploy.app, name="deploy")
app.add_typer(data.app, name="data")
app.command("optimize")(optimize.optimize)
app.add_typer(course.app, name="course")
course.app.command("submit")(platform.submit)  # a learner's work goes to the course platform
app.add_typer(platform.app, name="platform")
app.add_typer(compete.app, name="compete")


# Former names, kept for one release with a notice.
app.add_typer(record.board_app, name="board", hidden=True, callback=lambda: renamed("tinyml board", "tinyml device"))


@app.command("boards", hidden=True)
def _boards() -> None:
    renamed("tinyml boards", "tinyml device boards")
    profile.boards()


@app.callback(invoke_without_command=True)
def _root(version: bool = typer.Option(False, "--version", help="Print the version and exit.")) -> None:
    if version:
        typer.echo(f"tinyml {__version__}")
        raise typer.Exit()


def main() -> None:
    """Entry point: run the app; whatever goes wrong becomes one line on stderr and a non-zero exit status.

    A :class:`TinyMLError` (a problem the user can fix) exits 1; an operating-system or text-decoding error
    names the path and exits 1; Ctrl-C or SIGTERM prints "stopped; nothing written" and exits 130 (every
    writer builds under a temporary name, so an interruption leaves no partial output); anything else is a bug
    and exits 2 with one line (``TINYML_DEBUG=1`` shows the traceback).
    """
    import os
    import signal
    import threading

    from tinymlkit.cli.ui import error_line, errors

    def stop(_signum, _frame):  # noqa: ANN001, ANN202
        raise KeyboardInterrupt

    previous = None
    if threading.current_thread() is threading.main_thread():  # signals can only be caught there
        previous = signal.signal(signal.SIGTERM, stop)
    try:
        app()
    except TinyMLError as exc:
        error_line(str(exc))
        sys.exit(1)
    except KeyboardInterrupt:
        errors.print("stopped; nothing written", style="yellow", markup=False, highlight=False)
        sys.exit(130)
    except SystemExit as exc:  # Typer turns Ctrl-C into a silent exit status 130
        if exc.code == 130:
            errors.print("stopped; nothing written", style="yellow", markup=False, highlight=False)
        raise
    except BrokenPipeError:  # output piped into a program that stopped reading (e.g. head)
        sys.stderr.close()
        sys.exit(1)
    except Exception as exc:  # noqa: BLE001 - the one place that turns every failure into one line
        if os.environ.get("TINYML_DEBUG"):
            raise
        error_line(describe(exc))
        sys.exit(1 if isinstance(exc, OSError | UnicodeError | MemoryError | RecursionError) else 2)
    finally:
        if previous is not None:
            signal.signal(signal.SIGTERM, previous)  # as it was (main() may run inside a test process)


def describe(exc: BaseException) -> str:
    """One line for an unexpected exception: the path and the reason for OS errors, the bytes for decoding."""
    if isinstance(exc, OSError):
        what = exc.strerror or str(exc) or type(exc).__name__
        paths = " -> ".join(repr(str(p))[1:-1] for p in (exc.filename, exc.filename2) if p is not None)
        return f"{paths}: {what}; check the path and its permissions" if paths else f"{what} (operating system)"
    if isinstance(exc, UnicodeError):
        return (
            f"text that is not valid UTF-8 ({exc}); rename the file or save the list as UTF-8"
            if isinstance(exc, UnicodeDecodeError)
            else f"a name that cannot be encoded ({exc}); rename it"
        )
    if isinstance(exc, MemoryError):
        return "out of memory; use smaller sizes (fewer samples, a narrower model)"
    if isinstance(exc, RecursionError):
        return "nesting too deep (a symbolic-link loop?); check the folder"
    return (
        f"unexpected {type(exc).__name__}: {exc}; this is a bug in tinyml, please report it "
        "(TINYML_DEBUG=1 shows the traceback)"
    )
