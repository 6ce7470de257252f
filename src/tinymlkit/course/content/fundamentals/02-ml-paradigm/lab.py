# %% [markdown]
# # Lab: loss by hand, gradient descent and your first neuron
#
# In this lab you measure how wrong a guess is, improve the guess with gradient descent, and train a
# one-neuron network that you then run as an int8 model in TensorFlow Lite for Microcontrollers (TFLM).
#
# Cells marked **Exercise** are graded: fill them in, then run `tinyml course check c1-first-neuron`.
# Keep the function names and arguments as they are.

# %%
# Everything from TinyML Kit this lab uses, in one place.
import os

import matplotlib.pyplot as plt
import numpy as np
import tensorflow as tf

from tinymlkit.convert.quantize import to_int8
from tinymlkit.runtime.tflm import TFLMModel

FAST = os.environ.get("TINYML_COURSE_FAST") == "1"  # set by the course's automatic tests: fewer epochs
tf.keras.utils.set_random_seed(0)

# %% [markdown]
# ## 1. The data and a guess
# Six examples of an unknown rule. Your first guess is the line y = 10x + 10.

# %%
xs = np.array([-1.0, 0.0, 1.0, 2.0, 3.0, 4.0])
ys = np.array([-3.0, -1.0, 1.0, 3.0, 5.0, 7.0])
guess = 10 * xs + 10
plt.scatter(xs, ys, label="examples")
plt.plot(xs, guess, "--", label="guess y = 10x + 10")
plt.legend()
plt.show()

# %% [markdown]
# ## Exercise `loss`: mean squared error by hand
# Return the average of the squared differences between `y_true` and `y_pred`, as a float.
# Use NumPy (`np.mean`), no loops needed.


# %% exercise="loss"
def mean_squared_error(y_true, y_pred):
    y_true = np.asarray(y_true, dtype=float)
    y_pred = np.asarray(y_pred, dtype=float)
    raise NotImplementedError  # your code here


# %%
for w, b in [(10, 10), (3, 0), (2, -1)]:
    print(f"guess y = {w}x + {b}: loss {mean_squared_error(ys, w * xs + b):.2f}")

# %% [markdown]
# The true rule has a loss of zero. Try a few guesses of your own: can you find it by hand?
#
# ## Exercise `gradient-step`: one step downhill
# Inside `with tf.GradientTape() as tape:` compute the predictions `w * x + b` and their mean squared error
# (`tf.reduce_mean(tf.square(...))`). Then `tape.gradient(loss, [w, b])` gives the two gradients. Return the
# new `w` and `b` as Python floats: `w - learning_rate * dw`, `b - learning_rate * db`.


# %% exercise="gradient-step"
def gradient_step(w, b, x, y, learning_rate):
    w = tf.Variable(float(w))
    b = tf.Variable(float(b))
    x = tf.constant(x, dtype=tf.float32)
    y = tf.constant(y, dtype=tf.float32)
    raise NotImplementedError  # your code here


# %% [markdown]
# Fifty steps from w = 10, b = 10 with a learning rate of 0.09:

# %%
w, b = 10.0, 10.0
path = [(w, b)]
for epoch in range(50):
    w, b = gradient_step(w, b, xs, ys, 0.09)
    path.append((w, b))
print(f"after 50 steps: w = {w:.3f}, b = {b:.3f} (the true rule: w = 2, b = -1)")
losses = [mean_squared_error(ys, pw * xs + pb) for pw, pb in path]
plt.plot(losses)
plt.yscale("log")
plt.xlabel("step")
plt.ylabel("loss")
plt.show()

# %% [markdown]
# ## Exercise `first-model` (assignment): your first neural network
# Build a `tf.keras.Sequential` model that takes **one number** in (`tf.keras.Input(shape=(1,))`) and has one
# `tf.keras.layers.Dense` layer with **one** unit. Compile it with the `"sgd"` optimizer and the
# **mean squared error** loss (`"mean_squared_error"`), and return it.


# %% exercise="first-model"
def build_first_model():
    raise NotImplementedError  # your code here


# %%
model = build_first_model()
history = model.fit(xs, ys, epochs=50 if FAST else 500, verbose=0)
print(f"final loss {history.history['loss'][-1]:.5f}")
print("prediction for x = 10:", float(model.predict(np.array([[10.0]]), verbose=0)[0, 0]))

# %% [markdown]
# Close to 19, not exactly 19: the network learned from six points only.
#
# ## 2. The neuron as int8 in TFLM
# A microcontroller runs 8-bit integers. Convert the model (a few example inputs calibrate the integer
# ranges) and run it in TFLM, the runtime the board uses.

# %%
int8_model = to_int8(model, np.linspace(-1, 10, 50, dtype=np.float32).reshape(-1, 1))
tflm = TFLMModel(int8_model)
print(f"int8 model: {len(int8_model)} bytes, tensor arena {tflm.arena_size} bytes")
print("TFLM prediction for x = 10:", float(tflm.predict(np.array([[10.0]], dtype=np.float32))[0, 0]))
