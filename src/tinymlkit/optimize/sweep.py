"""An optimization sweep on any classification recipe (keyword spotting by default in the CLI): model families,
widths, QAT and pruning, each point measured.

    result = run_sweep(tm.kws, SweepConfig())    # built-in eSpeak NG "yes"/"no" data, the default points
    result.out_dir                               # sweep.json, sweep.csv, pareto.png, models/<point>.tflite

A point is written ``family@width`` with an optional technique: ``+qat`` (quantization-aware fine-tuning) or
``+pruneNN`` (magnitude pruning to NN % zeros with fine-tuning), e.g. ``ds_cnn@0.125+qat``. Every point is
converted to int8 and measured the same way: accuracy of the int8 model in the TFLM interpreter on the test split,
flash as the size of the .tflite file (tensor names stripped: TFLM never reads them), arena by bisection in TFLM,
latency from the profiler's latency model for the chosen board. The first point is the baseline; the sweep reports
which points have at most half its flash at no more than 2 points lower accuracy.
"""

import csv
import io
import re
from dataclasses import asdict, dataclass, field, fields, replace
from pathlib import Path
from typing import Any

import numpy as np

from tinymlkit.errors import TinyMLError
from tinymlkit.fileio import building_dir, write_bytes, write_json, write_text
from tinymlkit.progress import ProgressCallback, silent
from tinymlkit.report import DataSummary
from tinymlkit.settings import runs_setting, seed_setting, validate
from tinymlkit.train import TrainConfig

DEFAULT_POINTS = ("tiny_conv@1.0", "tiny_conv@0.5", "tiny_conv@1.0+prune75", "ds_cnn@0.125", "ds_cnn@0.125+qat")
DEFAULT_BOARD = "nano33ble"
_POINT = re.compile(
    r"^(?P<model>[a-z_0-9]+)@(?P<width>[0-9.]+)"
    r"(?:\+(?P<technique>qat|prune(?P<sparsity>[0-9]{1,2})))?$"
)


@dataclass(frozen=True)
class Candidate:
    """One point of the sweep: a model family at a width multiplier, and how it is optimized."""

    model: str
    width: float
    technique: str = "ptq"  # "ptq" (post-training int8 only), "qat" or "prune"
    sparsity: float = 0.0  # pruning target

    @property
    def name(self) -> str:
        suffix = {"ptq": "", "qat": "+qat", "prune": f"+prune{round(self.sparsity * 100)}"}[self.technique]
        return f"{self.model}@{self.width:g}{suffix}"


def parse_point(text: str) -> Candidate:
    """``family@width[+qat|+pruneNN]`` as a :class:`Candidate`; one-line error naming the format otherwise."""
    from tinymlkit.models import families

    m = _POINT.match(text.strip())
    if not m:
        raise TinyMLError(
            f"cannot read sweep point '{text}'; write family@width[+qat|+pruneNN], "
            "e.g. ds_cnn@0.125+qat or tiny_conv@1.0+prune75"
        )
    if m["model"] not in families():
        raise TinyMLError(
            f"unknown model '{m['model']}' in sweep point '{text}'; choose one of: {', '.join(families())}"
        )
    try:
        width = float(m["width"])
    except ValueError:
        width = 0.0
    if not 0 < width <= 4:
        raise TinyMLError(f"width in sweep point '{text}' must be a number in (0, 4], e.g. 0.25")
    if m["technique"] is None:
        return Candidate(m["model"], width)
    if m["technique"] == "qat":
        return Candidate(m["model"], width, "qat")
    sparsity = int(m["sparsity"]) / 100
    if sparsity <= 0:
        raise TinyMLError(f"pruning target in sweep point '{text}' must be 1-99 %, e.g. +prune75")
    return Candidate(m["model"], width, "prune", sparsity)


@dataclass(frozen=True)
class SweepConfig:
    """What to sweep and on which data: ``app`` is the recipe's config (its data, features; None: its defaults)."""

    points: tuple[str, ...] = DEFAULT_POINTS
    app: Any = None
    train: TrainConfig = TrainConfig(epochs=15, batch_size=64, learning_rate=2e-3, patience=4)
    finetune: TrainConfig = TrainConfig(epochs=4, batch_size=64, learning_rate=5e-4)
    board: str = DEFAULT_BOARD
    strip_names: bool = True  # drop tensor names from every model (TFLM does not read them)
    max_flash_ratio: float = 0.5  # the criterion: at most this fraction of the baseline's flash ...
    max_accuracy_drop: float = 0.02  # ... at no more than this much lower int8 accuracy
    runs: str = runs_setting()
    seed: int = seed_setting()

    def __post_init__(self) -> None:
        validate(self)


