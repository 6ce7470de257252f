"""Checks of the lab c2-conversion."""

import numpy as np

from tinymlkit.course.checks import ARENA, Checker


def _small_model(t: Checker):
    import tensorflow as tf

    tf.keras.utils.set_random_seed(int(t.rng.integers(1 << 30)))
    n_in = int(t.rng.integers(3, 9))
    model = tf.keras.Sequential([tf.keras.Input((n_in,)), tf.keras.layers.Dense(int(t.rng.integers(4, 12)),
                                 activation="relu"), tf.keras.layers.Dense(3)])
    return model, n_in


def _reference_run(model_bytes, x):
    import tensorflow as tf

    interpreter = tf.lite.Interpreter(model_content=model_bytes)
    interpreter.allocate_tensors()
    i, o = interpreter.get_input_details()[0]["index"], interpreter.get_output_details()[0]["index"]
    out = []
    for example in np.asarray(x, dtype=np.float32):
        interpreter.set_tensor(i, example[None])
        interpreter.invoke()
        out.append(interpreter.get_tensor(o)[0])
    return np.stack(out)


def check_convert_float(t: Checker) -> None:
    from tinymlkit.runtime.model_file import read_model

    fn = t.function("convert_float")
    model, n_in = _small_model(t)
    ok, got = t.call("converts a random model", fn, model, hint="return converter.convert()")
    if not ok:
        return
    if not t.true("returns a .tflite flatbuffer", isinstance(got, bytes) and got[4:8] == b"TFL3", "bytes with the "
                  "TFL3 identifier", type(got).__name__, "return the bytes that converter.convert() gives"):
        return
    info = read_model(got)
    weight_types = sorted({w.dtype for w in info.tensors if w.constant and len(w.shape) >= 2})
    t.true("float32 model (no optimization)", info.input_tensors[0].dtype == "float32" and weight_types == ["float32"],
           "float32 input and weights", f"input {info.input_tensors[0].dtype}, weights {weight_types}",
           "do not set converter.optimizations or supported_types for the float model")
    x = t.rng.normal(size=(6, n_in)).astype(np.float32)
    t.close("same outputs as Keras on random inputs", _reference_run(got, x), model(x).numpy(),
            "convert the model you are given", rtol=1e-4, atol=1e-5)


def check_interpreter(t: Checker) -> None:
    import tensorflow as tf

    fn = t.function("run_tflite")
    model, n_in = _small_model(t)
    model_bytes = tf.lite.TFLiteConverter.from_keras_model(model).convert()
    batch = int(t.rng.integers(3, 10))
    x = t.rng.normal(size=(batch, n_in)).astype(np.float32)
    ok, got = t.call("runs a random model", fn, model_bytes, x,
                     hint="set_tensor needs a batch of one: example[None]")
    if ok and t.is_array("one output row per example", got, (batch, 3), hint="np.stack the outputs: (batch, 3)"):
        t.close(f"outputs for {batch} random examples", got, _reference_run(model_bytes, x),
                "allocate_tensors(), then for each example set_tensor, invoke, get_tensor(output)[0]")


def check_convert_int8(t: Checker) -> None:
    import tensorflow as tf

    from tinymlkit.course.datasets import digits
    from tinymlkit.runtime.model_file import read_model
    from tinymlkit.runtime.tflm import TFLMModel

    fn = t.function("convert_int8")
    tf.keras.utils.set_random_seed(int(t.rng.integers(1 << 30)))
    data = digits(seed=int(t.rng.integers(1, 1 << 30)))
    x, x_test = data.x_train / 16.0, data.x_test / 16.0
    model = tf.keras.Sequential([tf.keras.Input((8, 8)), tf.keras.layers.Flatten(),
                                 tf.keras.layers.Dense(32, activation="relu"),
                                 tf.keras.layers.Dense(10, activation="softmax")])
    model.compile("adam", "sparse_categorical_crossentropy")
    model.fit(x, data.y_train, epochs=20, verbose=0)
    float_accuracy = float(np.mean(model.predict(x_test, verbose=0).argmax(1) == data.y_test))
    ok, got = t.call("converts a trained digits model", fn, model, x.astype(np.float32))
    if not ok or not t.true("returns a .tflite flatbuffer", isinstance(got, bytes) and got[4:8] == b"TFL3",
                            "bytes", type(got).__name__, "return converter.convert()"):
        return
    info = read_model(got)
    if not t.true("not a dynamic-range (hybrid) model", not info.is_hybrid, "int8 activations",
                  "float activations with int8 weights", "give the converter a representative_dataset"):
        return
    if not t.true("int8 input and output", info.input_tensors[0].dtype == "int8" and info.output_tensors[0].dtype == "int8",
                  "int8 / int8", f"{info.input_tensors[0].dtype} / {info.output_tensors[0].dtype}",
                  "converter.inference_input_type = converter.inference_output_type = tf.int8"):
        return
    accuracy = float(np.mean(TFLMModel(got, arena_size=ARENA).predict(x_test).argmax(1) == data.y_test))
    t.at_least(f"TFLM int8 accuracy within 3 points of float ({float_accuracy:.3f})", accuracy, float_accuracy - 0.03,
               "calibrate with examples like the training inputs (normalised the same way)")


def check_ptq(t: Checker) -> None:
    fn = t.function("quantize_tensor")
    w = t.rng.normal(t.rng.uniform(-0.2, 0.2), t.rng.uniform(0.05, 0.5), size=(int(t.rng.integers(5, 40)), 7))
    ok, got = t.call("quantizes a random tensor", fn, w.copy())
    if not ok or not t.true("returns (q, scale, zero_point)", isinstance(got, (tuple, list)) and len(got) == 3,
                            "three values", repr(type(got)), "return q, scale, zero_point"):
        return
    q, scale, zero_point = got
    scale_ref = (w.max() - w.min()) / 255
    zp_ref = int(round(-128 - w.min() / scale_ref))
    if not t.is_array("q is an int8 array of the same shape", q, w.shape, np.int8, "q = np.clip(...).astype(np.int8)"):
        return
    t.close("scale = (max - min) / 255", scale, scale_ref, "the 256 steps cover the range max - min")
    t.equal("zero point", int(zero_point), zp_ref, "zero_point = round(-128 - min / scale), so min maps to -128")
    t.equal("q values", q, np.clip(np.round(w / scale_ref) + zp_ref, -128, 127).astype(np.int8),
            "q = clip(round(w / scale) + zero_point, -128, 127)")


CHECKS = {"convert-float": check_convert_float, "interpreter": check_interpreter, "convert-int8": check_convert_int8,
          "ptq": check_ptq}
