"""Machine-sound anomaly detection, trained on normal sounds only: log-mel frames -> a dense autoencoder (int8 in
TFLM) whose reconstruction error is the anomaly score, with a K-means baseline on the same features.

    report = run(AnomalyConfig())                         # built-in synthesized fans (4 machine ids)
    report = run(AnomalyConfig(data="MIMII/6_dB_fan"))    # MIMII or ToyADMOS (DCASE) folders

A recording's score is the mean over its stacked-frame vectors of the squared reconstruction error (autoencoder)
or of the squared distance to the nearest K-means centroid (per dimension, so both are on the same scale). The
threshold comes from normal validation recordings (``mean + k * std`` or a percentile); ROC/AUC and the
threshold's true- and false-positive rates are measured on the test split, which holds normal and anomalous
recordings. The features (:mod:`tinymlkit.apps.anomaly.frontend`) are computed as the sketch computes them, and the
int8 autoencoder is scored in the TFLM interpreter exactly as the sketch scores it (float features quantized with
the model's input scale, error against the dequantized output). The K-means centroids go to the sketch as float
constants (no TFLM model): their scores here use the same float32 arithmetic as the sketch.
"""

import json
from dataclasses import asdict, dataclass, field
from pathlib import Path

import numpy as np

from tinymlkit.apps.anomaly.frontend import DEFAULT, LogMelConfig, Standardizer, clip_vectors, log_mel, mel_bands
from tinymlkit.data.dataset import Dataset
from tinymlkit.errors import TinyMLError
from tinymlkit.progress import ProgressCallback, silent, track
from tinymlkit.report import ModelReport
from tinymlkit.train import TrainConfig
from tinymlkit.validate import bounded, check_fields, runs_field, seed_field

DETECTOR_FILE = "detector.json"

TEMPLATES = Path(__file__).parent / "templates"  # the Arduino sketch


@dataclass
class AnomalyConfig:
    """An anomaly-detection run. ``data`` None means the built-in synthesized ``machines``."""

    data: str | None = None
    machines: list[str] = field(default_factory=lambda: ["fan"])  # built-in data: machine types
    ids: int = bounded(4, 1, 100)  # built-in data: machine ids per type
    normal: int = bounded(120, 1, 100_000)  # built-in data: normal recordings per machine id
    abnormal: int = bounded(30, 1, 100_000)  # built-in data: anomalous recordings per machine id
    seconds: float = bounded(1.0, 0.1, 600.0, why="longer recordings only slow synthesis")  # recording length
    features: LogMelConfig = DEFAULT
    width: float = bounded(0.5, above=0, max=16.0, why="wider models do not fit a microcontroller")
    layers: int = bounded(2, 1, 16)  # hidden layers on each side of the 8-unit bottleneck
    train: TrainConfig = field(default_factory=lambda: TrainConfig(epochs=30, batch_size=256, learning_rate=1e-3,
                                                                   patience=4))
    clusters: int = bounded(8, 1, 4096)  # K-means baseline
    threshold_rule: str = "std"  # "std": mean + k * std of normal validation scores; "percentile"
    threshold_k: float = bounded(2.0, 0, 1000.0, flag="--k")
    threshold_percentile: float = bounded(99.0, above=0, max=100.0, flag="--percentile")
    runs: str = runs_field()
    seed: int = seed_field()

    def __post_init__(self) -> None:
        check_fields(self)


@dataclass
class Detector:
    """What scoring needs besides the .tflite: features, standardization, K-means centroids and thresholds.

    Saved as ``deploy/detector.json`` beside the model; the sketch's ``model_settings.h`` holds the same values.
    """

    features: LogMelConfig
    mean: list[float]
    std: list[float]
    centroids: list[list[float]]
    threshold_int8: float  # autoencoder, int8 in TFLM (what the sketch uses)
    threshold_kmeans: float
    threshold_rule: str
    clip_seconds: float  # scores average over this much audio (the training recordings' length)

    @property
    def standardizer(self) -> Standardizer:
        return Standardizer(np.array(self.mean, dtype=np.float32), np.array(self.std, dtype=np.float32))

    def to_json(self) -> str:
        return json.dumps(asdict(self), indent=1) + "\n"

    @classmethod
    def load(cls, path: str | Path) -> "Detector":
        path = Path(path)
        if not path.is_file():
            raise TinyMLError(f"no {path.name} beside the model ({path}); pass a model from 'tinyml anomaly train'")
        try:
            raw = json.loads(path.read_text())
            raw["features"] = LogMelConfig(**raw["features"])
            return cls(**raw)
        except (ValueError, TypeError, KeyError) as exc:
            raise TinyMLError(f"{path} is not a detector file from 'tinyml anomaly train' ({exc})") from None


