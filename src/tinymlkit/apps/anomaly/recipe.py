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
from tinymlkit.data.split import SPLITS
from tinymlkit.errors import TinyMLError
from tinymlkit.evaluate.roc import summarize_scores
from tinymlkit.progress import ProgressCallback, silent, track
from tinymlkit.recipe import AnomalyScore, CardText, Evaluation, Features, Recipe, Trained
from tinymlkit.report import ModelReport
from tinymlkit.settings import runs_setting, seed_setting, setting, validate
from tinymlkit.train import TrainConfig

DETECTOR_FILE = "detector.json"

TEMPLATES = Path(__file__).parent / "templates"  # the Arduino sketch


@dataclass
class AnomalyConfig:
    """An anomaly-detection run. ``data`` None means the built-in synthesized ``machines``."""

    data: str | None = setting(
        None,
        source=True,
        help="MIMII (<machine>/id_XX/{normal,abnormal}/*.wav) or ToyADMOS/DCASE "
        "(<machine>/{train,test}/*.wav) folder; default: built-in synthesized machines.",
    )
    machines: list[str] = setting(
        factory=lambda: ["fan"],
        builtin=True,
        help="Built-in data: comma-separated machine types (fan, pump, slider, valve).",
    )
    ids: int = setting(4, help="Built-in data: machine ids per type.", min=1, max=100, builtin=True)
    normal: int = setting(
        120, help="Built-in data: normal recordings per machine id.", min=1, max=100_000, builtin=True
    )
    abnormal: int = setting(
        30, help="Built-in data: anomalous recordings per machine id.", min=1, max=100_000, builtin=True
    )
    seconds: float = setting(
        1.0,
        help="Built-in data: length of each recording.",
        min=0.1,
        max=600.0,
        why="longer recordings only slow synthesis",
        builtin=True,
    )
    features: LogMelConfig = DEFAULT
    width: float = setting(
        0.5,
        help="Autoencoder hidden units = 128 x width.",
        positive=True,
        max=16.0,
        why="wider models do not fit a microcontroller",
    )
    layers: int = setting(2, help="Hidden layers on each side of the 8-unit bottleneck.", min=1, max=16)
    train: TrainConfig = field(
        default_factory=lambda: TrainConfig(epochs=30, batch_size=256, learning_rate=1e-3, patience=4)
    )
    clusters: int = setting(8, help="K-means baseline: number of centroids.", min=1, max=4096)
    threshold_rule: str = setting(
        "std",
        choices=("std", "percentile"),
        help="Threshold from normal validation scores: 'std' (mean + k std) or 'percentile'.",
    )
    threshold_k: float = setting(2.0, help="k of mean + k std.", min=0, max=1000.0)
    threshold_percentile: float = setting(
        99.0, help="Percentile for --threshold-rule percentile.", positive=True, max=100.0
    )
    runs: str = runs_setting()
    seed: int = seed_setting()

    def __post_init__(self) -> None:
        validate(self)


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

    settings = {
        "machines": config.machines,
        "ids": config.ids,
        "normal": config.normal,
        "abnormal": config.abnormal,
        "seconds": config.seconds,
        "seed": config.seed,
        "version": 1,
    }
    return cached_dataset(
        "anomaly",
        settings,
        lambda root: synthesize_machine_dataset(
            root, config.machines, config.ids, config.normal, config.abnormal, config.seconds, config.seed, progress
        ),
    )


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


def clip_features(
    clips, norm: Standardizer, config: LogMelConfig, progress: ProgressCallback = silent
) -> tuple[np.ndarray, np.ndarray]:
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
        d = ((vectors[i : i + 4096, None, :] - centroids[None]) ** 2).sum(axis=2, dtype=np.float32)
        out[i : i + 4096] = d.min(axis=1) / np.float32(vectors.shape[1])
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


@dataclass
class AnomalyDetails:
    """What an anomaly run adds to its report: the K-means baseline and AUC per machine and per fault. The detector
    (what the sketch and ``tinyml anomaly predict`` need) goes to ``deploy/detector.json``, not the report."""

    score: str
    kmeans: dict
    per_machine_auc_int8: dict[str, float]
    per_machine_auc_kmeans: dict[str, float]
    per_fault_auc_int8: dict[str, float]
    detector: Detector = field(metadata={"json": False})


