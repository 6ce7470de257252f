"""``tinyml check``: model CI gates. Exit 0 when every gate passes, 1 when one fails, 2 when the model could not be
checked (a usage error: a missing file, an unknown board or application, unreadable data)."""

import json
import sys
from pathlib import Path

import typer

from tinymlkit import APPS
from tinymlkit.cli.ui import console, error_line

GATE_FAILED, NOT_CHECKED = 1, 2


def check(
    model: Path = typer.Argument(..., help="The int8 .tflite model, or a run folder (its deploy/model.tflite)."),
    board: str = typer.Option(
        "nano33ble", "--board", "-b", help="Board for the fit, flash and latency (see `tinyml device boards`)."
    ),
    max_flash: int = typer.Option(None, "--max-flash", help="Most bytes the model may take in flash."),
    max_arena: int = typer.Option(
        None,
        "--max-arena",
        help="Most bytes of tensor arena (measured in TFLM on the "
        "64-bit host, slightly more than a 32-bit board needs).",
    ),
    max_latency_ms: float = typer.Option(
        None, "--max-latency-ms", help="Longest estimated inference on the board, in milliseconds."
    ),
    min_accuracy: float = typer.Option(
        None, "--min-accuracy", help="Lowest int8 accuracy in TFLM on --data, as a fraction (0.85); needs --app."
    ),
    min_metric: list[str] = typer.Option(
        None,
        "--min-metric",
        help="NAME=VALUE: lowest value of a metric the application's evaluation measures (repeat the option).",
    ),
    max_metric: list[str] = typer.Option(
        None,
        "--max-metric",
        help="NAME=VALUE: highest value of such a metric, e.g. mae=0.1 for sine (repeat the option).",
    ),
    app: str = typer.Option(
        None, "--app", help=f"The model's application, for metric gates: {', '.join(APPS)}; default: the run folder's."
    ),
    data: str = typer.Option(
        None,
        "--data",
        help="Labelled data for metric gates: a folder of the application's "
        "kind (e.g. one folder of WAV clips per word for kws), or 'builtin'.",
    ),
    labels: str = typer.Option(
        None, "--labels", help="Comma-separated labels of the model's outputs; default: labels.txt beside the model."
    ),
    split: str = typer.Option(
        "auto",
        "--split",
        help="Which examples of --data count: all, test, or auto (all of "
        "a folder, the test split of the built-in data).",
    ),
    json_out: bool = typer.Option(False, "--json", help="Print the result as JSON (for CI) instead of lines."),
) -> None:
    """CI gates for a model: flash, arena and latency on a board, and accuracy in TFLM on labelled data.

    Prints one line per gate: PASS or FAIL, measured vs limit, and why.

    Exit status: 0 every gate passed; 1 a gate failed; 2 the model could not be checked (usage error).
    """
    from tinymlkit.errors import TinyMLError

    try:
        result = _run(
            model,
            board,
            max_flash,
            max_arena,
            max_latency_ms,
            min_accuracy,
            min_metric,
            max_metric,
            app,
            data,
            labels,
            split,
            json_out,
        )
    except TinyMLError as exc:
        error_line(str(exc))
        raise typer.Exit(NOT_CHECKED) from None
    if json_out:
        sys.stdout.write(json.dumps(result.as_dict(), indent=2) + "\n")
    else:
        for gate in result.gates:
            colour = "green" if gate.passed else "bold red"
            word, _, rest = gate.line().partition(" ")
            console.print(f"[{colour}]{word}[/] {_escape(rest)}", highlight=False, soft_wrap=True)
        failed = len(result.failed)
        console.print(
            f"{len(result.gates) - failed} of {len(result.gates)} gates passed"
            + (f"; failed: {', '.join(g.name for g in result.failed)}" if failed else ""),
            highlight=False,
            markup=False,
        )
    if not result.passed:
        raise typer.Exit(GATE_FAILED)


def _run(
    model,
    board,
    max_flash,
    max_arena,
    max_latency_ms,
    min_accuracy,
    min_metric,
    max_metric,
    app,
    data,
    labels,
    split,
    json_out,
):
    from contextlib import nullcontext

    from tinymlkit.cli.app_commands import model_labels, recipe_of
    from tinymlkit.cli.ui import progress_bars, quiet_tensorflow
    from tinymlkit.errors import TinyMLError
    from tinymlkit.gates import check_model

    if model.is_dir() and (model / "deploy" / "model.tflite").is_file():
        model = model / "deploy" / "model.tflite"
    if not model.is_file():
        raise TinyMLError(f"model file {model} not found; give the path to a .tflite file or a run folder")
    mins, maxes = _pairs(min_metric, "--min-metric"), _pairs(max_metric, "--max-metric")
    recipe = None
    if min_accuracy is not None or mins or maxes:
        app = app or _app_of_run(model)
        if app not in APPS:
            raise TinyMLError(
                f"--app must be one of {', '.join(APPS)} for a metric gate" + (f", not {app!r}" if app else "")
            )
        recipe = recipe_of(app)
        quiet_tensorflow()
    names = model_labels(model, labels) if recipe is not None else None
    with nullcontext(lambda event: None) if json_out else progress_bars() as progress:
        return check_model(
            model,
            board,
            max_flash=max_flash,
            max_arena=max_arena,
            max_latency_ms=max_latency_ms,
            min_accuracy=min_accuracy,
            min_metrics=mins,
            max_metrics=maxes,
            recipe=recipe,
            data=data,
            labels=names,
            split=split,
            progress=progress,
        )


def _pairs(values: list[str] | None, option: str) -> dict[str, float]:
    from tinymlkit.errors import TinyMLError

    out = {}
    for value in values or []:
        name, sep, number = value.rpartition("=")
        try:
            out[name.strip()] = float(number)
        except ValueError:
            name = ""
        if not sep or not name.strip():
            raise TinyMLError(f"{option} takes NAME=VALUE (e.g. {option} accuracy=0.9), not {value!r}")
    return out


def _app_of_run(model: Path) -> str | None:
    """The application of a run folder's model (``runs/<app>-<date>.../deploy/model.tflite``), from report.json."""
    report = model.resolve().parent.parent / "report.json"
    try:
        return json.loads(report.read_text(encoding="utf-8")).get("app")
    except (OSError, ValueError, AttributeError):
        return None


def _escape(text: str) -> str:
    from rich.markup import escape

    return escape(text)
