"""``tinyml sine ...``: hello world, a tiny network that learns sin(x), from data to the LED-fading sketch."""

from pathlib import Path

import typer

from tinymlkit.cli.ui import console, quiet_tensorflow, table

app = typer.Typer(help="Hello world (sine): make data, train, evaluate, predict.", no_args_is_help=True)

SAMPLES = typer.Option(1000, "--samples", help="Built-in data: number of samples.")
NOISE = typer.Option(0.1, "--noise", help="Built-in data: standard deviation of the noise added to sin(x).")
SEED = typer.Option(0, "--seed", help="Random seed: the same seed gives the same data and model.")


@app.command()
def data(
    out: Path = typer.Argument(..., help="CSV file to write (header x,y)."),
    samples: int = SAMPLES,
    noise: float = NOISE,
    seed: int = SEED,
) -> None:
    """Write the built-in data set: x uniform in [0, 2 pi], y = sin(x) + noise, as a CSV file."""
    from tinymlkit.apps.sine.data import synthesize_sine, write_sine_csv

    write_sine_csv(out, *synthesize_sine(samples, noise, seed))
    console.print(f"[bold green]{samples} samples written to[/] {out}")


@app.command()
def train(
    data: Path = typer.Option(None, "--data", help="CSV file with the header x,y; default: built-in samples."),
    samples: int = SAMPLES,
    noise: float = NOISE,
    epochs: int = typer.Option(600, "--epochs", help="Maximum epochs (training stops early on validation loss)."),
    width: float = typer.Option(1.0, "--width", help="Width multiplier for the hidden layers (16 units each)."),
    runs: Path = typer.Option(Path("runs"), "--runs", help="Folder that receives the run folder."),
    seed: int = SEED,
) -> None:
    """Train the 1-16-16-1 sine model, convert it to int8, verify it in TFLM and write the deployment folder."""
    quiet_tensorflow()
    from dataclasses import replace

    from tinymlkit.apps.sine.recipe import SineConfig, run
    from tinymlkit.cli.app_commands import train_and_show

    defaults = SineConfig()
    config = SineConfig(
        data=str(data) if data else None,
        samples=samples,
        noise=noise,
        width=width,
        train=replace(defaults.train, epochs=epochs, seed=seed),
        runs=str(runs),
        seed=seed,
    )
    train_and_show(run, config)


@app.command()
def evaluate(
    model: Path = typer.Option(None, "--model", help="int8 .tflite sine model; default: the newest run's."),
    data: Path = typer.Option(None, "--data", help="CSV file with the header x,y; default: built-in samples."),
    samples: int = SAMPLES,
    noise: float = NOISE,
    seed: int = SEED,
) -> None:
    """Measure a model in TFLM: MAE on the data's test split and against sin(x) over [0, 2 pi]."""
    quiet_tensorflow()
    from tinymlkit.apps.sine.recipe import SineConfig, evaluate, load_data
    from tinymlkit.cli.app_commands import model_path

    path = model_path(model, "sine")
    dataset, source = load_data(SineConfig(data=str(data) if data else None, samples=samples, noise=noise, seed=seed))
    metrics = evaluate(path.read_bytes(), dataset, name=str(path))
    console.print(f"[bold]Model[/]: {path}\n[bold]Data[/]: {source}")
    console.print(table("int8 model in TFLM", ["metric", "value"], [[k, v] for k, v in metrics.items()]))


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