def builtin_data(config: AnomalyConfig, progress: ProgressCallback = silent) -> Path:
    """The built-in machine recordings for the run's settings, synthesized once and then cached."""
    from tinymlkit.apps.anomaly.synth import synthesize_machine_dataset
    from tinymlkit.cache import cached_dataset

    settings = {"machines": config.machines, "ids": config.ids, "normal": config.normal,
                "abnormal": config.abnormal, "seconds": config.seconds, "seed": config.seed, "version": 1}
    return cached_dataset("anomaly", settings, lambda root: synthesize_machine_dataset(
        root, config.machines, config.ids, config.normal, config.abnormal, config.seconds, config.seed, progress))


def load_data(config: AnomalyConfig, progress: ProgressCallback = silent) -> tuple[Dataset, str]:
    """The data set of a run and a description of its source."""
    from tinymlkit.apps.anomaly.data import load_machine_sounds

    if config.data:
        return load_machine_sounds(config.data, progress), str(config.data)
    root = builtin_data(config, progress)
    data = load_machine_sounds(root, progress)
    data.meta["fault"] = builtin_faults(root, data.meta["path"])
    return data, f"built-in synthesized {', '.join(config.machines)} ({config.ids} machine ids each) at {root}"


def builtin_faults(root: Path, paths: np.ndarray) -> np.ndarray:
    """The fault of each built-in recording ("" for normal ones), from the synthesizer's metadata.csv."""
    import csv

    with open(root / "metadata.csv", newline="") as f:
        faults = {str(root / row["path"]): row["fault"] for row in csv.DictReader(f)}
    return np.array([faults.get(str(p), "") for p in paths])


def clip_features(clips, norm: Standardizer, config: LogMelConfig,
                  progress: ProgressCallback = silent) -> tuple[np.ndarray, np.ndarray]:
    """All model inputs of ``clips`` stacked (n, dims), and the index of each clip's first vector."""
    vectors = [clip_vectors(c, norm, config) for c in track(clips, "Computing log-mel features", progress)]
    if any(len(v) == 0 for v in vectors):
        raise TinyMLError(f"a recording is shorter than {config.frames} feature frames; use longer recordings")
    starts = np.cumsum([0] + [len(v) for v in vectors[:-1]])
    return np.concatenate(vectors).astype(np.float32), starts


def clip_scores(vectors: np.ndarray, reconstructed: np.ndarray, starts: np.ndarray) -> np.ndarray:
    """Autoencoder score per clip: the mean squared reconstruction error over the clip's vectors."""
    err = np.mean((vectors - reconstructed) ** 2, axis=1, dtype=np.float64)
    return np.add.reduceat(err, starts) / np.diff(np.r_[starts, len(err)])


def kmeans_distances(vectors: np.ndarray, centroids: np.ndarray) -> np.ndarray:
    """Squared distance to the nearest centroid per dimension, in float32 as the sketch computes it."""
    vectors, centroids = vectors.astype(np.float32), np.asarray(centroids, dtype=np.float32)
    out = np.empty(len(vectors), dtype=np.float32)
    for i in range(0, len(vectors), 4096):
        d = ((vectors[i:i + 4096, None, :] - centroids[None]) ** 2).sum(axis=2, dtype=np.float32)
        out[i:i + 4096] = d.min(axis=1) / np.float32(vectors.shape[1])
    return out


def kmeans_scores(vectors: np.ndarray, centroids: np.ndarray, starts: np.ndarray) -> np.ndarray:
    """K-means score per clip: the mean of its vectors' nearest-centroid distances."""
    d = kmeans_distances(vectors, centroids).astype(np.float64)
    return np.add.reduceat(d, starts) / np.diff(np.r_[starts, len(d)])


