"""``tinyml kws ...``: keyword spotting from data to a deployable int8 model, and running models on audio."""

from dataclasses import replace
from pathlib import Path

import typer
from rich.markup import escape

from tinymlkit.cli.ui import console, progress_bars, quiet_tensorflow, table
from tinymlkit.errors import TinyMLError

app = typer.Typer(
    help="Keyword spotting (micro_speech): synthesize data, train, listen, predict.", no_args_is_help=True
)

WORDS = typer.Option("yes,no", "--words", help="Comma-separated keywords ('silence' and 'unknown' are added).")
LANG = typer.Option("en", "--lang", help="eSpeak NG language of the built-in voices (e.g. en, es, fr, hi, sw).")


def words_list(words: str) -> list[str]:
    return [w.strip() for w in words.split(",") if w.strip()]


FORCE = typer.Option(False, "--force", help="Write into a folder that holds other files too; they are kept, "
                     "never replaced or deleted (see docs/safety.md).")


@app.command()
def train(
    words: str = WORDS,
    lang: str = LANG,
    data: Path = typer.Option(None, "--data", help="Speech Commands-style folder; default: built-in voices."),
    model: str = typer.Option(
        "ds_cnn", "--model", help="Model family: ds_cnn, or tiny_conv (the course's micro_speech model)."
    ),
    width: float = typer.Option(0.5, "--width", help="Width multiplier for the model's channels."),
    epochs: int = typer.Option(30, "--epochs", help="Maximum epochs (training stops early on validation loss)."),
    voices: int = typer.Option(None, "--voices", help="Built-in data: number of synthetic voices."),
    runs: Path = typer.Option(Path("runs"), "--runs", help="Folder that receives the run folder."),
    seed: int = typer.Option(0, "--seed", help="Random seed: the same seed gives the same model."),
) -> None:
    """Train a keyword spotter, convert it to int8, verify it in TFLM and write the deployment folder."""
    quiet_tensorflow()
    from tinymlkit.apps.kws.recipe import KwsConfig, run
    from tinymlkit.cli.report_view import show_report
    from tinymlkit.train import TrainConfig

    config = KwsConfig(
        words=words_list(words),
        lang=lang,
        data=str(data) if data else None,
        model=model,
        width=width,
        train=TrainConfig(epochs=epochs, batch_size=64, learning_rate=2e-3, seed=seed),
        voices=voices,
        runs=str(runs),
        seed=seed,
    )
    with progress_bars() as progress:
        report = run(config, progress)
    show_report(report)
    show_streaming(report.extra.get("streaming"))


def show_streaming(check: dict | None) -> None:
    """One line on how the model does when listening to held-out recordings."""
    if check:
        r = check["recognizer"]
        console.print(
            f"[bold]Listening[/] to {check['streams']} held-out recordings ({check['seconds']:.0f} s, "
            f"{check['words']} keywords): found {check['hits']} at the right time, missed {check['misses']}, "
            f"{check['false_alarms']} false alarms (recognizer: {r['average_window_ms']} ms average, "
            f"threshold {r['threshold']}/255, {r['suppression_ms']} ms suppression)"
        )


@app.command()
def synth(
    out: Path = typer.Argument(..., help="Folder to create (Speech Commands layout)."),
    words: str = WORDS,
    lang: str = LANG,
    voices: int = typer.Option(None, "--voices", help="Number of synthetic voices (default: the built-in set)."),
    seed: int = typer.Option(0, "--seed"),
    force: bool = FORCE,
) -> None:
    """Synthesize a keyword data set with eSpeak NG voices, offline, in the Speech Commands layout."""
    from tinymlkit.apps.kws.synth import synthesize_keyword_dataset

    extra = {} if voices is None else {"voices": voices}
    with progress_bars() as progress:
        summary = synthesize_keyword_dataset(out, words=words_list(words), lang=lang, seed=seed, progress=progress,
                                             force=force, **extra)
    console.print(str(summary), markup=False)
    console.print(f"[bold green]Data set written to[/] {escape(str(out))}")


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
    console.print(table(f"commands heard in {len(samples) / SAMPLE_RATE:.1f} s", ["time (s)", "command", "score"],
                        rows))
    console.print(f"recognizer: {config.average_window_ms} ms average, threshold {config.threshold}/255, "
                  f"{config.suppression_ms} ms suppression")
    if not detections:
        console.print("no command recognized", style="yellow")


def _load_model(model: Path | None, labels: str | None):
    """The keyword model's path (``model``, or the newest run's), its TFLM interpreter and its labels."""
    from tinymlkit.cli.app_commands import model_path
    from tinymlkit.runtime.tflm import TFLMModel

    model = model_path(model, "kws")
    if labels:
        names = words_list(labels)
    elif (model.parent / "labels.txt").is_file():
        names = words_list(",".join((model.parent / "labels.txt").read_text().split()))
    else:
        raise TinyMLError(f"no labels.txt beside {model}; pass --labels silence,unknown,yes,no")
    tflm = TFLMModel(model.read_bytes(), name=str(model))
    classes = tflm.output.shape[-1]
    if len(names) != classes:
        raise TinyMLError(f"the model has {classes} outputs but {len(names)} labels were given; pass --labels")
    per_clip = 1
    for d in tflm.input.shape[1:]:
        per_clip *= d
    if per_clip != 49 * 40:
        raise TinyMLError(f"{model} takes input {tflm.input.shape}, not 49x40 micro features: not a keyword model")
    return model, tflm, names

