"""The commands every application group has, made from its recipe's config: ``data`` (write the built-in data
set), ``train`` and ``evaluate``; and finding the model file a command runs (``--model``, or the newest run's)."""

import inspect
from collections.abc import Callable
from importlib import import_module
from pathlib import Path

import typer
from rich.markup import escape

from tinymlkit.cli.config_options import config_command
from tinymlkit.errors import TinyMLError

MODEL_OPTION = inspect.Parameter(
    "model",
    inspect.Parameter.KEYWORD_ONLY,
    annotation=Path | None,
    default=typer.Option(None, "--model", help="int8 .tflite model; default: the newest run's."),
)
FORCE_OPTION = typer.Option(
    False,
    "--force",
    help="Write into a folder that holds other files too; they are kept, "
    "never replaced or deleted (see docs/safety.md).",
)
LABELS_OPTION = inspect.Parameter(
    "labels",
    inspect.Parameter.KEYWORD_ONLY,
    annotation=str | None,
    default=typer.Option(None, "--labels", help="Comma-separated labels; default: labels.txt by the model."),
)


def model_path(model: Path | None, app: str, runs: Path = Path("runs")) -> Path:
    """``model`` if given (it must exist), else ``<runs>/<app>-*/deploy/model.tflite`` of the newest run."""
    if model is None:
        found = sorted(runs.glob(f"{app}-*/deploy/model.tflite"), key=lambda p: p.stat().st_mtime)
        if not found:
            raise TinyMLError(f"no trained {app} model in {runs}/; run 'tinyml {app} train' or pass --model")
        return found[-1]
    if not model.is_file():
        raise TinyMLError(f"model file {model} not found; give --model PATH.tflite")
    return model


def model_labels(path: Path, labels: str | None) -> list[str] | None:
    """The labels of a model: ``--labels``, else labels.txt beside the model file, else None."""
    from tinymlkit.cli.config_options import comma_list

    if labels:
        return comma_list(labels)
    listed = path.parent / "labels.txt"
    if not listed.is_file():
        return None
    from tinymlkit.fileio import read_user_text

    return read_user_text(listed).split()


def recipe_of(app: str):
    """The recipe object of a built-in application (imported when a command runs)."""
    return import_module(f"tinymlkit.apps.{app}.recipe").recipe


def add_app_commands(
    group: typer.Typer,
    app: str,
    config_type: type,
    data_help: str,
    after_train=None,
    data_defaults: dict | None = None,
    old_data_name: str | None = None,
    old_flags: dict[str, str] | None = None,
) -> None:
    """Register ``data``, ``train`` and ``evaluate`` on ``group``, their options made from ``config_type``.
    ``after_train(report)`` prints what the application adds to the report table; ``old_data_name`` is a former
    name of ``data`` and ``old_flags`` maps former option names to new ones (``{"--lr": "--learning-rate"}``):
    they keep working for one release, with a notice."""
    out = inspect.Parameter(
        "out", inspect.Parameter.POSITIONAL_OR_KEYWORD, annotation=Path, default=typer.Argument(..., help=data_help)
    )
    force = inspect.Parameter("force", inspect.Parameter.KEYWORD_ONLY, annotation=bool, default=FORCE_OPTION)
    doc = f"Write the built-in {app} data set (synthesized, offline) to a folder or file."
    group.command("data")(
        config_command(
            config_type,
            lambda config, out, force: write_data(app, config, out, force),
            before=(out, force),
            builtin_only=True,
            defaults=data_defaults,
            doc=doc,
            old_flags=old_flags,
        )
    )
    if old_data_name:

        def old(config, out: Path, force: bool) -> None:
            renamed(f"tinyml {app} {old_data_name}", f"tinyml {app} data")
            write_data(app, config, out, force)

        group.command(old_data_name, hidden=True)(
            config_command(
                config_type,
                old,
                before=(out, force),
                builtin_only=True,
                defaults=data_defaults,
                doc=doc,
                old_flags=old_flags,
            )
        )
    group.command("train")(
        config_command(
            config_type,
            lambda config: train(app, config, after_train),
            doc="Train, convert to int8, verify in TFLM and write the run folder (report, cards, deployment, sketch).",
            old_flags=old_flags,
        )
    )
    group.command("evaluate")(
        config_command(
            config_type,
            lambda config, model, labels: evaluate(app, config, model, labels),
            sources=True,
            before=(MODEL_OPTION, LABELS_OPTION),
            builtin_only=True,
            doc="Measure an int8 model in TFLM on a data set's test split (the built-in one, or --data).",
            old_flags=old_flags,
        )
    )


def renamed(old: str, new: str) -> None:
    """The one-line notice of a command that has a new name."""
    from tinymlkit.cli.ui import errors

    errors.print(
        f"[yellow]note:[/] '{old}' is now '{new}'; the old name goes in the next release",
        highlight=False,
        soft_wrap=True,
    )


def train(app: str, config, after_train: Callable | None = None) -> None:
    """Run the recipe with Rich progress bars, then print its report."""
    from tinymlkit.cli.report_view import show_report
    from tinymlkit.cli.ui import progress_bars, quiet_tensorflow
    from tinymlkit.pipeline import run

    quiet_tensorflow()
    with progress_bars() as progress:
        report = run(recipe_of(app), config, progress)
    show_report(report)
    if after_train is not None:
        after_train(report)


def write_data(app: str, config, out: Path, force: bool = False) -> None:
    from tinymlkit.cli.ui import console, progress_bars

    with progress_bars() as progress:
        summary = recipe_of(app).synthesize(out, config, progress, force)
    console.print(f"[bold green]Written[/]: {escape(summary)}", highlight=False)


def evaluate(app: str, config, model: Path | None, labels: str | None) -> None:
    """Print the int8 model's figures on the test split, and its confusion matrix."""
    from tinymlkit.cli.ui import console, progress_bars, quiet_tensorflow, table

    path = model_path(model, app)
    quiet_tensorflow()
    recipe, names = recipe_of(app), model_labels(path, labels)
    config = recipe.for_model(config, names)
    with progress_bars() as progress:
        data, source = recipe.load_data(config, progress)
        result = recipe.evaluate(path, data, config, names, progress)
    console.print(f"[bold]Model[/]: {path}\n[bold]Data[/]: {source} ({result.examples} test examples)", highlight=False)
    console.print(
        table("int8 model in TFLM, test split", ["metric", "value"], [[k, v] for k, v in result.metrics.items()])
    )
    if result.confusion:
        rows = [[label] + list(r) for label, r in zip(result.labels, result.confusion, strict=True)]
        console.print(table("int8 confusion matrix (rows true, columns predicted)", ["", *result.labels], rows))