def features(data: Dataset, config: AnomalyConfig, progress: ProgressCallback = silent) -> Features:
    """Stacked log-mel vectors per split, standardized with the training split's mean and std (``fitted``); the
    targets give each vector's recording (its index in the split)."""
    check_features(config.features)
    train = data.part("train")
    norm = Standardizer.fit([log_mel(c, config.features) for c in train.x])
    out = {}
    for split in SPLITS:
        vectors, starts = clip_features(data.part(split).x, norm, config.features, progress)
        out[split] = (vectors, np.repeat(np.arange(len(starts)), np.diff(np.r_[starts, len(vectors)])))
    return Features(out, fitted={"standardizer": norm})


def starts_of(example: np.ndarray) -> np.ndarray:
    """The index of each recording's first vector, from the recording index of every vector."""
    return np.flatnonzero(np.r_[True, np.diff(example) != 0])


class AnomalyRecipe(Recipe):
    """Machine-sound anomaly detection: log-mel frames -> a dense autoencoder trained on normal sounds only."""

    name = "anomaly"
    title = "machine-sound anomaly detection"
    config_type = AnomalyConfig
    task = AnomalyScore()
    card = CardText(
        "Flag machine sounds unlike the normal sounds it was trained on (condition monitoring of one kind of "
        "machine, on a microcontroller next to it).",
        "safety-critical shutdown decisions, machines or microphones unlike the training ones, or naming the fault.",
        group=("machine id", "machine ids"),
    )
    templates = TEMPLATES

    def load_data(self, config: AnomalyConfig, progress: ProgressCallback = silent) -> tuple[Dataset, str]:
        check_features(config.features)
        return load_data(config, progress)

    def features(self, data: Dataset, config: AnomalyConfig, progress: ProgressCallback = silent) -> Features:
        return features(data, config, progress)

    def build_model(self, config: AnomalyConfig, data: Dataset):
        from tinymlkit.models.autoencoder import build as build_autoencoder

        return build_autoencoder((config.features.dims,), 0, config.width, config.layers)

    def family(self, config: AnomalyConfig) -> str:
        return "autoencoder"

    def measure(self, run: Trained, progress: ProgressCallback = silent) -> AnomalyDetails:
        """The K-means baseline on the same features (threshold from normal validation recordings), AUC per machine
        and per fault, and the detector the sketch needs."""
        config, scores, test = run.config, run.scores, run.data.part("test")
        (x_train, _), (x_val, val_example), (x_test, test_example) = (run.features[s] for s in SPLITS)
        centroids = fit_kmeans(x_train, config.clusters, config.seed)
        km_test = kmeans_scores(x_test, centroids, starts_of(test_example))
        t_km, rule = self.task.threshold(config, kmeans_scores(x_val, centroids, starts_of(val_example)))
        anomalous = test.y == 1
        scores.thresholds["kmeans"] = t_km
        scores.test_scores["K-means float32"] = km_test
        int8_test = scores.test_scores["autoencoder int8 (TFLM)"]
        norm = run.features.fitted["standardizer"]
        clip_seconds = float(np.median([len(c) for c in run.data.part("train").x])) / config.features.sample_rate
        detector = Detector(
            config.features,
            norm.mean.tolist(),
            norm.std.tolist(),
            centroids.tolist(),
            scores.thresholds["autoencoder_int8"],
            t_km,
            rule,
            round(clip_seconds, 3),
        )
        return AnomalyDetails(
            score="mean squared reconstruction error over a recording's stacked log-mel vectors",
            kmeans={
                **summarize_scores(km_test, anomalous, t_km, rule),
                "clusters": config.clusters,
                "deployed_as": f"float32 C constants in the sketch ({centroids.size * 4} bytes), not a TFLM "
                "model; scored in float32 as the sketch does",
            },
            per_machine_auc_int8=per_group_auc(int8_test, anomalous, test.group),
            per_machine_auc_kmeans=per_group_auc(km_test, anomalous, test.group),
            per_fault_auc_int8=per_fault_auc(int8_test, anomalous, test.meta.get("fault")),
            detector=detector,
        )

    def figures(self, run: Trained) -> dict:
        from tinymlkit.evaluate.roc import operating_point, plot_roc, roc_auc, roc_curve

        anomalous = run.data.part("test").y == 1
        s = run.scores
        threshold = {
            "autoencoder int8 (TFLM)": s.thresholds["autoencoder_int8"],
            "autoencoder float": s.thresholds["autoencoder_float"],
            "K-means float32": s.thresholds["kmeans"],
        }
        points = {
            name: operating_point(s.test_scores[name], anomalous, t, s.threshold_rule) for name, t in threshold.items()
        }
        curves = {}
        for name in threshold:
            fpr, tpr, _ = roc_curve(s.test_scores[name], anomalous)
            curves[name] = (fpr, tpr, roc_auc(s.test_scores[name], anomalous))

        def draw(path: Path) -> None:
            plot_roc(curves, points, "test split: normal vs anomalous recordings", path)

        return {"roc": ("roc.png", draw)}

    def files(self, run: Trained) -> dict[str, tuple[str, str]]:
        return {"detector": (f"deploy/{DETECTOR_FILE}", run.details.detector.to_json())}

    def sketch_context(self, config: AnomalyConfig, labels: list[str], tflm, details: AnomalyDetails | None = None):
        if details is None:
            raise TinyMLError("an anomaly sketch needs the detector of a training run: use tm.run(tm.anomaly, ...)")
        return sketch_context(details.detector, tflm.input.scale, tflm.input.zero_point)

    def open_model(self, model: bytes, labels: list[str] | None = None, name: str = "model"):
        from tinymlkit.runtime.tflm import TFLMModel

        return TFLMModel(model, name=name)

    def synthesize(
        self, out: Path, config: AnomalyConfig, progress: ProgressCallback = silent, force: bool = False
    ) -> str:
        from tinymlkit.apps.anomaly.synth import synthesize_machine_dataset

        return str(
            synthesize_machine_dataset(
                out,
                config.machines,
                config.ids,
                config.normal,
                config.abnormal,
                config.seconds,
                config.seed,
                progress,
                force,
            )
        )

    def evaluate(
        self,
        model: Path,
        data: Dataset,
        config: AnomalyConfig,
        labels: list[str] | None = None,
        progress: ProgressCallback = silent,
    ) -> Evaluation:
        """The int8 autoencoder's and K-means' AUC, TPR and FPR at the saved thresholds (``detector.json``)."""
        result = evaluate(Path(model), data, progress)
        metrics = {
            f"{name} {k}": v
            for name, key in (("autoencoder int8", "autoencoder_int8"), ("K-means", "kmeans"))
            for k, v in result[key].items()
        }
        per_machine = result["per_machine_auc_int8"]
        if len(per_machine) > 1:
            metrics.update({f"int8 AUC, {machine}": auc for machine, auc in per_machine.items()})
        return Evaluation(metrics, result["test_examples"])


