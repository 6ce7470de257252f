"""``tinyml sine ...``: hello world, a tiny network that learns sin(x), from data to the LED-fading sketch."""

from pathlib import Path

import typer

from tinymlkit.apps.sine.recipe import SineConfig
from tinymlkit.cli.app_commands import add_app_commands
from tinymlkit.cli.ui import console, quiet_tensorflow, table

app = typer.Typer(help="Hello world (sine): make data, train, evaluate, predict.", no_args_is_help=True)

add_app_commands(app, "sine", SineConfig, data_help="CSV file to write (header x,y).")


@app.command()
def predict(
    x: list[float] = typer.Argument(..., help="One or more x values in radians."),
    model: Path = typer.Option(None, "--model", help="int8 .tflite sine model; default: the newest run's."),
) -> None:
    """Predict y = sin(x) with the int8 model in TFLM, as the board does."""
    quiet_tensorflow()
    import numpy as np

    from tinymlkit.apps.sine.recipe import led_brightness, sine_model
    from tinymlkit.cli.app_commands import model_path

    path = model_path(model, "sine")
    tflm = sine_model(path.read_bytes(), name=str(path))
    y = tflm.predict(np.array(x, dtype=np.float32).reshape(-1, 1)).reshape(-1)
    console.print(f"[bold]Model[/]: {path}")
    levels = led_brightness(y)
    rows = [[float(a), float(b), float(np.sin(a)), int(v)] for a, b, v in zip(x, y, levels, strict=True)]
    console.print(table("int8 model in TFLM", ["x", "predicted y", "sin(x)", "LED brightness"], rows))
