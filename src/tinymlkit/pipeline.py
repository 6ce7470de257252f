"""The steps every application shares after training: int8 conversion, TFLM verification, deployment files.

An application recipe (see ``apps/``) loads its data, computes its device features and trains its Keras model,
then calls :func:`verify_int8` and :func:`package`, and fills a :class:`~tinymlkit.report.ModelReport`.
"""

import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import numpy as np

from tinymlkit.data.dataset import Dataset
from tinymlkit.data.split import SPLITS
from tinymlkit.progress import ProgressCallback, silent
from tinymlkit.report import DataSummary, ModelSummary
from tinymlkit.runtime.tflm import HOST_POINTER_NOTE, TFLMModel, measure_arena


@dataclass
class Int8Result:
    """An int8 model and its outputs on the test inputs, both from the TFLM interpreter."""

    tflite: bytes
    tflm: TFLMModel
    outputs: np.ndarray  # dequantized outputs on the test inputs

    def summary(self, family: str, parameters: int) -> ModelSummary:
        return ModelSummary(
            family=family,
            parameters=parameters,
            flash_bytes=len(self.tflite),
            arena_bytes=self.tflm.arena_size,
            ops=self.tflm.info.op_names,
            input_shape=list(self.tflm.input.shape),
            input_scale=self.tflm.input.scale,
            input_zero_point=self.tflm.input.zero_point,
            output_scale=self.tflm.output.scale,
            output_zero_point=self.tflm.output.zero_point,
            arena_note=HOST_POINTER_NOTE,
        )


def verify_int8(
    model,
    representative: np.ndarray,
    test_inputs: np.ndarray,
    input_range: tuple[float, float] | None = None,
    progress: ProgressCallback = silent,
) -> Int8Result:
    """Quantize ``model`` to int8, measure its arena in TFLM, and run the test inputs through TFLM."""
    from tinymlkit.optimize.quantize import to_int8

    tflite = to_int8(model, representative, input_range=input_range, progress=progress)
    tflm = TFLMModel(tflite, arena_size=measure_arena(tflite, progress))
    return Int8Result(tflite, tflm, tflm.predict(test_inputs, progress))


def summarize_data(data: Dataset, source: str) -> DataSummary:
    """Counts per split and label, distinct groups per split, and the loader's notes."""
    return DataSummary(
        source=source,
        labels=list(data.labels),
        counts=data.counts(),
        groups={s: int(len(set(data.group[data.split == s]))) for s in SPLITS},
        notes=dict(data.notes),
    )


class Stopwatch:
    """Times named stages: ``with watch("train"): ...``; ``watch.seconds`` maps stage to seconds."""

    def __init__(self) -> None:
        self.seconds: dict[str, float] = {}

    @contextmanager
    def __call__(self, stage: str) -> Iterator[None]:
        start = time.perf_counter()
        try:
            yield
        finally:
            self.seconds[stage] = round(self.seconds.get(stage, 0.0) + time.perf_counter() - start, 2)


def count_parameters(model) -> int:
    """Trainable and non-trainable parameters of a Keras model."""
    return int(model.count_params())
