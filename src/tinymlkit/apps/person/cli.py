"""``tinyml person ...``: person detection (visual wake words) from images to the camera sketch."""

from pathlib import Path

import typer

from tinymlkit.apps.person.recipe import PersonConfig
from tinymlkit.cli.app_commands import add_app_commands
from tinymlkit.cli.ui import console, quiet_tensorflow, table

app = typer.Typer(
    help="Person detection (visual wake words): make data, train, evaluate, predict.", no_args_is_help=True
)

add_app_commands(
    app,
    "person",
    PersonConfig,
    data_defaults={"scenes": 200},
    data_help="Folder to create: person/ and no_person/ PNG frames, split lists.",
    old_flags={"--lr": "--learning-rate"},
)


@app.command()
def predict(
    image: list[Path] = typer.Argument(
        ...,
        help="Image files (PNG, JPEG, BMP), any size: each becomes the 176x144 "
        "camera frame, then the 96x96 model input.",
    ),
    model: Path = typer.Option(
        None,
        "--model",
        help="int8 .tflite person model (ours or the TFLM example's person_detect.tflite); default: the newest run's.",
    ),
) -> None:
    """Print the person score of each image, from the int8 model in TFLM (output 0 no person, 1 person)."""
    quiet_tensorflow()
    from tinymlkit.apps.person.recipe import predict as score
    from tinymlkit.cli.app_commands import model_path

    path = model_path(model, "person")
    results = score(path.read_bytes(), image, name=str(path))
    first = results[0]
    console.print(
        f"[bold]Model[/]: {path} (input scale {first.input_scale:.6g}, zero point "
        f"{first.input_zero_point}, applied to pixel / 255)"
    )
    rows = [
        [r.image, f"{r.person:.3f}", f"{r.no_person:.3f}", str(r.raw), "person" if r.detected else "no person"]
        for r in results
    ]
    console.print(
        table("person scores (int8 model in TFLM)", ["image", "person", "no person", "raw int8", "verdict"], rows)
    )
