"""``tinyml person ...``: person detection (visual wake words) from images to the camera sketch."""

from pathlib import Path

import typer
from rich.markup import escape

from tinymlkit.cli.ui import console, progress_bars, quiet_tensorflow, table

app = typer.Typer(help="Person detection (visual wake words): make data, train, evaluate, predict.",
                  no_args_is_help=True)

SCENES = typer.Option(16000, "--scenes", help="Built-in data: number of synthetic scenes (half with a person).")
SEED = typer.Option(0, "--seed", help="Random seed: the same seed gives the same data and model.")
DATA = typer.Option(None, "--data", help="Image folder (person/ and no_person/ or non_person/, optional "
                    "validation_list.txt and testing_list.txt, or train/ validation/ test/ folders of them), or "
                    "Visual Wake Words annotations (.json or a folder of them); default: built-in synthetic scenes.")
IMAGES = typer.Option(None, "--images", help="Visual Wake Words: the folder of the COCO images (default: beside the "
                      ".json).")


FORCE = typer.Option(False, "--force", help="Write into a folder that holds other files too; they are kept, "
                     "never replaced or deleted (see docs/safety.md).")


@app.command()
def data(
    out: Path = typer.Argument(..., help="Folder to create: person/ and no_person/ PNG frames, split lists."),
    scenes: int = typer.Option(200, "--scenes", help="Number of scenes (half with a person)."),
    seed: int = SEED,
    force: bool = FORCE,
) -> None:
    """Draw synthetic scenes (not photographs) as 176x144 camera frames in the image-folder layout."""
    from tinymlkit.apps.person.synth import write_scene_folder

    with progress_bars() as progress:
        summary = write_scene_folder(out, scenes, seed, progress, force)
    console.print(f"[bold green]Written[/]: {escape(summary)}")


@app.command()
def train(
    data: Path = DATA,
    images: Path = IMAGES,
    scenes: int = SCENES,
    epochs: int = typer.Option(5, "--epochs", help="Epochs over the training images and their mirror images "
                               "(training stops early on validation loss)."),
    learning_rate: float = typer.Option(4e-3, "--lr", help="Peak learning rate (cosine decay to zero)."),
    width: float = typer.Option(0.25, "--width", help="MobileNet v1 width multiplier (alpha)."),
    augment: int = typer.Option(1, "--augment", help="Extra mirrored copies of each training image."),
    runs: Path = typer.Option(Path("runs"), "--runs", help="Folder that receives the run folder."),
    seed: int = SEED,
) -> None:
    """Train MobileNet v1, convert it to int8, verify it in TFLM and write the deployment folder."""
    quiet_tensorflow()
    from dataclasses import replace

    from tinymlkit.apps.person.recipe import PersonConfig, run
    from tinymlkit.cli.app_commands import train_and_show

    defaults = PersonConfig()
    config = PersonConfig(
        data=str(data) if data else None,
        images=str(images) if images else None,
        scenes=scenes,
        width=width,
        train=replace(defaults.train, epochs=epochs, learning_rate=learning_rate, seed=seed),
        augment=augment,
        runs=str(runs),
        seed=seed,
    )
    train_and_show(run, config)


@app.command()
def evaluate(
    model: Path = typer.Option(None, "--model", help="int8 .tflite person model; default: the newest run's."),
    data: Path = DATA,
    images: Path = IMAGES,
    scenes: int = SCENES,
    seed: int = SEED,
) -> None:
    """Accuracy of a person-detection model in TFLM on a data set's test split."""
    quiet_tensorflow()
    from tinymlkit.apps.person.recipe import PersonConfig, evaluate, load_data
    from tinymlkit.cli.app_commands import model_path

    path = model_path(model, "person")
    config = PersonConfig(data=str(data) if data else None, images=str(images) if images else None, scenes=scenes,
                          seed=seed)
    with progress_bars() as progress:
        dataset, source = load_data(config, progress)
    result = evaluate(path.read_bytes(), dataset, name=str(path))
    console.print(f"[bold]Model[/]: {path}\n[bold]Data[/]: {source}")
    console.print(f"int8 accuracy in TFLM: [bold]{result.accuracy:.4f}[/] on {result.examples} test images")
    rows = [[label] + list(r) for label, r in zip(dataset.labels, result.confusion, strict=True)]
    console.print(table("int8 confusion (rows: true)", ["", *dataset.labels], rows))


@app.command()
def predict(
    image: list[Path] = typer.Argument(..., help="Image files (PNG, JPEG, BMP), any size: each becomes the 176x144 "
                                       "camera frame, then the 96x96 model input."),
    model: Path = typer.Option(None, "--model", help="int8 .tflite person model (ours or the TFLM example's "
                               "person_detect.tflite); default: the newest run's."),
) -> None:
    """Print the person score of each image, from the int8 model in TFLM (output 0 no person, 1 person)."""
    quiet_tensorflow()
    from tinymlkit.apps.person.recipe import predict as score
    from tinymlkit.cli.app_commands import model_path

    path = model_path(model, "person")
    results = score(path.read_bytes(), image, name=str(path))
    first = results[0]
    console.print(f"[bold]Model[/]: {path} (input scale {first.input_scale:.6g}, zero point "
                  f"{first.input_zero_point}, applied to pixel / 255)")
    rows = [[r.image, f"{r.person:.3f}", f"{r.no_person:.3f}", str(r.raw), "person" if r.detected else "no person"]
            for r in results]
    console.print(table("person scores (int8 model in TFLM)", ["image", "person", "no person", "raw int8",
                                                                  "verdict"], rows))
