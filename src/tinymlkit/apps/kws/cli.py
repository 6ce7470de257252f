"""``tinyml kws ...``: keyword spotting from data to a deployable int8 model, and running models on audio."""

from dataclasses import replace
from pathlib import Path

import typer

from tinymlkit.apps.kws.recipe import KwsConfig
from tinymlkit.cli.app_commands import add_app_commands
from tinymlkit.cli.config_options import comma_list
from tinymlkit.cli.ui import console, progress_bars, quiet_tensorflow, table
from tinymlkit.errors import TinyMLError

app = typer.Typer(
    help="Keyword spotting (micro_speech): make data, train, evaluate, predict, listen.", no_args_is_help=True
)


def words_list(words: str) -> list[str]:
    return comma_list(words) or []


def show_streaming(details) -> None:
    """One line on how the model does when listening to held-out recordings (a run's ``KwsDetails``)."""
    if details is not None:
        check, r = details.streaming, details.streaming.recognizer
        console.print(
            f"[bold]Listening[/] to {check.streams} held-out recordings ({check.seconds:.0f} s, "
            f"{check.words} keywords): found {check.hits} at the right time, missed {check.misses}, "
            f"{check.false_alarms} false alarms (recognizer: {r['average_window_ms']} ms average, "
            f"threshold {r['threshold']}/255, {r['suppression_ms']} ms suppression)"
        )


add_app_commands(
    app,
    "kws",
    KwsConfig,
    after_train=lambda report: show_streaming(report.details),
    data_help="Folder to create (Speech Commands layout).",
    old_data_name="synth",
    old_flags={"--model": "--family"},
)


@app.command()
def predict(
    clip: Path = typer.Argument(..., help="A WAV clip (resampled to 16 kHz mono; padded or trimmed to 1 s)."),
    model: Path = typer.Option(None, "--model", help="int8 .tflite keyword model; default: the newest run's."),
    labels: str = typer.Option(None, "--labels", help="Comma-separated labels; default: labels.txt by the model."),
) -> None:
    """Run any int8 keyword model (ours or one trained by TensorFlow's speech_commands recipe) on one clip."""
    quiet_tensorflow()
    from tinymlkit.apps.kws.frontend import micro_features
    from tinymlkit.data.audio import SAMPLE_RATE, fit_length, read_audio

    _, tflm, names = _load_model(model, labels)
    clip_audio = fit_length(read_audio(clip, SAMPLE_RATE), SAMPLE_RATE)
    scores = tflm.predict(micro_features(clip_audio[None]))[0]
    rows = [[name, float(s)] for name, s in sorted(zip(names, scores, strict=True), key=lambda p: -p[1])]
    console.print(table(f"{clip.name}: scores from the int8 model in TFLM", ["label", "score"], rows))
    console.print(f"[bold]{rows[0][0]}[/]")


@app.command()
def listen(
    audio: Path = typer.Argument(None, help="A WAV recording of any length; omit with --mic."),
    model: Path = typer.Option(None, "--model", help="int8 .tflite keyword model; default: the newest run's."),
    labels: str = typer.Option(None, "--labels", help="Comma-separated labels; default: labels.txt by the model."),
    threshold: int = typer.Option(
        None, "--threshold", help="Detection threshold on the 0-255 average score; default: the training run's."
    ),
    window_ms: int = typer.Option(None, "--window-ms", help="Score averaging window; default: the training run's."),
    suppression_ms: int = typer.Option(
        None, "--suppression-ms", help="Time before the same command can repeat; default: the training run's."
    ),
    mic: bool = typer.Option(False, "--mic", help="Listen to the microphone instead of a file."),
    seconds: float = typer.Option(10.0, "--seconds", help="With --mic: how long to listen."),
) -> None:
    """Find commands in a recording with the int8 model in TFLM and the course's command recognizer."""
    quiet_tensorflow()
    from tinymlkit.apps.kws.recipe import recognizer_of_run
    from tinymlkit.apps.kws.streaming import listen as listen_stream
    from tinymlkit.data.audio import SAMPLE_RATE, read_audio

    model, tflm, names = _load_model(model, labels)
    if mic:
        from tinymlkit.capture.microphone import record

        console.print(f"Listening to the microphone for {seconds:g} s...")
        samples = record(seconds, SAMPLE_RATE)
    elif audio is None:
        raise TinyMLError("give a WAV file to listen to, or --mic to use the microphone")
    else:
        samples = read_audio(audio, SAMPLE_RATE)
    chosen = {"average_window_ms": window_ms, "threshold": threshold, "suppression_ms": suppression_ms}
    config = replace(recognizer_of_run(model), **{k: v for k, v in chosen.items() if v is not None})
    with progress_bars() as progress:
        detections = listen_stream(samples, tflm, names, config, progress=progress)
    rows = [[f"{d.time_ms / 1000:.2f}", d.label, d.score] for d in detections]
    console.print(
        table(f"commands heard in {len(samples) / SAMPLE_RATE:.1f} s", ["time (s)", "command", "score"], rows)
    )
    console.print(
        f"recognizer: {config.average_window_ms} ms average, threshold {config.threshold}/255, "
        f"{config.suppression_ms} ms suppression"
    )
    if not detections:
        console.print("no command recognized", style="yellow")


def _load_model(model: Path | None, labels: str | None):
    """The keyword model's path (``model``, or the newest run's), its TFLM interpreter and its labels."""
    from tinymlkit.apps.kws.recipe import kws_model
    from tinymlkit.cli.app_commands import model_path

    model = model_path(model, "kws")
    if labels:
        names = words_list(labels)
    elif (model.parent / "labels.txt").is_file():
        names = words_list(",".join((model.parent / "labels.txt").read_text().split()))
    else:
        raise TinyMLError(f"no labels.txt beside {model}; pass --labels silence,unknown,yes,no")
    return model, kws_model(model.read_bytes(), names, str(model)), names