recipe = AnomalyRecipe()


def run(config: AnomalyConfig = AnomalyConfig(), progress: ProgressCallback = silent) -> ModelReport:
    """Train the autoencoder and K-means on normal sounds, verify the int8 autoencoder in TFLM, choose thresholds
    on normal validation recordings, and save the run folder (:func:`tinymlkit.pipeline.run`)."""
    from tinymlkit.pipeline import run as run_recipe

    return run_recipe(recipe, config, progress)


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
        raise TinyMLError(
            f"{model_path} takes {list(tflm.input.shape)}, not the {dims} log-mel values of its "
            f"{DETECTOR_FILE}; pass a model from 'tinyml anomaly train'"
        )
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
    return [
        ClipScore(float(a), float(k), detector.threshold_int8, detector.threshold_kmeans)
        for a, k in zip(ae, km, strict=True)
    ]


def evaluate(model_path: Path, data: Dataset, progress: ProgressCallback = silent) -> dict:
    """int8 autoencoder (TFLM) and K-means AUC and TPR/FPR at the saved thresholds on a data set's test split."""
    tflm, detector = anomaly_model(model_path)
    test = data.part("test")
    scores = score_clips(tflm, detector, test.x, progress)
    anomalous = test.y == 1
    ae = np.array([s.autoencoder for s in scores])
    km = np.array([s.kmeans for s in scores])
    return {
        "autoencoder_int8": summarize_scores(ae, anomalous, detector.threshold_int8, detector.threshold_rule),
        "kmeans": summarize_scores(km, anomalous, detector.threshold_kmeans, detector.threshold_rule),
        "test_examples": int(len(test)),
        "per_machine_auc_int8": per_group_auc(ae, anomalous, test.group),
    }


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
        "extra_rows": [
            [
                "features",
                f"{f.n_mels} log-mel channels, {f.n_fft}-point FFT every {f.hop} samples, "
                f"{f.frames} frames stacked ({f.dims} inputs)",
            ],
            ["threshold", f"{detector.threshold_int8:.6g} ({detector.threshold_rule})"],
            ["K-means", f"{len(detector.centroids)} float centroids in model_settings.h"],
        ],
    }
