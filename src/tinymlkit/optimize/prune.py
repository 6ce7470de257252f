"""Magnitude pruning with fine-tuning: the smallest weights become exactly zero, and training recovers accuracy.

    result = prune(model, (x_train, y_train), PruneSchedule(target=0.75), TrainConfig(epochs=4))
    tflite = to_int8(result.model, x_train)
    weight_sparsity(tflite), compressed_size(tflite)     # zeros survive int8 (weights are symmetric, zero point 0)

:class:`MagnitudePruning` is a Keras callback: every ``frequency`` steps it sets the kernel of each convolution,
depthwise convolution and fully connected layer to zero below the magnitude that gives the scheduled sparsity for
that layer, and keeps those weights at zero after every step. The sparsity follows :class:`PruneSchedule`:
``constant`` (the target from ``begin_step``) or ``polynomial`` (rising from 0 to the target between
``begin_step`` and ``end_step`` as 1 - (1 - t)^power, pruning hard early and gently at the end).

TFLM stores tensors dense, so zeros alone do not shrink the flash image. They make it compress well: the zlib size
of the .tflite is a proxy for a sparse storage format (or for a compressed model image on the device).
"""

import zlib
from dataclasses import dataclass

import keras
import numpy as np

from tinymlkit.errors import TinyMLError
from tinymlkit.progress import ProgressCallback, silent
from tinymlkit.recipe import Classification
from tinymlkit.train import TrainConfig, TrainResult

PRUNABLE = (keras.layers.Conv2D, keras.layers.DepthwiseConv2D, keras.layers.Dense)
SCHEDULES = ("polynomial", "constant")


@dataclass(frozen=True)
class PruneSchedule:
    """How sparse the kernels are at each training step. ``end_step`` None means 3/4 of the training steps."""

    target: float = 0.5
    kind: str = "polynomial"
    begin_step: int = 0
    end_step: int | None = None
    frequency: int = 20
    power: float = 3.0

    def check(self) -> None:
        if not 0.0 <= self.target < 1.0:
            raise TinyMLError(f"target sparsity must be in [0, 1), got {self.target}; e.g. 0.75 zeros 75 % of weights")
        if self.kind not in SCHEDULES:
            raise TinyMLError(f"unknown pruning schedule '{self.kind}'; choose one of: {', '.join(SCHEDULES)}")
        if self.frequency < 1 or self.begin_step < 0:
            raise TinyMLError("pruning frequency must be >= 1 step and begin_step >= 0")

    def sparsity(self, step: int, total_steps: int) -> float:
        """The scheduled fraction of zero weights at training ``step`` of ``total_steps``."""
        if step < self.begin_step:
            return 0.0
        if self.kind == "constant":
            return self.target
        end = self.end_step if self.end_step is not None else max(self.begin_step + 1, int(0.75 * total_steps))
        t = min(1.0, (step - self.begin_step) / max(1, end - self.begin_step))
        return self.target * (1.0 - (1.0 - t) ** self.power)


def magnitude_mask(kernel: np.ndarray, sparsity: float) -> np.ndarray:
    """1 for the weights to keep, 0 for the ``sparsity`` fraction with the smallest magnitude."""
    drop = int(round(sparsity * kernel.size))
    mask = np.ones(kernel.size, dtype=kernel.dtype)
    if drop:
        mask[np.argsort(np.abs(kernel), axis=None, kind="stable")[:drop]] = 0
    return mask.reshape(kernel.shape)


class MagnitudePruning(keras.callbacks.Callback):
    """Prune the kernels of ``layers`` by magnitude on ``schedule`` during ``fit`` (see the module docstring)."""

    def __init__(self, layers: list, schedule: PruneSchedule, total_steps: int):
        super().__init__()
        schedule.check()
        self.layers, self.schedule, self.total_steps = layers, schedule, total_steps
        self.masks: list[np.ndarray | None] = [None] * len(layers)
        self.step = 0

    def on_train_batch_begin(self, batch, logs=None):
        if self.step % self.schedule.frequency == 0 or self.masks[0] is None:
            self.update_masks(self.schedule.sparsity(self.step, self.total_steps))

    def on_train_batch_end(self, batch, logs=None):
        self.step += 1
        self.apply()

    def on_train_end(self, logs=None):
        self.update_masks(self.schedule.target)  # the final model has exactly the target sparsity

    def update_masks(self, sparsity: float) -> None:
        self.masks = [magnitude_mask(layer.kernel.numpy(), sparsity) for layer in self.layers]
        self.apply()

    def apply(self) -> None:
        for layer, mask in zip(self.layers, self.masks, strict=True):
            if mask is not None:
                layer.kernel.assign(layer.kernel * mask)


@dataclass
class PruneResult:
    """A pruned model (changed in place), the sparsity of its kernels, and how fine-tuning went."""

    model: keras.Model
    sparsity: float
    trained: TrainResult


def prunable_layers(model) -> list:
    """The layers whose kernels are pruned: convolutions, depthwise convolutions and fully connected layers."""
    return [layer for layer in model.layers if isinstance(layer, PRUNABLE)]


def prune(
    model,
    train: tuple[np.ndarray, np.ndarray],
    schedule: PruneSchedule = PruneSchedule(),
    config: TrainConfig = TrainConfig(epochs=4, learning_rate=5e-4),
    progress: ProgressCallback = silent,
) -> PruneResult:
    """Prune a trained softmax classifier in place while fine-tuning it for ``config.epochs`` epochs.

    There is no early stopping: restoring an earlier epoch's weights would undo pruning that came later.
    """
    from tinymlkit.train import fit

    schedule.check()
    if config.epochs < 1:
        raise TinyMLError(f"pruning needs at least 1 fine-tuning epoch, got {config.epochs}")
    layers = prunable_layers(model)
    if not layers:
        raise TinyMLError(f"model '{model.name}' has no convolution or dense layer to prune")
    steps = config.epochs * int(np.ceil(len(train[0]) / config.batch_size))
    pruning = MagnitudePruning(layers, schedule, steps)
    Classification().compile(model, config)
    trained = fit(model, train, None, config, progress, extra_callbacks=[pruning])
    return PruneResult(model, kernel_sparsity(model), trained)


def kernel_sparsity(model) -> float:
    """The fraction of exactly zero weights over the prunable kernels of a Keras model."""
    kernels = [layer.kernel.numpy() for layer in prunable_layers(model)]
    return float(sum((k == 0).sum() for k in kernels) / max(1, sum(k.size for k in kernels)))


def weight_sparsity(tflite: bytes) -> float:
    """The fraction of zeros over the int8 weight tensors (constant int8 tensors) of a .tflite model."""
    from tinymlkit.runtime.model_file import read_model

    info = read_model(tflite)
    zeros = total = 0
    for tensor in info.tensors:
        if tensor.constant and tensor.dtype == "int8":
            data = np.asarray(info.raw.buffers[info.raw.subgraphs[0].tensors[tensor.index].buffer].data, np.uint8)
            zeros, total = zeros + int((data == 0).sum()), total + data.size
    return zeros / total if total else 0.0


def compressed_size(tflite: bytes) -> int:
    """Bytes of the .tflite compressed with zlib (level 9): a proxy for sparse or compressed weight storage."""
    return len(zlib.compress(tflite, 9))
