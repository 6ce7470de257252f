"""``tinyml anomaly ...``: machine-sound anomaly detection trained on normal sounds, from data to the sketch."""

from pathlib import Path

import typer

from tinymlkit.apps.anomaly.recipe import AnomalyConfig
from tinymlkit.cli.app_commands import add_app_commands
from tinymlkit.cli.ui import console, quiet_tensorflow, table

app = typer.Typer(help="Anomaly detection (machine sounds): make data, train, evaluate, predict.", no_args_is_help=True)

MODEL = typer.Option(
    None, "--model", help="int8 .tflite autoencoder (detector.json beside it); default: the newest run's."
)


def show_operating_points(report) -> None:
    """The threshold, TPR and FPR of each detector on the test split."""
    rows = [
        [name, f"{m['auc']:.4f}", f"{report.thresholds[key]:.4f}", f"{m['tpr']:.3f}", f"{m['fpr']:.3f}"]
        for name, key, m in (
            ("autoencoder, float", "autoencoder_float", report.float_metrics),
            ("autoencoder, int8 in TFLM", "autoencoder_int8", report.int8_metrics),
            ("K-means, float32 (C constants)", "kmeans", report.details.kmeans),
        )
    ]
    console.print(
        table(
            f"operating points (threshold: {report.threshold_rule})",
            ["detector", "AUC", "threshold", "TPR", "FPR"],
            rows,
        )
    )


add_app_commands(
    app,
    "anomaly",
    AnomalyConfig,
    after_train=show_operating_points,
    data_help="Folder to create: <machine>/id_XX/{normal,abnormal}/*.wav, metadata.csv.",
    old_flags={"--threshold": "--threshold-rule", "--k": "--threshold-k", "--percentile": "--threshold-percentile"},
)


@app.command()
def predict(
    recordings: list[Path] = typer.Argument(..., help="One or more .wav recordings of the machine."),
    model: Path = MODEL,
) -> None:
    """Score recordings as the board does (int8 autoencoder in TFLM, K-means) and say normal or anomaly."""
    from tinymlkit.cli.app_commands import model_path

    path = model_path(model, "anomaly")  # before the heavy imports: a wrong path fails fast
    quiet_tensorflow()
    from tinymlkit.apps.anomaly.recipe import anomaly_model, score_clips
    from tinymlkit.data.audio import read_audio

    tflm, detector = anomaly_model(path)
    clips = [read_audio(r, detector.features.sample_rate) for r in recordings]
    rows = []
    for rec, s in zip(recordings, score_clips(tflm, detector, clips), strict=True):
        verdict = "[bold red]ANOMALY[/]" if s.anomalous else "[green]normal[/]"
        km = "anomaly" if s.kmeans > s.kmeans_threshold else "normal"
        rows.append(["/".join(rec.parts[-3:]), f"{s.autoencoder:.4f}", verdict, f"{s.kmeans:.4f} ({km})"])
    console.print(
        table(
            f"anomaly score (autoencoder int8 in TFLM; threshold {detector.threshold_int8:.4f})",
            ["recording", "score", "verdict", "K-means"],
            rows,
        )
    )
