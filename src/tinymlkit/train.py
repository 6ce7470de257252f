"""Training around Keras ``fit``: fixed seeds, early stopping on validation, progress through a callback."""

from dataclasses import dataclass, field
from functools import cache

import numpy as np

from tinymlkit.progress import ProgressCallback, ProgressEvent, silent
from tinymlkit.settings import SEED_MAX, setting, validate


@dataclass(frozen=True)
class TrainConfig:
    """How to train: epochs (an upper bound with early stopping), batch size, learning rate, seed.

    ``decay`` lowers the learning rate batch by batch along a cosine, from ``learning_rate`` at the start to
    zero after ``epochs``: short trainings end settled instead of still jumping about. With it, early stopping can
    end a run and restore early weights before the rate has fallen; ``early_stopping=False`` runs every epoch and
    keeps the last weights.
    """

    epochs: int = setting(
        30,
        help="Maximum epochs (fewer where early stopping on validation loss ends training).",
        min=1,
        max=100_000,
        why="more epochs than that never help",
    )
    batch_size: int = setting(
        64, help="Examples per training step.", min=1, max=65_536, why="larger batches do not fit in memory"
    )
    learning_rate: float = setting(
        1e-3,
        help="Adam's learning rate (the peak one with cosine decay).",
        positive=True,
        max=10.0,
        why="larger rates only diverge",
        flag="--learning-rate",
    )
    patience: int = setting(
        6, help="Epochs without a better validation loss before training stops.", min=0, max=100_000
    )
    seed: int = setting(
        0,
        help="Not read: a run's seed is its application config's seed (kept for old callers).",
        min=0,
        max=SEED_MAX,
        why="seeds are unsigned 32-bit numbers",
        cli=False,
    )
    decay: bool = setting(False, help="Cosine decay of the learning rate to zero over the epochs.", cli=False)
    early_stopping: bool = setting(
        True,
        help="Stop when the validation loss has not improved for ``patience`` epochs and keep the best epoch's "
        "weights; off: run every epoch and keep the last.",
        cli=False,
    )

    def __post_init__(self) -> None:
        validate(self)


@dataclass
class TrainResult:
    """What training did: epochs run, the best epoch (whose weights the model keeps) and the history."""

    epochs_run: int
    best_epoch: int
    history: dict[str, list[float]] = field(default_factory=dict)


def seed_everything(seed: int) -> None:
    """Make weight initialization, shuffling, dropout and layer names repeatable. Call before building the model."""
    import keras
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
    """Train a compiled Keras model; keep the weights of the epoch with the best ``monitor`` value, or with
    ``config.early_stopping`` off or no validation data those of the last epoch.

    ``extra_callbacks`` (e.g. pruning) run alongside the progress and early-stopping callbacks."""
    import keras

    progress_callback, cosine_decay = _callbacks()
    callbacks: list = [progress_callback(progress, config.epochs), *(extra_callbacks or [])]
    if config.decay:
        steps = config.epochs * -(-len(train[0]) // config.batch_size)
        callbacks.append(cosine_decay(config.learning_rate, steps))
    if validation is None or not len(validation[0]):
        validation = None
    stops_early = validation is not None and config.early_stopping
    if stops_early:
        callbacks.append(
            keras.callbacks.EarlyStopping(monitor=monitor, patience=config.patience, restore_best_weights=True)
        )
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
    if stops_early:
        best = int(np.argmin(h[key]) if "loss" in key else np.argmax(h[key])) + 1
    else:
        best = len(h[key])  # no early stopping: the last epoch's weights are kept
    progress(ProgressEvent("Training", config.epochs, config.epochs, _info(h, len(h[key]) - 1)))
    return TrainResult(epochs_run=len(h[key]), best_epoch=best, history=h)


def _info(history: dict[str, list[float]], epoch: int) -> str:
    parts = []
    for key in ("loss", "accuracy", "val_loss", "val_accuracy"):
        if key in history and epoch < len(history[key]):
            parts.append(f"{key} {history[key][epoch]:.3f}")
    return "  ".join(parts)


@cache
def _callbacks() -> tuple[type, type]:
    """The Keras callback classes (defined on first use, so importing this module does not import Keras)."""
    import keras

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

    return _ProgressCallback, _CosineDecay
