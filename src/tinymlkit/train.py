"""Training around Keras ``fit``: fixed seeds, early stopping on validation, progress through a callback."""

from dataclasses import dataclass, field

import keras
import numpy as np

from tinymlkit.progress import ProgressCallback, ProgressEvent, silent
from tinymlkit.validate import bounded, check_fields, seed_field


@dataclass(frozen=True)
class TrainConfig:
    """How to train: epochs (an upper bound with early stopping), batch size, learning rate, seed.

    ``decay`` lowers the learning rate batch by batch along a cosine, from ``learning_rate`` at the start to
    zero after ``epochs``: short trainings end settled instead of still jumping about.
    """

    epochs: int = bounded(30, 1, 100_000, why="more epochs than that never help")
    batch_size: int = bounded(64, 1, 65_536, flag="--batch-size", why="larger batches do not fit in memory")
    learning_rate: float = bounded(1e-3, above=0, max=10.0, flag="--lr", why="larger rates only diverge")
    patience: int = bounded(6, 0, 100_000)
    seed: int = seed_field()
    decay: bool = False

    def __post_init__(self) -> None:
        check_fields(self)


@dataclass
class TrainResult:
    """What training did: epochs run, the best epoch (whose weights the model keeps) and the history."""

    epochs_run: int
    best_epoch: int
    history: dict[str, list[float]] = field(default_factory=dict)


def seed_everything(seed: int) -> None:
    """Make weight initialization, shuffling, dropout and layer names repeatable. Call before building the model."""
    import tensorflow as tf

    keras.backend.clear_session()  # also restarts automatic layer names, which end up in the .tflite
    keras.utils.set_random_seed(seed)
    tf.config.experimental.enable_op_determinism()


def fit(
    model,
    train: tuple[np.ndarray, np.ndarray],
    validation: tuple[np.ndarray, np.ndarray] | None,
    config: TrainConfig = TrainConfig(),
    progress: ProgressCallback = silent,
    monitor: str = "val_loss",
    extra_callbacks: list | None = None,
) -> TrainResult:
    """Train a compiled Keras model; keep the weights of the epoch with the best ``monitor`` value.

    ``extra_callbacks`` (e.g. pruning) run alongside the progress and early-stopping callbacks."""
    callbacks: list = [_ProgressCallback(progress, config.epochs), *(extra_callbacks or [])]
    if config.decay:
        steps = config.epochs * -(-len(train[0]) // config.batch_size)
        callbacks.append(_CosineDecay(config.learning_rate, steps))
    if validation is not None and len(validation[0]):
        callbacks.append(
            keras.callbacks.EarlyStopping(monitor=monitor, patience=config.patience, restore_best_weights=True)
        )
    else:
        validation = None
    history = model.fit(
        train[0],
        train[1],
        validation_data=validation,
        epochs=config.epochs,
        batch_size=config.batch_size,
        shuffle=True,
        verbose=0,
        callbacks=callbacks,
    )
    h = {k: [float(v) for v in vals] for k, vals in history.history.items()}
    key = monitor if monitor in h else "loss"
    best = int(np.argmin(h[key]) if "loss" in key else np.argmax(h[key])) + 1
    progress(ProgressEvent("Training", config.epochs, config.epochs, _info(h, len(h[key]) - 1)))
    return TrainResult(epochs_run=len(h[key]), best_epoch=best, history=h)


def _info(history: dict[str, list[float]], epoch: int) -> str:
    parts = []
    for key in ("loss", "accuracy", "val_loss", "val_accuracy"):
        if key in history and epoch < len(history[key]):
            parts.append(f"{key} {history[key][epoch]:.3f}")
    return "  ".join(parts)


class _ProgressCallback(keras.callbacks.Callback):
    def __init__(self, progress: ProgressCallback, epochs: int):
        super().__init__()
        self._progress, self._epochs = progress, epochs
        self._history: dict[str, list[float]] = {}

    def on_epoch_end(self, epoch, logs=None):
        for k, v in (logs or {}).items():
            self._history.setdefault(k, []).append(float(v))
        self._progress(ProgressEvent("Training", epoch + 1, self._epochs, _info(self._history, epoch)))


class _CosineDecay(keras.callbacks.Callback):
    """Sets the optimizer's learning rate before each batch: ``peak * (1 + cos(pi * step / steps)) / 2``."""

    def __init__(self, peak: float, steps: int):
        super().__init__()
        self._peak, self._steps, self._step = peak, max(1, steps), 0

    def on_train_batch_begin(self, batch, logs=None):
        rate = self._peak * 0.5 * (1.0 + np.cos(np.pi * min(self._step, self._steps) / self._steps))
        self.model.optimizer.learning_rate.assign(rate)
        self._step += 1