@dataclass
class SweepPoint:
    """One measured point. Accuracies are on the test split; ``int8_accuracy`` is measured in TFLM."""

    name: str
    model: str
    width: float
    technique: str
    parameters: int
    float_accuracy: float
    int8_accuracy: float
    flash_bytes: int  # size of the .tflite file the sweep writes (tensor names stripped unless turned off)
    named_bytes: int  # size as the converter wrote it, with tensor names
    compressed_bytes: int  # zlib of the .tflite: what sparse/compressed storage could save
    weight_sparsity: float  # fraction of zeros among the int8 weights
    arena_bytes: int
    macs: int  # multiply-accumulates per inference (profiler's graph analysis)
    latency_ms: float | None  # the profiler's latency model on the sweep's board
    seconds: float  # training and fine-tuning time
    pareto: bool = False  # no other point is at least as accurate with less flash
    meets_criterion: bool = False


@dataclass
class SweepResult:
    """Every figure of a sweep; the table, sweep.json, sweep.csv and pareto.png are rendered from it."""

    out_dir: str
    data: DataSummary
    settings: dict
    board: str
    baseline: str
    points: list[SweepPoint]
    criterion: str
    notes: list[str] = field(default_factory=list)
    timings: dict[str, float] = field(default_factory=dict)

    @property
    def winners(self) -> list[SweepPoint]:
        return [p for p in self.points if p.meets_criterion]


def run_sweep(recipe, config: SweepConfig = SweepConfig(), progress: ProgressCallback = silent) -> SweepResult:
    """Train, optimize, convert and measure every point of ``config`` on a classification ``recipe``'s data and
    features; write the sweep folder ``<runs>/optimize-<time>/``."""
    from tinymlkit.pipeline import Stopwatch, summarize_data
    from tinymlkit.progress import track
    from tinymlkit.recipe import Classification
    from tinymlkit.runs import new_run_path, releasing

    if not isinstance(recipe.task, Classification):
        raise TinyMLError(f"the optimization sweep needs a classification application, not {recipe.name}")

    candidates = [parse_point(p) for p in config.points]
    if not candidates:
        raise TinyMLError("the sweep has no points; give --points, e.g. tiny_conv@1.0,ds_cnn@0.125+qat")
    if len({c.name for c in candidates}) < len(candidates):
        raise TinyMLError("the sweep lists a point twice; give each family@width+technique once")
    _check_board(config.board)
    watch = Stopwatch()
    app = replace(config.app if config.app is not None else recipe.config_type(), seed=config.seed)
    with watch("data"):
        data, source = recipe.load_data(app, progress)
    with watch("features"):
        feats = recipe.features(data, app, progress)
    trained: dict[tuple[str, float], object] = {}
    points, models = [], {}
    for candidate in track(candidates, "Optimization sweep", progress):
        with watch(candidate.name):
            point, tflite = _measure_point(recipe, app, candidate, feats, data, trained, config, progress)
        points.append(point)
        models[candidate.name] = tflite
    _mark(points, config)
    result = SweepResult(
        out_dir="",
        data=summarize_data(data, source),
        settings=_settings(config),
        board=config.board,
        baseline=points[0].name,
        points=points,
        criterion=(
            f"at most {config.max_flash_ratio:.0%} of {points[0].name}'s flash at no more than "
            f"{config.max_accuracy_drop * 100:g} points lower int8 accuracy (TFLM)"
        ),
        notes=[
            "int8 accuracy measured in the TFLM interpreter on the test split",
            "arena measured on the host build of TFLM (64-bit pointers): a little larger than on a 32-bit MCU",
            "flash = .tflite size"
            + (" with tensor names stripped (TFLM does not read them)" if config.strip_names else ", as converted"),
            "compressed = zlib -9 of the .tflite, a proxy for sparse weight storage (TFLM stores tensors dense)",
            f"latency: latency-model estimate ({_profile(models[points[0].name], config.board).latency_basis})",
        ],
    )
    final = new_run_path("optimize", config.runs)
    with releasing(final), building_dir(final) as tmp:
        result.out_dir, result.timings = str(final), dict(watch.seconds)
        for name, tflite in models.items():
            write_bytes(tmp / "models" / f"{_file_stem(name)}.tflite", tflite)
        save_sweep(result, tmp)
    return result


