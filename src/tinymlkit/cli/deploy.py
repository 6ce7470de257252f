"""``tinyml deploy multi``: several int8 models in one Arduino sketch with one shared, measured tensor arena."""

from pathlib import Path

import typer

from tinymlkit.cli.ui import console, progress_bars, table

app = typer.Typer(help="Deployment packages made from models of any application.", no_args_is_help=True)


@app.command("multi")
def multi(
    models: list[Path] = typer.Argument(
        ..., help="Two or more int8 .tflite models, in the order the sketch runs them."
    ),
    out: Path = typer.Option(
        ..., "--out", "-o", help="Folder to write (the sketch multi_sketch/, models/, README.md, report.json)."
    ),
    name: list[str] = typer.Option(
        None, "--name", help="A C name for each model, in order (repeat the option); default: the file names."
    ),
    force: bool = typer.Option(
        False,
        "--force",
        help="Write into a folder that holds other files too; they are "
        "kept, never replaced or deleted (see docs/safety.md).",
    ),
) -> None:
    """One Arduino sketch running several int8 models in turn, with one shared tensor arena and one op resolver.

    Every model's arena is measured in TFLM. The shared arena is the largest of them.

    Every model is allocated and invoked at the shared size before anything is written.
    """
    from tinymlkit.deploy.multi import deploy_multi

    with progress_bars() as progress:
        d = deploy_multi(models, out, names=name or None, force=force, progress=progress)
    rows = [
        [
            m.name,
            m.source,
            m.model_bytes,
            ", ".join(m.ops),
            m.arena_bytes,
            m.arena_bytes_32bit,
            "yes" if m.runs_in_shared_arena else "no",
        ]
        for m in d.models
    ]
    console.print(
        table(
            "models", ["model", "file", "bytes", "operators", "own arena (host)", "32-bit est.", "runs in shared"], rows
        )
    )
    console.print(
        table(
            "tensor arena",
            ["", "host (TFLM)", "32-bit MCU (est.)"],
            [
                ["shared (largest need)", d.shared_arena_bytes, d.shared_arena_32bit],
                ["one per model (sum)", d.separate_arena_bytes, d.separate_arena_32bit],
                ["saved by sharing", d.saving_bytes, d.separate_arena_32bit - d.shared_arena_32bit],
                ["sketch kTensorArenaSize (+ margin)", d.sketch_arena_bytes, "-"],
            ],
        )
    )
    console.print(f"  arena: {d.arena_note}; sharing saves {d.saving_share:.0%}", style="dim", highlight=False)
    console.print(f"  op resolver: {', '.join(d.ops)}", highlight=False, markup=False)
    console.print(
        f"Written: {Path(d.out) / d.files['sketch']} (see {Path(d.out) / 'README.md'})", highlight=False, markup=False
    )