def fit_kmeans(vectors: np.ndarray, clusters: int, seed: int) -> np.ndarray:
    """K-means centroids of (at most 20,000 of) the training vectors."""
    from sklearn.cluster import KMeans

    rng = np.random.default_rng(seed)
    pick = rng.choice(len(vectors), size=min(len(vectors), 20000), replace=False)
    km = KMeans(n_clusters=clusters, n_init=3, random_state=seed).fit(vectors[np.sort(pick)])
    return km.cluster_centers_.astype(np.float32)


def summarize_scores(scores: np.ndarray, anomalous: np.ndarray, threshold: float, rule: str) -> dict:
    """AUC and the threshold's TPR/FPR on the test split."""
    from tinymlkit.evaluate.roc import operating_point, roc_auc

    point = operating_point(scores, anomalous, threshold, rule)
    return {"auc": roc_auc(scores, anomalous), "tpr": point.tpr, "fpr": point.fpr}


def per_group_auc(scores: np.ndarray, anomalous: np.ndarray, groups: np.ndarray) -> dict[str, float]:
    """AUC per machine id (where it has both normal and anomalous test recordings)."""
    from tinymlkit.evaluate.roc import roc_auc

    out = {}
    for g in sorted(set(groups)):
        sel = groups == g
        if anomalous[sel].any() and not anomalous[sel].all():
            out[str(g)] = roc_auc(scores[sel], anomalous[sel])
    return out


def per_fault_auc(scores: np.ndarray, anomalous: np.ndarray, faults: np.ndarray | None) -> dict[str, float]:
    """AUC of each kind of fault against all normal test recordings (built-in data, whose faults are known)."""
    from tinymlkit.evaluate.roc import roc_auc

    if faults is None:
        return {}
    out = {}
    for fault in sorted(set(faults[anomalous])):
        sel = ~anomalous | (faults == fault)
        out[str(fault)] = roc_auc(scores[sel], anomalous[sel])
    return out


