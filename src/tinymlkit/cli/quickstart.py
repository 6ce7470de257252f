"""``tinyml quickstart``: keyword spotting end to end on the built-in voices, then a listening demo."""

from pathlib import Path

import typer

from tinymlkit.cli.ui import console, progress_bars, quiet_tensorflow, table


def quickstart(
    words: str = typer.Option("yes,no", "--words", help="Comma-separated keywords."),
    lang: str = typer.Option("en", "--lang", help="eSpeak NG language of the built-in voices."),
    runs: Path = typer.Option(Path("runs"), "--runs", help="Folder that receives the run folder."),
) -> None:
    """Build a keyword spotter from built-in synthesized voices, verify it as int8 in TFLM, write the Arduino
    sketch, and listen to a recording of held-out voices (eSpeak NG's only: the same run on every machine)."""
    quiet_tensorflow()
    from tinymlkit.apps.kws.cli import show_streaming, words_list
    from tinymlkit.apps.kws.detections import match_detections
    from tinymlkit.apps.kws.recipe import KwsConfig, load_data, recognizer_of_run, run
    from tinymlkit.apps.kws.stream import compose_stream
    from tinymlkit.apps.kws.streaming import listen
    from tinymlkit.cli.report_view import show_report
    from tinymlkit.data.audio import SAMPLE_RATE, write_wav
    from tinymlkit.runtime.tflm import TFLMModel

    # eSpeak NG voices only, whatever else is installed: the same run on every machine, in about two minutes, and
    # its demo found every keyword (with the extra voices: 221 s, and their held-out recorded woman in the demo).
    config = KwsConfig(words=words_list(words), lang=lang, runs=str(runs), extra_voices=False)
    console.rule("1/2  Train a keyword spotter: data -> features -> Keras -> int8 -> TFLM -> sketch")
    with progress_bars() as progress:
        report = run(config, progress)
    show_report(report)
    show_streaming(report.details)

    console.rule("2/2  Listen to 10 s of held-out voices with the int8 model in TFLM")
    data, _ = load_data(config)
    audio, truth = compose_stream(data.part("test"), config.words, seconds=10.0, seed=config.seed + 100)
    demo = Path(report.run_dir) / "listen_demo.wav"
    write_wav(demo, audio, SAMPLE_RATE)
    model = Path(report.run_dir) / "deploy" / "model.tflite"
    tflm = TFLMModel(model.read_bytes(), arena_size=report.model.arena_bytes)  # measured by the run
    detections = listen(audio, tflm, data.labels, recognizer_of_run(model))
    score = match_detections(detections, truth, config.words)
    found = {id(w): d for w, d in score.hits}
    rows = [
        [
            f"{w.start_ms / 1000:.2f}-{w.end_ms / 1000:.2f}",
            w.label,
            f"heard at {found[id(w)].time_ms / 1000:.2f} s" if id(w) in found else "missed",
        ]
        for w in truth
    ]
    rows += [[f"{d.time_ms / 1000:.2f}", "-", f"false alarm: {d.label}"] for d in score.false_alarms]
    console.print(table(f"{demo}", ["spoken at (s)", "word", "recognizer"], rows))
    console.print(
        "\nNext: [bold]tinyml kws listen --mic[/] to try it live, open "
        f"[bold]{report.run_dir}/deploy/kws_sketch[/] in the Arduino IDE (see its README), or train on your own "
        "words: [bold]tinyml kws train --words on,off[/]"
    )
