"""``tinyml compete``: the challenges, and scoring a model locally on a challenge's public hidden set."""

from pathlib import Path

import typer

from tinymlkit.cli.ui import console, progress_bars, table
from tinymlkit.errors import TinyMLError

app = typer.Typer(
    help="Competitions: challenges with hidden test sets, scored in TFLM on a board.", no_args_is_help=True
)


def data_folder() -> Path:
    """Where the CLI keeps the public parts it makes: the toolkit's cache."""
    from tinymlkit.cache import cache_dir

    return cache_dir() / "competition"


@app.command("list")
def list_challenges() -> None:
    """The challenges: task, board, input, labels and deadline."""
    from tinymlkit import compete

    challenges = list(compete.load_challenges().values())
    rows = []
    for c in challenges:
        state = "open" if c.open() else "closed"
        shape = " or ".join("x".join(str(d) for d in s[1:]) for s in c.input.shapes)
        rows.append([c.name, c.board, f"int8 {shape}", len(c.labels), f"{c.deadline:%Y-%m-%d} ({state})"])
    console.print(
        table(
            "challenges (tinyml compete submit NAME MODEL)",
            ["name", "board", "input", "classes", "deadline (UTC)"],
            rows,
        )
    )
    for c in challenges:
        console.print(f"{c.name}: {c.summary} Labels: {', '.join(c.labels)}.", markup=False, highlight=False)


@app.command()
def submit(
    challenge: str = typer.Argument(..., help="The challenge (see `tinyml compete list`)."),
    model: Path = typer.Argument(..., help="Your int8 .tflite model, or a run folder (its deploy/model.tflite)."),
    labels: str = typer.Option(
        None,
        "--labels",
        help="Your model's output labels in its order, comma-separated (default: the challenge's order).",
    ),
    server: str = typer.Option(
        None,
        "--server",
        envvar="TINYML_PLATFORM_URL",
        help="Send the model to this course platform instead (its worker scores it on the public and private sets).",
    ),
    token: str = typer.Option(
        None, "--token", envvar="TINYML_TOKEN", help="Your personal API token (site: API token), with --server."
    ),
    wait: float = typer.Option(600, help="With --server: seconds to wait for the score; 0: send and return."),
) -> None:
    """Score MODEL on the challenge's public hidden set, as the platform does: accuracy, flash, arena, latency, fit.

    The public set is made by the toolkit's synthesizer the first time (seconds to a minute) and kept in the cache.
    With --server the model goes to the platform and counts for its leaderboard.
    """
    from tinymlkit import compete

    the_challenge = compete.get_challenge(challenge)
    if model.is_dir() and (model / "deploy" / "model.tflite").is_file():
        model = model / "deploy" / "model.tflite"
    if not model.is_file():
        raise TinyMLError(f"model file {model} not found; give the path to a .tflite file or a run folder")
    order = [x for x in labels.split(",") if x.strip()] if labels else None
    data = model.read_bytes()
    compete.check_upload(data, the_challenge, order)  # a broken model fails before the data is made
    if server:
        send(server, token, the_challenge, data, model.name, order, wait)
        return
    with progress_bars() as progress:
        part = compete.load_part(the_challenge, "public", data_folder(), progress=progress)
    with console.status("Scoring in TFLM"):
        score = compete.score_model(data, the_challenge, {"public": part}, labels=order)
    show_score(the_challenge, score)


def show_score(challenge, score) -> None:
    rows = [
        ["accuracy (public set)", f"{score.accuracy['public']:.1%} of {score.examples['public']}"],
        ["fits the board", f"{score.verdict} ({challenge.board})"],
        ["flash (model)", score.flash_bytes],
        ["arena (32-bit estimate)", score.arena_bytes_32bit],
        ["arena (host TFLM, 64-bit)", score.arena_bytes],
        ["latency (estimate)", f"{score.latency_ms:.1f} ms"],
        ["MACs", score.macs],
        ["input quantization", f"scale {score.input_scale:.6g}, zero point {score.input_zero_point}"],
        ["scored in", f"{score.duration_s:.1f} s"],
    ]
    console.print(table(f"{challenge.title}: {score.challenge}", ["", "value"], rows))
    for warning in score.warnings:
        console.print(f"warning: {warning}", style="yellow", markup=False, highlight=False)
    if not score.fits:
        console.print("The model does not fit the board: it ranks below every model that does.", style="yellow")


def send(url: str, token: str | None, challenge, data: bytes, name: str, labels: list[str] | None, wait: float) -> None:
    from tinymlkit.compete import Score
    from tinymlkit.platform.client import Platform

    if not token:
        raise TinyMLError("--server needs --token (or TINYML_TOKEN): make one on the site's 'API token' page")
    platform = Platform(url, token)
    entry = platform.submit_model(challenge.name, data, name, labels)
    console.print(f"Sent as entry {entry['id']}: {entry['url']}", markup=False, highlight=False)
    if wait <= 0:
        return
    with console.status("Scoring on the platform"):
        entry = platform.wait(entry["id"], wait, status=platform.entry)
    if entry["status"] == "scored":
        show_score(challenge, Score.from_dict(entry["score"]))
    elif entry["status"] == "rejected":
        raise TinyMLError(f"the platform rejected the model: {entry['reason']}")
    elif entry["status"] == "error":
        raise TinyMLError(f"the platform's scorer failed: {entry['reason']} (retry from {entry['url']})")
    else:
        console.print(
            f"Still {entry['status']} after {wait:g} s; follow it at {entry['url']}", markup=False, highlight=False
        )