def run(config: AnomalyConfig, progress: ProgressCallback = silent) -> ModelReport:
    """Train the autoencoder and K-means on normal sounds, verify the int8 autoencoder in TFLM, choose thresholds
    on normal validation recordings, and save the run folder (``report.run_dir``)."""
    import keras

    from tinymlkit.evaluate.roc import OperatingPoint, choose_threshold, operating_point, plot_roc, roc_auc, roc_curve
    from tinymlkit.models.autoencoder import build as build_autoencoder
    from tinymlkit.pipeline import RunSpec, Stopwatch, save_run, summarize_data, verify_int8
    from tinymlkit.train import fit, seed_everything

    check_features(config.features)
    watch = Stopwatch()
    with watch("data"):
        data, source = load_data(config, progress)
    train, val, test = (data.part(s) for s in ("train", "validation", "test"))
    with watch("features"):
        norm = Standardizer.fit([log_mel(c, config.features) for c in train.x])
        (x_train, _), (x_val, val_starts), (x_test, test_starts) = (
            clip_features(p.x, norm, config.features, progress) for p in (train, val, test))
    anomalous = test.y == 1
    seed_everything(config.seed)
    model = build_autoencoder((config.features.dims,), 0, config.width, config.layers)
    with watch("train"):
        model.compile(optimizer=keras.optimizers.Adam(config.train.learning_rate), loss="mse")
        trained = fit(model, (x_train, x_train), (x_val, x_val), config.train, progress)
    with watch("k-means"):
        centroids = fit_kmeans(x_train, config.clusters, config.seed)
    int8 = verify_int8(model, x_train, x_test, progress=progress, watch=watch)
    with watch("verify in TFLM"):
        int8_val = int8.tflm.predict(x_val, progress)
    float_test = clip_scores(x_test, model.predict(x_test, verbose=0, batch_size=1024), test_starts)
    float_val = clip_scores(x_val, model.predict(x_val, verbose=0, batch_size=1024), val_starts)
    int8_test = clip_scores(x_test, int8.outputs, test_starts)
    int8_val_scores = clip_scores(x_val, int8_val, val_starts)
    km_test = kmeans_scores(x_test, centroids, test_starts)
    km_val = kmeans_scores(x_val, centroids, val_starts)

    def threshold(normal: np.ndarray) -> tuple[float, str]:
        return choose_threshold(normal, config.threshold_rule, config.threshold_k, config.threshold_percentile)

    (t_float, rule), (t_int8, _), (t_km, _) = threshold(float_val), threshold(int8_val_scores), threshold(km_val)
    points: dict[str, OperatingPoint] = {
        "autoencoder int8 (TFLM)": operating_point(int8_test, anomalous, t_int8, rule),
        "autoencoder float": operating_point(float_test, anomalous, t_float, rule),
        "K-means float32": operating_point(km_test, anomalous, t_km, rule),
    }
    curves = {}
    for name, scores in (("autoencoder int8 (TFLM)", int8_test), ("autoencoder float", float_test),
                         ("K-means float32", km_test)):
        fpr, tpr, _ = roc_curve(scores, anomalous)
        curves[name] = (fpr, tpr, roc_auc(scores, anomalous))

    clip_seconds = float(np.median([len(c) for c in train.x])) / config.features.sample_rate
    detector = Detector(config.features, norm.mean.tolist(), norm.std.tolist(), centroids.tolist(), t_int8, t_km,
                        rule, round(clip_seconds, 3))
    flagged = int8_test > t_int8
    confusion = [[int(np.sum(~anomalous & ~flagged)), int(np.sum(~anomalous & flagged))],
                 [int(np.sum(anomalous & ~flagged)), int(np.sum(anomalous & flagged))]]
    km = summarize_scores(km_test, anomalous, t_km, rule)
    report = ModelReport(
        app="anomaly",
        run_dir="",
        settings=asdict(config),
        data=summarize_data(data, source),
        model=int8.summary("autoencoder", int(model.count_params())),
        float_metrics=summarize_scores(float_test, anomalous, t_float, rule),
        int8_metrics=summarize_scores(int8_test, anomalous, t_int8, rule),
        confusion=confusion,
        extra={
            "epochs_run": trained.epochs_run,
            "best_epoch": trained.best_epoch,
            "test_examples": int(len(test)),
            "score": "mean squared reconstruction error over a recording's stacked log-mel vectors",
            "threshold_rule": rule,
            "thresholds": {"autoencoder_float": t_float, "autoencoder_int8": t_int8, "kmeans": t_km},
            "kmeans": {**km, "clusters": config.clusters,
                       "deployed_as": f"float32 C constants in the sketch ({centroids.size * 4} bytes), not a TFLM "
                                      "model; scored in float32 as the sketch does"},
            "per_machine_auc_int8": per_group_auc(int8_test, anomalous, test.group),
            "per_machine_auc_kmeans": per_group_auc(km_test, anomalous, test.group),
            "per_fault_auc_int8": per_fault_auc(int8_test, anomalous, test.meta.get("fault")),
        },
    )

    def draw_roc(path: Path) -> None:
        plot_roc(curves, points, "test split: normal vs anomalous recordings", path)

    spec = RunSpec(app="anomaly", runs=config.runs, templates=TEMPLATES, settings=asdict(config),
                   sketch_context=sketch_context(detector, int8.tflm.input.scale, int8.tflm.input.zero_point),
                   labels=list(data.labels), figures={"roc": ("roc.png", draw_roc)},
                   files={"detector": (f"deploy/{DETECTOR_FILE}", detector.to_json())})
    return save_run(spec, int8, report, watch)


def check_features(config: LogMelConfig) -> None:
    """The sketch reads audio in whole milliseconds and uses a radix-2 FFT: check the framing allows that."""
    if config.n_fft & (config.n_fft - 1) or config.n_fft < 64:
        raise TinyMLError(f"n_fft {config.n_fft} is not a power of two (64 or more); use 256, 512 or 1024")
    if (config.hop * 1000) % config.sample_rate:
        raise TinyMLError(f"hop {config.hop} samples is not a whole number of milliseconds at {config.sample_rate} Hz")


