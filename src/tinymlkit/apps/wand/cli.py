"""``tinyml wand ...``: magic wand, gestures drawn in the air with the board's IMU, from data to the sketch."""

from pathlib import Path

import typer

from tinymlkit.apps.wand.recipe import WandConfig
from tinymlkit.cli.app_commands import add_app_commands
from tinymlkit.cli.ui import console, quiet_tensorflow, table
from tinymlkit.errors import TinyMLError

app = typer.Typer(help="Magic wand (IMU gestures): make data, train, evaluate, predict.", no_args_is_help=True)

add_app_commands(
    app, "wand", WandConfig, data_help="Folder to create: <gesture>/<user>_nohash_<n>.csv and metadata.csv."
)


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
    from tinymlkit.cli.app_commands import model_labels, model_path

    path = model_path(model, "wand")
    label_list = model_labels(path, labels)
    if not label_list:
        raise TinyMLError(f"no labels.txt beside {path}; pass --labels with the model's gestures in order")
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
