"""Full-integer post-training quantization: a Keras model to an int8 .tflite that TFLM runs.

Every tensor, the input and the output included, becomes int8; a representative data set calibrates the
activation ranges. (``Optimize.DEFAULT`` without one would silently give a dynamic-range "hybrid" model,
which TFLM rejects.)
"""

import contextlib
import io
import warnings

import numpy as np

from tinymlkit.convert.native_output import captured_native_stderr
from tinymlkit.errors import TinyMLError
from tinymlkit.progress import ProgressCallback, ProgressEvent, silent

CALIBRATION_EXAMPLES = 300


def to_int8(
    model,
    representative: np.ndarray,
    input_range: tuple[float, float] | None = None,
    progress: ProgressCallback = silent,
) -> bytes:
    """Convert ``model`` to an int8 .tflite flatbuffer, calibrated on up to 300 ``representative`` inputs.

    ``input_range`` pins the input quantization to a known range (for micro_speech features, so the model takes
    the same int8 input as the micro_speech firmware): calibration inputs are clipped to it and one example
    spanning it is added. Inputs outside the range then saturate, as they do on the device.
    """
    import tensorflow as tf

    if len(representative) == 0:
        raise TinyMLError("no representative examples to calibrate int8 quantization; check the training data")
    rng = np.random.default_rng(0)
    pick = rng.choice(len(representative), size=min(CALIBRATION_EXAMPLES, len(representative)), replace=False)
    examples = [np.asarray(representative[i], dtype=np.float32) for i in sorted(pick)]
    if input_range is not None:
        examples = [np.clip(x, *input_range) for x in examples]
        anchor = np.full_like(examples[0], input_range[0])
        anchor.flat[::2] = input_range[1]
        examples.append(anchor)

    def dataset():
        for i, x in enumerate(examples):
            if i % 50 == 0:
                progress(ProgressEvent("Quantizing to int8", i, len(examples)))
            yield [x[None]]

    # A fixed batch of one gives static shapes: a Reshape stays one RESHAPE op instead of SHAPE, STRIDED_SLICE,
    # PACK and RESHAPE, and the input tensor has the shape the firmware expects, e.g. [1, 1960].
    import keras

    single = keras.Input(model.input_shape[1:], batch_size=1, name="input")
    converter = tf.lite.TFLiteConverter.from_keras_model(keras.Model(single, model(single, training=False)))
    converter.optimizations = [tf.lite.Optimize.DEFAULT]
    converter.representative_dataset = dataset
    converter.target_spec.supported_ops = [tf.lite.OpsSet.TFLITE_BUILTINS_INT8]
    converter.inference_input_type = tf.int8
    converter.inference_output_type = tf.int8
    try:  # the converter prints where it saved its temporary model and warns about input statistics
        with contextlib.redirect_stdout(io.StringIO()), captured_native_stderr(), warnings.catch_warnings():
            warnings.simplefilter("ignore")
            flatbuffer = converter.convert()
    except Exception as exc:  # the converter's errors are long; keep the first line
        first = str(exc).strip().splitlines()[0][:160] if str(exc).strip() else type(exc).__name__
        raise TinyMLError(f"int8 conversion failed ({first}); use layers that have int8 TFLite kernels") from None
    progress(ProgressEvent("Quantizing to int8", len(examples), len(examples)))
    return bytes(flatbuffer)
