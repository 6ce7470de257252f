"""``tinyml anomaly ...``: machine-sound anomaly detection trained on normal sounds, from data to the sketch."""

from pathlib import Path

import typer
from rich.markup import escape

from tinymlkit.cli.ui import console, progress_bars, quiet_tensorflow, table

app = typer.Typer(help="Anomaly detection (machine sounds): make data, train, evaluate, predict.",
                  no_args_is_help=True)

MACHINES = typer.Option("fan", "--machines", help="Built-in data: comma-separated machine types (fan, pump, slider, "
                        "valve).")
IDS = typer.Option(4, "--ids", help="Built-in data: machine ids per type.")
NORMAL = typer.Option(120, "--normal", help="Built-in data: normal recordings per machine id.")
ABNORMAL = typer.Option(30, "--abnormal", help="Built-in data: anomalous recordings per machine id.")
SECONDS = typer.Option(1.0, "--seconds", help="Built-in data: length of each recording.")
SEED = typer.Option(0, "--seed", help="Random seed: the same seed gives the same data and model.")
DATA = typer.Option(None, "--data", help="MIMII (<machine>/id_XX/{normal,abnormal}/*.wav) or ToyADMOS/DCASE "
                    "(<machine>/{train,test}/*.wav) folder; default: built-in synthesized machines.")
MODEL = typer.Option(None, "--model", help="int8 .tflite autoencoder (detector.json beside it); default: the newest "
                     "run's.")


def _machines(text: str) -> list[str]:
    return [m.strip() for m in text.split(",") if m.strip()]


FORCE = typer.Option(False, "--force", help="Write into a folder that holds other files too; they are kept, "
                     "never replaced or deleted (see docs/safety.md).")


@app.command()
def data(
    out: Path = typer.Argument(..., help="Folder to create: <machine>/id_XX/{normal,abnormal}/*.wav, metadata.csv."),
    machines: str = MACHINES,
    ids: int = IDS,
    normal: int = NORMAL,
    abnormal: int = ABNORMAL,
    seconds: float = SECONDS,
    seed: int = SEED,
    force: bool = FORCE,
) -> None:
    """Synthesize normal and faulty machine recordings (bearing clicks, imbalance, rubbing) in the MIMII layout."""
    from tinymlkit.apps.anomaly.synth import synthesize_machine_dataset

    with progress_bars() as progress:
        summary = synthesize_machine_dataset(out, _machines(machines), ids, normal, abnormal, seconds, seed, progress,
                                             force)
    console.print(f"[bold green]Written[/]: {escape(summary)}")


@app.command()
def train(
    data: Path = DATA,
    machines: str = MACHINES,
    ids: int = IDS,
    normal: int = NORMAL,
    abnormal: int = ABNORMAL,
    seconds: float = SECONDS,
    epochs: int = typer.Option(30, "--epochs", help="Maximum epochs (training stops early on validation loss)."),
    width: float = typer.Option(0.5, "--width", help="Autoencoder hidden units = 128 x width."),
    clusters: int = typer.Option(8, "--clusters", help="K-means baseline: number of centroids."),
    rule: str = typer.Option("std", "--threshold", help="Threshold from normal validation scores: 'std' (mean + k "
                             "std) or 'percentile'."),
    k: float = typer.Option(2.0, "--k", help="k of mean + k std."),
    percentile: float = typer.Option(99.0, "--percentile", help="Percentile for --threshold percentile."),
    runs: Path = typer.Option(Path("runs"), "--runs", help="Folder that receives the run folder."),
    seed: int = SEED,
) -> None:
    """Train the autoencoder and K-means on normal sounds, verify int8 in TFLM, write the deployment folder."""
    quiet_tensorflow()
    from dataclasses import replace

    from tinymlkit.apps.anomaly.recipe import AnomalyConfig, run
    from tinymlkit.cli.report_view import show_report

    defaults = AnomalyConfig()
    config = AnomalyConfig(
        data=str(data) if data else None, machines=_machines(machines), ids=ids, normal=normal, abnormal=abnormal,
        seconds=seconds, width=width, train=replace(defaults.train, epochs=epochs, seed=seed), clusters=clusters,
        threshold_rule=rule, threshold_k=k, threshold_percentile=percentile, runs=str(runs), seed=seed)
    with progress_bars() as progress:
        report = run(config, progress)
    show_report(report)
    x = report.extra
    rows = [[name, f"{m['auc']:.4f}", f"{x['thresholds'][key]:.4f}", f"{m['tpr']:.3f}", f"{m['fpr']:.3f}"]
            for name, key, m in (("autoencoder, float", "autoencoder_float", report.float_metrics),
                                 ("autoencoder, int8 in TFLM", "autoencoder_int8", report.int8_metrics),
                                 ("K-means, float32 (C constants)", "kmeans", x["kmeans"]))]
    console.print(table(f"operating points (threshold: {x['threshold_rule']})",
                        ["detector", "AUC", "threshold", "TPR", "FPR"], rows))


@app.command()
def evaluate(
    model: Path = MODEL,
    data: Path = DATA,
    machines: str = MACHINES,
    ids: int = IDS,
    normal: int = NORMAL,
    abnormal: int = ABNORMAL,
    seconds: float = SECONDS,
    seed: int = SEED,
) -> None:
    """AUC and the saved threshold's TPR/FPR of the int8 autoencoder in TFLM (and K-means) on a test split."""
    quiet_tensorflow()
    from tinymlkit.apps.anomaly.recipe import AnomalyConfig, evaluate, load_data
    from tinymlkit.cli.app_commands import model_path

    path = model_path(model, "anomaly")
    config = AnomalyConfig(data=str(data) if data else None, machines=_machines(machines), ids=ids, normal=normal,
                           abnormal=abnormal, seconds=seconds, seed=seed)
    with progress_bars() as progress:
        dataset, source = load_data(config, progress)
        result = evaluate(path, dataset, progress)
    console.print(f"[bold]Model[/]: {path}\n[bold]Data[/]: {source} ({result['test_examples']} test recordings)")
    rows = [[name, f"{r['auc']:.4f}", f"{r['tpr']:.3f}", f"{r['fpr']:.3f}"]
            for name, r in (("autoencoder, int8 in TFLM", result["autoencoder_int8"]), ("K-means", result["kmeans"]))]
    console.print(table("test split", ["detector", "AUC", "TPR at threshold", "FPR at threshold"], rows))
    per = result["per_machine_auc_int8"]
    if len(per) > 1:
        console.print(table("int8 AUC per machine", ["machine", "AUC"], [[g, f"{a:.4f}"] for g, a in per.items()]))


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
    console.print(table(f"anomaly score (autoencoder int8 in TFLM; threshold {detector.threshold_int8:.4f})",
                        ["recording", "score", "verdict", "K-means"], rows))
