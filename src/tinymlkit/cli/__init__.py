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
from tinymlkit.cli import course, data, optimize, platform, profile, quickstart, record
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
app.add_typer(data.app, name="data")
app.command("optimize")(optimize.optimize)
app.add_typer(course.app, name="course")
course.app.command("submit")(platform.submit)  # a learner's work goes to the course platform
app.add_typer(platform.app, name="platform")


# Former names, kept for one release with a notice.
app.add_typer(record.board_app, name="board", hidden=True,
              callback=lambda: renamed("tinyml board", "tinyml device"))


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
    """Entry point: run the app; a :class:`TinyMLError` becomes one red line and exit status 1."""
    from tinymlkit.cli.ui import errors

    try:
        app()
    except TinyMLError as exc:
        errors.print(f"[bold red]error:[/] {exc}", highlight=False, soft_wrap=True, markup=True)
        sys.exit(1)
    except KeyboardInterrupt:
        errors.print("[yellow]interrupted[/]")
        sys.exit(130)
