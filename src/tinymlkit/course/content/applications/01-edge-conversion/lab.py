# %% [markdown]
# # Lab: convert, quantize and interpret a digits model
#
# You train a small digits classifier, convert it three ways (float, dynamic range, full int8), run the
# conversions with an interpreter you write, quantize weights by hand, and compare size and accuracy, with
# every int8 figure measured in TFLM.
#
# Cells marked **Exercise** are graded: `tinyml course check c2-conversion`.

# %%
# Everything from TinyML Kit this lab uses, in one place.
import os

import matplotlib.pyplot as plt
import numpy as np
import tensorflow as tf

from tinymlkit.course.datasets import digits
from tinymlkit.optimize.qat import quantization_aware_training
from tinymlkit.convert.quantize import to_int8
from tinymlkit.runtime.model_file import read_model
from tinymlkit.runtime.tflm import TFLMModel
from tinymlkit.train import TrainConfig

FAST = os.environ.get("TINYML_COURSE_FAST") == "1"  # set by the course's automatic tests: fewer epochs
tf.keras.utils.set_random_seed(0)

# %% [markdown]
# ## 1. A digits model to convert

# %%
data = digits(seed=0)
x_train, x_test = data.x_train[..., None] / 16.0, data.x_test[..., None] / 16.0
model = tf.keras.Sequential([
    tf.keras.Input(shape=(8, 8, 1)),
    tf.keras.layers.Conv2D(8, 3, activation="relu"),
    tf.keras.layers.Flatten(),
    tf.keras.layers.Dense(32, activation="relu"),
    tf.keras.layers.Dense(10, activation="softmax"),
])
model.compile("adam", "sparse_categorical_crossentropy", metrics=["accuracy"])
model.fit(x_train, data.y_train, epochs=3 if FAST else 30, verbose=0)
float_accuracy = model.evaluate(x_test, data.y_test, verbose=0)[1]
print(f"Keras float model: {model.count_params():,} parameters, test accuracy {float_accuracy:.3f}")

# %% [markdown]
# ## Exercise `convert-float`
# `tf.lite.TFLiteConverter.from_keras_model(model)`, then `.convert()`. Return the bytes.

# %% exercise="convert-float"
def convert_float(model):
    raise NotImplementedError  # your code here


# %% [markdown]
# ## Exercise `interpreter`
# `interpreter = tf.lite.Interpreter(model_content=model_bytes)`, `interpreter.allocate_tensors()`; the
# input and output indices are in `get_input_details()[0]["index"]` and `get_output_details()[0]["index"]`.
# For each example: `set_tensor(input_index, example[None])`, `invoke()`, `get_tensor(output_index)[0]`.

# %% exercise="interpreter"
def run_tflite(model_bytes, x):
    x = np.asarray(x, dtype=np.float32)
    raise NotImplementedError  # your code here


# %%
float_tflite = convert_float(model)
scores = run_tflite(float_tflite, x_test)
print(f"TFLite float: {len(float_tflite):,} bytes, accuracy {np.mean(scores.argmax(1) == data.y_test):.3f}")

# %% [markdown]
# ## 2. Dynamic range: smaller, but TFLM cannot run it
# With `optimizations = [tf.lite.Optimize.DEFAULT]` and no representative data, weights become int8 and the
# arithmetic stays float: a "hybrid" model. The toolkit's model reader spots it.

# %%
converter = tf.lite.TFLiteConverter.from_keras_model(model)
converter.optimizations = [tf.lite.Optimize.DEFAULT]
dynamic_tflite = converter.convert()
print(f"dynamic range: {len(dynamic_tflite):,} bytes, hybrid (TFLM rejects it): {read_model(dynamic_tflite).is_hybrid}")

# %% [markdown]
# ## Exercise `convert-int8` (assignment)
# Full integer: set `optimizations`, a `representative_dataset` (a function that yields `[example[None]]`
# for up to 200 examples, as float32), `target_spec.supported_ops = [tf.lite.OpsSet.TFLITE_BUILTINS_INT8]`,
# and `inference_input_type = inference_output_type = tf.int8`.

# %% exercise="convert-int8"
def convert_int8(model, representative):
    representative = np.asarray(representative, dtype=np.float32)
    raise NotImplementedError  # your code here


# %%
int8_tflite = convert_int8(model, x_train)
tflm = TFLMModel(int8_tflite)
int8_accuracy = float(np.mean(tflm.predict(x_test).argmax(1) == data.y_test))
print(f"full int8: {len(int8_tflite):,} bytes, {len(float_tflite) / len(int8_tflite):.1f}x smaller than float, "
      f"TFLM accuracy {int8_accuracy:.3f}, arena {tflm.arena_size:,} bytes")

# %% [markdown]
# ## Exercise `ptq`: quantization by hand
# Asymmetric 8-bit quantization: `scale = (max - min) / 255`, `zero_point = round(-128 - min / scale)`,
# `q = clip(round(w / scale) + zero_point, -128, 127)` as `np.int8`.

# %% exercise="ptq"
def quantize_tensor(w):
    w = np.asarray(w, dtype=np.float64)
    raise NotImplementedError  # your code here


# %%
kernel = model.layers[2].get_weights()[0]
q, scale, zero_point = quantize_tensor(kernel)
restored = scale * (q.astype(np.float64) - zero_point)
print(f"scale {scale:.5f}, zero point {zero_point}, largest error {np.abs(restored - kernel).max():.5f} "
      f"(half a step: {scale / 2:.5f})")

# %% [markdown]
# ## 3. The weights inside the int8 file
# The interpreter lists every tensor of the flatbuffer; the int8 weights are the 2-D (dense) and 4-D
# (convolution) tensors with more than one row (activations have a batch of one).

# %%
reader = tf.lite.Interpreter(model_content=int8_tflite)
reader.allocate_tensors()
weights = [reader.get_tensor(t["index"]) for t in reader.get_tensor_details()
           if t["dtype"] == np.int8 and len(t["shape"]) in (2, 4) and t["shape"][0] > 1]
plt.hist(np.concatenate([w.ravel() for w in weights]), bins=60)
plt.xlabel("int8 weight value")
plt.title("Most weights sit near 0")
plt.show()

# %% [markdown]
# ## 4. Quantization-aware training (toolkit)
# Fine-tune while the model sees int8 rounding, then convert as usual.

# %%
qat = quantization_aware_training(model, (x_train, data.y_train), None, TrainConfig(epochs=1 if FAST else 5))
qat_tflm = TFLMModel(to_int8(qat.model, x_train))
qat_accuracy = float(np.mean(qat_tflm.predict(x_test).argmax(1) == data.y_test))
print(f"float {float_accuracy:.3f} | PTQ int8 {int8_accuracy:.3f} | QAT int8 {qat_accuracy:.3f} (TFLM)")
