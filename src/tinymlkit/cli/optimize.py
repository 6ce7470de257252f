"""``tinyml optimize``: a small optimization sweep on keyword spotting, with a table and a Pareto plot."""

from pathlib import Path

import typer

from tinymlkit.cli.ui import console, progress_bars, quiet_tensorflow, table
from tinymlkit.errors import TinyMLError


def optimize(
    points: str = typer.Option(
        None,
        "--points",
        help="Comma-separated points family@width[+qat|+pruneNN]; the first is the baseline. "
        "Default: tiny_conv@1.0, tiny_conv@0.5, tiny_conv@1.0+prune75, ds_cnn@0.125, ds_cnn@0.125+qat.",
    ),
    words: str = typer.Option("yes,no", "--words", help="Comma-separated keywords (plus silence, unknown)."),
    lang: str = typer.Option("en", "--lang", help="eSpeak NG language of the built-in voices."),
    data: Path = typer.Option(None, "--data", help="Speech Commands-style folder; default: built-in voices."),
    epochs: int = typer.Option(15, "--epochs", help="Maximum training epochs per model (early stopping)."),
    finetune_epochs: int = typer.Option(4, "--finetune-epochs", help="Epochs of QAT or pruning fine-tuning."),
    board: str = typer.Option("nano33ble", "--board", help="Board whose latency model gives the latency column."),
    keep_names: bool = typer.Option(
        False,
        "--keep-names",
        help="Keep the tensor names in the models (by default they are stripped: TFLM does not read them).",
    ),
    runs: Path = typer.Option(Path("runs"), "--runs", help="Folder that receives optimize-<time>/."),
    seed: int = typer.Option(0, "--seed", help="Random seed: the same seed gives the same numbers."),
) -> None:
    """Sweep model widths, quantization-aware training and pruning on keyword spotting; every point is an int8
    model measured in TFLM. Writes sweep.json, sweep.csv, pareto.png and the models."""
    quiet_tensorflow()
    from dataclasses import replace

    from tinymlkit.apps.kws.recipe import KwsConfig, recipe
    from tinymlkit.optimize.sweep import SweepConfig, run_sweep

    defaults = SweepConfig()
    if epochs < 1 or finetune_epochs < 1:
        raise TinyMLError("--epochs and --finetune-epochs must be at least 1")
    config = SweepConfig(
        points=tuple(p.strip() for p in points.split(",") if p.strip()) if points is not None else defaults.points,
        app=KwsConfig(
            words=[w.strip() for w in words.split(",") if w.strip()], lang=lang, data=str(data) if data else None
        ),
        train=replace(defaults.train, epochs=epochs, seed=seed),
        finetune=replace(defaults.finetune, epochs=finetune_epochs, seed=seed),
        board=board,
        strip_names=not keep_names,
        runs=str(runs),
        seed=seed,
    )
    with progress_bars() as progress:
        result = run_sweep(recipe, config, progress)
    show_sweep(result)


def show_sweep(result) -> None:
    """The sweep's points as a Rich table, the criterion and where the files are."""
    console.print(f"[bold]Data[/]: {result.data.source}")
    rows = []
    for p in result.points:
        mark = "[green]meets[/]" if p.meets_criterion else "baseline" if p.name == result.baseline else ""
        rows.append(
            [
                p.name,
                p.parameters,
                f"{100 * p.float_accuracy:.1f}",
                f"{100 * p.int8_accuracy:.1f}",
                p.flash_bytes,
                p.compressed_bytes,
                f"{100 * p.weight_sparsity:.0f}",
                p.arena_bytes,
                p.macs,
                "-" if p.latency_ms is None else f"{p.latency_ms:.1f}",
                "yes" if p.pareto else "",
                mark,
            ]
        )
    console.print(
        table(
            f"optimization sweep (int8 accuracy in TFLM; latency: {result.board} latency model)",
            [
                "point",
                "params",
                "float %",
                "int8 %",
                "flash B",
                "zlib B",
                "zeros %",
                "arena B",
                "MACs",
                "ms",
                "Pareto",
                "",
            ],
            rows,
        )
    )
    console.print(
        f"[bold]Criterion[/]: {result.criterion}: "
        + (", ".join(f"[green]{p.name}[/]" for p in result.winners) or "[yellow]no point meets it[/]")
    )
    for note in result.notes:
        console.print(f"  {note}", style="dim")
    console.print(f"[bold]Written[/]: {result.out_dir}/ (pareto.png, sweep.csv, sweep.json, models/)")