def _measure_point(
    recipe, app, candidate: Candidate, feats: dict, data, trained: dict, config: SweepConfig, progress: ProgressCallback
) -> tuple[SweepPoint, bytes]:
    """Train (or reuse) the float model of ``candidate``, optimize it, convert to int8 and measure it."""
    import time

    import keras

    from tinymlkit.convert.strip import strip_names
    from tinymlkit.evaluate.metrics import classify
    from tinymlkit.optimize.prune import compressed_size, prune, weight_sparsity
    from tinymlkit.optimize.qat import quantization_aware_training
    from tinymlkit.pipeline import verify_int8

    (x_train, y_train), validation, (x_test, y_test) = (feats[s] for s in ("train", "validation", "test"))
    labels, input_range = data.labels, recipe.input_range(app, data)
    start = time.perf_counter()
    key = (candidate.model, candidate.width)
    if key not in trained:
        trained[key] = _train_float(
            recipe, replace(app, model=candidate.model, width=candidate.width), feats, data, config, progress
        )
    model = trained[key]
    finetune = replace(config.finetune, seed=config.seed)
    keras.utils.set_random_seed(config.seed)  # each fine-tuning starts from the same random state
    if candidate.technique == "qat":
        model = quantization_aware_training(
            model, (x_train, y_train), validation, finetune, input_range, progress
        ).model
    elif candidate.technique == "prune":
        from tinymlkit.optimize.prune import PruneSchedule

        copy = keras.models.clone_model(model)
        copy.set_weights(model.get_weights())
        model = prune(copy, (x_train, y_train), PruneSchedule(target=candidate.sparsity), finetune, progress).model
    seconds = time.perf_counter() - start
    int8 = verify_int8(model, x_train, x_test, input_range=input_range, progress=progress)
    tflite = strip_names(int8.tflite) if config.strip_names else int8.tflite
    profile = _profile(tflite, config.board)
    point = SweepPoint(
        name=candidate.name,
        model=candidate.model,
        width=candidate.width,
        technique=candidate.technique,
        parameters=int(model.count_params()),
        float_accuracy=classify(_float_scores(model, x_test), y_test, labels).accuracy,
        int8_accuracy=classify(int8.outputs, y_test, labels).accuracy,
        flash_bytes=len(tflite),
        named_bytes=len(int8.tflite),
        compressed_bytes=compressed_size(tflite),
        weight_sparsity=round(weight_sparsity(tflite), 4),
        arena_bytes=int8.tflm.arena_size,
        macs=profile.macs,
        latency_ms=None if profile.latency_ms is None else round(profile.latency_ms, 3),
        seconds=round(seconds, 1),
    )
    return point, tflite


def _train_float(recipe, app, feats: dict, data, config: SweepConfig, progress: ProgressCallback):
    """The float model of one family and width (``app``), trained with the sweep's training config."""
    from tinymlkit.train import seed_everything

    seed_everything(config.seed)
    model = recipe.build_model(app, data)
    recipe.train(model, feats, replace(app, train=replace(config.train, seed=config.seed)), progress)
    return model


def _float_scores(model, x: np.ndarray, batch: int = 256) -> np.ndarray:
    """Keras outputs in inference mode (called directly: ``predict`` would retrace for every new model)."""
    import keras

    return np.concatenate(
        [keras.ops.convert_to_numpy(model(x[i : i + batch], training=False)) for i in range(0, len(x), batch)]
    )


def _check_board(board: str) -> None:
    """A clear error for an unknown board before any training."""
    from tinymlkit.profile import get_board

    get_board(board)


def _profile(tflite: bytes, board: str):
    """The profiler's graph analysis and latency-model estimate on ``board`` (the arena is measured already)."""
    from tinymlkit.profile import profile_model

    return profile_model(tflite, board, measure=False)


def _mark(points: list[SweepPoint], config: SweepConfig) -> None:
    """Flag the Pareto front (accuracy vs flash) and the points that meet the criterion against points[0]."""
    base = points[0]
    front = {id(p) for p in _front(points, lambda p: p.flash_bytes)}
    for p in points:
        p.pareto = id(p) in front
        p.meets_criterion = (
            p is not base
            and p.flash_bytes <= config.max_flash_ratio * base.flash_bytes
            and p.int8_accuracy >= base.int8_accuracy - config.max_accuracy_drop - 1e-9
        )


def _file_stem(name: str) -> str:
    return name.replace("@", "_w").replace("+", "_")


def _settings(config: SweepConfig) -> dict:
    return asdict(config)


CSV_COLUMNS = [f.name for f in fields(SweepPoint)]


