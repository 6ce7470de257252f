"""``tinyml wand ...``: magic wand, gestures drawn in the air with the board's IMU, from data to the sketch."""

from pathlib import Path

import typer
from rich.markup import escape

from tinymlkit.cli.ui import console, progress_bars, quiet_tensorflow, table
from tinymlkit.errors import TinyMLError

app = typer.Typer(help="Magic wand (IMU gestures): make data, train, evaluate, predict.", no_args_is_help=True)

GESTURES = typer.Option(None, "--gestures", help="Comma-separated gestures; built-in: any of 0-9, W, O, L, Z, V, S, "
                        "M (default 0-9); with --data: a subset of its labels (default all).")
USERS = typer.Option(60, "--users", help="Built-in data: number of synthetic users.")
REPETITIONS = typer.Option(6, "--repetitions", help="Built-in data: recordings per user and gesture.")
SEED = typer.Option(0, "--seed", help="Random seed: the same seed gives the same data and model.")
DATA = typer.Option(None, "--data", help="Folder of IMU recordings (<gesture>/<subject>_nohash_<n>.csv) or a strokes "
                    ".json file; default: built-in synthetic users.")


def names(text: str | None) -> list[str] | None:
    return [n.strip() for n in text.split(",") if n.strip()] if text else None


FORCE = typer.Option(False, "--force", help="Write into a folder that holds other files too; they are kept, "
                     "never replaced or deleted (see docs/safety.md).")


@app.command()
def data(
    out: Path = typer.Argument(..., help="Folder to create: <gesture>/<user>_nohash_<n>.csv and metadata.csv."),
    gestures: str = GESTURES,
    users: int = USERS,
    repetitions: int = REPETITIONS,
    seed: int = SEED,
    force: bool = FORCE,
) -> None:
    """Synthesize IMU recordings of gestures drawn in the air by synthetic users, in the capture format."""
    from tinymlkit.apps.wand.gestures import DIGITS
    from tinymlkit.apps.wand.synth import synthesize_wand_dataset

    with progress_bars() as progress:
        summary = synthesize_wand_dataset(out, names(gestures) or DIGITS, users, repetitions, seed, progress, force)
    console.print(f"[bold green]Written[/]: {escape(summary)}")


@app.command()
def train(
    data: Path = DATA,
    gestures: str = GESTURES,
    users: int = USERS,
    repetitions: int = REPETITIONS,
    epochs: int = typer.Option(40, "--epochs", help="Maximum epochs (training stops early on validation loss)."),
    augment: int = typer.Option(1, "--augment", help="Extra randomly rotated/scaled copies of each training stroke."),
    width: float = typer.Option(1.0, "--width", help="Width multiplier for the CNN's filters (16/32/64)."),
    runs: Path = typer.Option(Path("runs"), "--runs", help="Folder that receives the run folder."),
    seed: int = SEED,
) -> None:
    """Train the gesture CNN, convert it to int8, verify it in TFLM and write the deployment folder."""
    quiet_tensorflow()
    from dataclasses import replace

    from tinymlkit.apps.wand.recipe import WandConfig, run
    from tinymlkit.cli.app_commands import train_and_show

    defaults = WandConfig()
    config = WandConfig(
        gestures=names(gestures),
        data=str(data) if data else None,
        users=users,
        repetitions=repetitions,
        width=width,
        train=replace(defaults.train, epochs=epochs, seed=seed),
        augment=augment,
        runs=str(runs),
        seed=seed,
    )
    train_and_show(run, config)


@app.command()
def evaluate(
    model: Path = typer.Option(None, "--model", help="int8 .tflite gesture model; default: the newest run's."),
    data: Path = DATA,
    labels: str = typer.Option(None, "--labels", help="Comma-separated labels; default: labels.txt by the model."),
    users: int = USERS,
    repetitions: int = REPETITIONS,
    seed: int = SEED,
) -> None:
    """Accuracy of a gesture model in TFLM on a data set's test split (held-out subjects)."""
    quiet_tensorflow()
    from tinymlkit.apps.wand.recipe import WandConfig, evaluate, load_data
    from tinymlkit.cli.app_commands import model_path

    path = model_path(model, "wand")
    label_list = model_labels(path, labels)
    config = WandConfig(gestures=label_list, data=str(data) if data else None, users=users, repetitions=repetitions,
                        seed=seed)
    with progress_bars() as progress:
        dataset, source = load_data(config, progress)
    result = evaluate(path.read_bytes(), dataset, name=str(path))
    console.print(f"[bold]Model[/]: {path}\n[bold]Data[/]: {source}")
    console.print(f"int8 accuracy in TFLM: [bold]{result.accuracy:.4f}[/] on {result.examples} test strokes")
    rows = [[label] + list(r) for label, r in zip(label_list, result.confusion, strict=True)]
    console.print(table("int8 confusion (rows: true)", ["", *label_list], rows))


@app.command()
def predict(
    recording: Path = typer.Argument(..., help="An IMU recording (.csv, t_ms,ax,ay,az,gx,gy,gz) or a strokes .json."),
    model: Path = typer.Option(None, "--model", help="int8 .tflite gesture model; default: the newest run's."),
    labels: str = typer.Option(None, "--labels", help="Comma-separated labels; default: labels.txt by the model."),
) -> None:
    """Find the gestures in a recording as the board does and classify each with the int8 model in TFLM."""
    quiet_tensorflow()
    import numpy as np

    from tinymlkit.apps.wand.data import load_strokes_json, read_recording
    from tinymlkit.apps.wand.raster import model_input
    from tinymlkit.apps.wand.recipe import images, wand_model
    from tinymlkit.apps.wand.stroke import WAND, resample, track_strokes
    from tinymlkit.cli.app_commands import model_path

    path = model_path(model, "wand")
    label_list = model_labels(path, labels)
    tflm = wand_model(path.read_bytes(), label_list, name=str(path))
    if recording.suffix.lower() == ".json":
        strokes = list(load_strokes_json(recording).x)
    else:
        strokes = track_strokes(resample(read_recording(recording), WAND.rate_hz))
    if not strokes:
        raise TinyMLError(f"no gesture found in {recording}: the wand hardly moved; hold still, draw, hold still")
    imgs = images(strokes)
    scores = tflm.predict(model_input(imgs))
    for i, (img, s) in enumerate(zip(imgs, scores, strict=True)):
        art = "\n".join("".join("#" if px.any() else "." for px in row) for row in img)
        console.print(f"[bold]stroke {i + 1}[/] ({len(strokes[i])} samples)\n{art}", highlight=False)
        best = int(np.argmax(s))
        rows = [[label_list[j], float(s[j])] for j in np.argsort(-s)[:3]]
        console.print(table(f"gesture: {label_list[best]}", ["label", "score"], rows))


def model_labels(path: Path, labels: str | None) -> list[str]:
    """The labels of a gesture model: ``--labels``, or labels.txt beside the model file."""
    if labels:
        return names(labels) or []
    listed = path.parent / "labels.txt"
    if not listed.is_file():
        raise TinyMLError(f"no labels.txt beside {path}; pass --labels with the model's gestures in order")
    from tinymlkit.fileio import read_user_text

    return read_user_text(listed).split()