def anomaly_model(model_path: Path):
    """The int8 autoencoder in TFLM and its detector settings (``detector.json`` beside the model)."""
    from tinymlkit.runtime.tflm import TFLMModel

    detector = Detector.load(model_path.parent / DETECTOR_FILE)
    tflm = TFLMModel(model_path.read_bytes(), name=str(model_path))
    dims = detector.features.dims
    if tuple(tflm.input.shape[1:]) != (dims,) or tuple(tflm.output.shape[1:]) != (dims,):
        raise TinyMLError(f"{model_path} takes {list(tflm.input.shape)}, not the {dims} log-mel values of its "
                          f"{DETECTOR_FILE}; pass a model from 'tinyml anomaly train'")
    return tflm, detector


@dataclass
class ClipScore:
    """The scores of one recording and the verdicts at the run's thresholds."""

    autoencoder: float
    kmeans: float
    threshold: float
    kmeans_threshold: float

    @property
    def anomalous(self) -> bool:
        return self.autoencoder > self.threshold


def score_clips(tflm, detector: Detector, clips, progress: ProgressCallback = silent) -> list[ClipScore]:
    """Score recordings as the sketch does: the int8 autoencoder in TFLM and the K-means centroids."""
    vectors, starts = clip_features(clips, detector.standardizer, detector.features, progress)
    ae = clip_scores(vectors, tflm.predict(vectors, progress), starts)
    km = kmeans_scores(vectors, np.array(detector.centroids), starts)
    return [ClipScore(float(a), float(k), detector.threshold_int8, detector.threshold_kmeans)
            for a, k in zip(ae, km, strict=True)]


def evaluate(model_path: Path, data: Dataset, progress: ProgressCallback = silent) -> dict:
    """int8 autoencoder (TFLM) and K-means AUC and TPR/FPR at the saved thresholds on a data set's test split."""
    tflm, detector = anomaly_model(model_path)
    test = data.part("test")
    scores = score_clips(tflm, detector, test.x, progress)
    anomalous = test.y == 1
    ae = np.array([s.autoencoder for s in scores])
    km = np.array([s.kmeans for s in scores])
    return {"autoencoder_int8": summarize_scores(ae, anomalous, detector.threshold_int8, detector.threshold_rule),
            "kmeans": summarize_scores(km, anomalous, detector.threshold_kmeans, detector.threshold_rule),
            "test_examples": int(len(test)),
            "per_machine_auc_int8": per_group_auc(ae, anomalous, test.group)}


def sketch_context(detector: Detector, input_scale: float, input_zero_point: int) -> dict:
    """Values for the anomaly sketch templates and README."""
    f = detector.features
    starts, counts, weights = mel_bands(f)
    vectors = max(1, f.vector_count(int(round(detector.clip_seconds * f.sample_rate))))
    return {
        "title": "machine-sound anomaly detection",
        "description": (
            "Listens with the board's microphone, computes log-mel frames as in training, runs the int8 autoencoder "
            "on each stack of frames and averages its reconstruction error over "
            f"{detector.clip_seconds:g} s of sound (as over one training recording); above the threshold the sound is "
            "reported as anomalous and the LED lights. The K-means distance is computed from float centroids too, "
            "and printed beside it."
        ),
        "run_steps": [
            "Put the board on or next to the machine, where the training recordings were made.",
            f"Every {detector.clip_seconds:g} s it prints the autoencoder and K-means scores and NORMAL or ANOMALY.",
        ],
        "features": f,
        "mel_starts": starts.tolist(),
        "mel_counts": counts.tolist(),
        "mel_weights": weights.tolist(),
        "feature_mean": detector.mean,
        "feature_std": detector.std,
        "centroids": detector.centroids,
        "threshold": detector.threshold_int8,
        "kmeans_threshold": detector.threshold_kmeans,
        "vectors_per_score": vectors,
        "shared_templates": ["common/audio_provider.cpp", "common/audio_provider.h"],
        "extra_rows": [["features", f"{f.n_mels} log-mel channels, {f.n_fft}-point FFT every {f.hop} samples, "
                                    f"{f.frames} frames stacked ({f.dims} inputs)"],
                       ["threshold", f"{detector.threshold_int8:.6g} ({detector.threshold_rule})"],
                       ["K-means", f"{len(detector.centroids)} float centroids in model_settings.h"]],
    }