def sweep_csv(result: SweepResult) -> str:
    """The points as CSV, one row per point, columns as in :class:`SweepPoint`."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for p in result.points:
        writer.writerow(["" if getattr(p, c) is None else getattr(p, c) for c in CSV_COLUMNS])
    return buf.getvalue()


def save_sweep(result: SweepResult, folder: str | Path) -> dict[str, Path]:
    """Write sweep.json, sweep.csv and pareto.png into ``folder``."""
    folder = Path(folder)
    return {
        "json": write_json(folder / "sweep.json", result),
        "csv": write_text(folder / "sweep.csv", sweep_csv(result)),
        "plot": plot_pareto(result, folder / "pareto.png"),
    }


def plot_pareto(result: SweepResult, path: str | Path) -> Path:
    """Two panels: int8 accuracy (TFLM) against flash and against latency; the Pareto front joined by a line,
    the baseline and the points that meet the criterion marked, the criterion's region shaded."""
    from tinymlkit.evaluate.plots import figure, save_figure

    fig, axes = figure(ncols=2, figsize=(12, 4.8))
    base = next(p for p in result.points if p.name == result.baseline)
    panels = [
        (axes[0], "flash (KB, .tflite size)", lambda p: p.flash_bytes / 1024),
        (axes[1], f"latency (ms, {result.board}, latency model)", lambda p: p.latency_ms),
    ]
    for ax, label, x_of in panels:
        shown = [p for p in result.points if x_of(p) is not None]
        if not shown:
            ax.text(0.5, 0.5, "no latency figure for this board", ha="center", va="center", transform=ax.transAxes)
            ax.set_xlabel(label)
            continue
        for p in shown:
            colour = "tab:green" if p.meets_criterion else "tab:red" if p is base else "tab:blue"
            ax.scatter(
                x_of(p), 100 * p.int8_accuracy, s=45, color=colour, zorder=3, marker="*" if p.meets_criterion else "o"
            )
            ax.annotate(p.name, (x_of(p), 100 * p.int8_accuracy), textcoords="offset points", xytext=(5, 4), fontsize=8)
        xs = [x_of(p) for p in shown]
        ax.set_xlim(0, max(xs) * 1.3)  # room for the labels
        front = sorted((x_of(p), 100 * p.int8_accuracy) for p in _front(shown, x_of))
        front.append((max(xs) * 1.3, front[-1][1]))  # best accuracy reachable within each budget: a staircase
        ax.step(
            *zip(*front, strict=True),
            where="post",
            color="tab:gray",
            linestyle="--",
            linewidth=1,
            zorder=2,
            label="Pareto front",
        )
        ax.set_xlabel(label)
        ax.set_ylabel("int8 accuracy in TFLM (%)")
        ax.grid(alpha=0.3)
    limit_kb = base.flash_bytes / 1024 * float(result.settings["max_flash_ratio"])
    floor = 100 * (base.int8_accuracy - float(result.settings["max_accuracy_drop"]))
    axes[0].axvspan(0, limit_kb, ymin=0, ymax=1, color="tab:green", alpha=0.06)
    axes[0].axhline(floor, color="tab:green", linewidth=0.8, linestyle=":", label="criterion (shaded, above line)")
    for p in result.points:  # sparse points: where compressed storage would put them
        if p.weight_sparsity >= 0.2:
            x0, x1, y = p.flash_bytes / 1024, p.compressed_bytes / 1024, 100 * p.int8_accuracy
            axes[0].annotate("", (x1, y), (x0, y), arrowprops={"arrowstyle": "->", "color": "tab:gray"})
            axes[0].scatter(x1, y, s=45, facecolors="none", edgecolors="tab:gray", zorder=3)
            axes[0].annotate("zlib", (x1, y), textcoords="offset points", xytext=(-8, -12), fontsize=7)
    axes[0].legend(loc="best", fontsize=8)
    fig.suptitle(
        f"Keyword spotting optimization sweep (baseline {result.baseline}, red; meeting the criterion: green stars)",
        fontsize=10,
    )
    return save_figure(fig, path)


def _front(points: list[SweepPoint], x_of) -> list[SweepPoint]:
    """Points no other point beats on both axes (lower x, higher accuracy)."""
    return [
        p
        for p in points
        if not any(
            x_of(q) <= x_of(p)
            and q.int8_accuracy >= p.int8_accuracy
            and (x_of(q) < x_of(p) or q.int8_accuracy > p.int8_accuracy)
            for q in points
        )
    ]
