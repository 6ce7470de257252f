"""``tinyml profile`` and ``tinyml device boards``: know before you flash."""

from pathlib import Path

import typer
from rich.table import Table

from tinymlkit.cli.ui import console, progress_bars, table


def profile(
    model: Path = typer.Argument(..., help="The .tflite model to profile, or a run folder (its deploy/model.tflite)."),
    board: str = typer.Option(
        None, "--board", "-b", help="Board to check the fit and estimate latency on (see `tinyml device boards`)."
    ),
    kernels: str = typer.Option(
        None,
        "--kernels",
        help="Kernels for the latency estimate: optimized (CMSIS-NN / "
        "ESP-NN) or reference; default: the board's usual set.",
    ),
    json_out: Path = typer.Option(None, "--json", help="Also write the profile as JSON to this file."),
    html_out: Path = typer.Option(None, "--html", help="Also write the profile as a self-contained HTML page."),
    measure: bool = typer.Option(
        True,
        "--measure/--no-measure",
        help="Measure the exact tensor arena in TFLM (a few seconds, in worker processes).",
    ),
) -> None:
    """Per-layer work and memory, the TFLM arena, problems and their fixes, and the fit and latency on a board."""
    from tinymlkit.errors import TinyMLError
    from tinymlkit.fileio import check_output_file
    from tinymlkit.profile import profile_model
    from tinymlkit.profile.render import write_profile_html, write_profile_json

    if model.is_dir() and (model / "deploy" / "model.tflite").is_file():
        model = model / "deploy" / "model.tflite"
    if not model.is_file():
        raise TinyMLError(f"model file {model} not found; give the path to a .tflite file or a run folder")
    for out in (json_out, html_out):  # before the slow part: a bad output path fails at once
        if out is not None:
            check_output_file(out)
    with progress_bars() as progress:
        p = profile_model(
            model.read_bytes(), board, measure=measure, kernels=kernels, name=str(model), progress=progress
        )
    show_profile(p)
    if json_out:
        console.print(f"JSON: {write_profile_json(p, json_out)}", highlight=False, markup=False)
    if html_out:
        console.print(f"HTML: {write_profile_html(p, html_out)}", highlight=False, markup=False)
    if not p.runnable:
        raise TinyMLError("TFLM cannot run this model (see the problems above); fix them and profile it again")


def boards() -> None:
    """The boards catalogue: core, clock, flash and RAM of each board `tinyml profile --board` knows."""
    from tinymlkit.profile import load_boards

    rows = [
        [b.id, b.name, b.mcu, b.core, f"{b.clock_mhz:g} MHz", _kb(b.flash_bytes), _kb(b.ram_bytes), b.kernels]
        for b in load_boards().values()
    ]
    t = Table(title="boards (tinyml profile --board ID)", title_justify="left")
    for col in ["id", "board", "MCU", "core", "clock", "flash", "RAM", "kernels"]:
        t.add_column(col, justify="right" if col in ("clock", "flash", "RAM") else "left")
    for row in rows:
        t.add_row(*row)
    console.print(t)
    console.print("  Sources of every figure: src/tinymlkit/profile/boards.json", style="dim")


def show_profile(p) -> None:
    """Print a profile as Rich tables: layers, totals, problems, board fit and latency."""
    layers = Table(title=f"layers of {p.name}", title_justify="left")
    columns = ["#", "operator", "input", "output", "params", "MACs", "act. bytes", "live bytes"]
    if p.board:
        columns.append("ms")
    columns.append("notes")
    for col in columns:
        layers.add_column(col, justify="left" if col in ("operator", "input", "output", "notes") else "right")
    for layer in p.layers:
        variable_inputs = [str(t) for t in layer.inputs][:1]
        row = [
            str(layer.index),
            layer.op,
            ", ".join(variable_inputs),
            ", ".join(str(t) for t in layer.outputs),
            f"{layer.parameters:,}",
            f"{layer.macs:,}",
            f"{layer.activation_bytes:,}",
            f"{layer.live_bytes:,}" + (" *" if layer.index == p.peak_layer else ""),
        ]
        if p.board:
            row.append(f"{layer.latency_ms:.3f}")
        row.append("; ".join(layer.notes))
        layers.add_row(*row)
    console.print(layers)

    peak_op = p.layers[p.peak_layer].op if p.layers else "-"
    rows = [
        ["parameters", f"{p.parameters:,}"],
        ["MACs", f"{p.macs:,}"],
        ["model bytes (flash)", f"{p.flash_bytes:,}"],
        ["tensor arena (TFLM, host)", f"{p.arena_bytes:,}" if p.arena_bytes is not None else "-"],
        ["tensor arena (32-bit MCU, est.)", f"{p.arena_bytes_32bit:,}" if p.arena_bytes_32bit is not None else "-"],
        ["peak live activations", f"{p.peak_activation_bytes:,} (layer {p.peak_layer} {peak_op})"],
        ["operators", ", ".join(p.ops)],
    ]
    for kind, tensors in (("input", p.inputs), ("output", p.outputs)):
        for t in tensors:
            quant = f", scale {t.scale:.6g}, zero point {t.zero_point}" if t.scale is not None else ""
            rows.append([kind, f"{t.shape}{quant}"])
    console.print(table("totals", ["", "value"], rows))
    console.print(f"  arena: {p.arena_note}", style="dim", highlight=False)

    if p.issues:
        for issue in p.issues:
            style = "bold red" if issue.severity == "error" else "yellow"
            console.print(f"[{style}]{issue.severity}[/]: {issue.message}. [bold]Fix:[/] {issue.fix}.", highlight=False)
    else:
        console.print("[green]No problems found: TFLM runs every operator with int8 kernels.[/]")

    if p.board and p.fit:
        f = p.fit
        console.print(
            table(
                f"on {p.board.name} ({p.board.core}, {p.board.clock_mhz:g} MHz)",
                ["", "needed", "available", "share"],
                [
                    [
                        "flash (model + sketch code)",
                        f"{f.flash_needed:,}",
                        f"{f.flash_available:,}",
                        f"{f.flash_share:.0%}",
                    ],
                    ["RAM (arena + sketch)", f"{f.ram_needed:,}", f"{f.ram_available:,}", f"{f.ram_share:.0%}"],
                ],
            )
        )
        colour = {"fits": "green", "tight": "yellow"}.get(f.verdict, "red")
        console.print(
            f"  verdict: [bold {colour}]{f.verdict}[/]; estimated latency [bold]{p.latency_ms:.2f} ms[/] per inference",
            highlight=False,
        )
        console.print(f"  RAM basis: {f.ram_basis}; latency model: {p.latency_basis}", style="dim", highlight=False)


def _kb(n: int) -> str:
    return f"{n // 1024:,} KB"
