# %% [markdown]
# # Lab: a forward pass by hand and a digits classifier
#
# You compute what a small network does with NumPy, then train a classifier for hand-written digits,
# normalise its inputs, stop its training at the right time, and run it as int8 in TFLM.
#
# Cells marked **Exercise** are graded: `tinyml course check c1-digits-dnn`.

# %%
# Everything from TinyML Kit this lab uses, in one place.
import os

import matplotlib.pyplot as plt
import numpy as np
import tensorflow as tf

from tinymlkit.course.datasets import digits
from tinymlkit.convert.quantize import to_int8
from tinymlkit.runtime.tflm import TFLMModel

FAST = os.environ.get("TINYML_COURSE_FAST") == "1"  # set by the course's automatic tests: fewer epochs
tf.keras.utils.set_random_seed(0)

# %% [markdown]
# ## 1. A forward pass by hand
# A network with 3 inputs, a hidden layer of 4 ReLU neurons and 2 outputs. Keras gives us random weights;
# you compute its output yourself.

# %%
small = tf.keras.Sequential([
    tf.keras.Input(shape=(3,)),
    tf.keras.layers.Dense(4, activation="relu"),
    tf.keras.layers.Dense(2),
])
(w1, b1), (w2, b2) = [layer.get_weights() for layer in small.layers]
print("W1", w1.shape, "b1", b1.shape, "W2", w2.shape, "b2", b2.shape)

# %% [markdown]
# ## Exercise `forward-pass`
# `x` holds one example per row. Compute `hidden = ReLU(x @ w1 + b1)` (ReLU: `np.maximum(0, z)`), then
# `hidden @ w2 + b2`, and return it.

# %% exercise="forward-pass"
def forward_pass(x, w1, b1, w2, b2):
    raise NotImplementedError  # your code here


# %%
x = np.random.default_rng(1).normal(size=(5, 3)).astype(np.float32)
print("yours:", forward_pass(x, w1, b1, w2, b2)[0])
print("Keras:", small(x).numpy()[0])

# %% [markdown]
# ## 2. The digits
# 8x8 images, pixel values 0 to 16, labels 0 to 9 (scikit-learn's bundled copy: no download).

# %%
data = digits(seed=0)
fig, axes = plt.subplots(1, 8, figsize=(8, 1.4))
for ax, image, label in zip(axes, data.x_train, data.y_train):
    ax.imshow(image, cmap="gray_r")
    ax.set_title(int(label))
    ax.axis("off")
plt.show()
print("training images", data.x_train.shape, "test images", data.x_test.shape)

# %% [markdown]
# ## Exercise `normalise`
# Return the images as `float32` values from 0 to 1 (the largest pixel value is 16).

# %% exercise="normalise"
def normalise(images):
    raise NotImplementedError  # your code here


# %% [markdown]
# ## Exercise `digits-model` (assignment)
# Build and compile a classifier: input shape `(8, 8)`, a `Flatten` layer, one or two hidden `Dense` layers
# with ReLU (try 20 units), and a `Dense(10, activation="softmax")` output. Compile it with the `"adam"`
# optimizer, the `"sparse_categorical_crossentropy"` loss and `metrics=["accuracy"]`.

# %% exercise="digits-model"
def build_digits_model():
    raise NotImplementedError  # your code here


# %% [markdown]
# ## Exercise `early-stopping`
# Return `tf.keras.callbacks.EarlyStopping` that monitors `"val_loss"`, has `patience=3` and restores the
# best weights.

# %% exercise="early-stopping"
def early_stopping():
    raise NotImplementedError  # your code here


# %% [markdown]
# ## 3. Train with a validation set and early stopping

# %%
x_train, x_test = normalise(data.x_train), normalise(data.x_test)
model = build_digits_model()
history = model.fit(x_train, data.y_train, validation_split=0.2, epochs=5 if FAST else 100,
                    callbacks=[early_stopping()], verbose=0)
print(f"stopped after {len(history.history['loss'])} epochs")
plt.plot(history.history["loss"], label="training loss")
plt.plot(history.history["val_loss"], label="validation loss")
plt.xlabel("epoch")
plt.legend()
plt.show()
loss, accuracy = model.evaluate(x_test, data.y_test, verbose=0)
print(f"float model: test accuracy {accuracy:.3f}")

# %% [markdown]
# ## 4. As int8, in TFLM

# %%
int8_model = to_int8(model, x_train)
tflm = TFLMModel(int8_model)
scores = tflm.predict(x_test)
int8_accuracy = float(np.mean(scores.argmax(axis=1) == data.y_test))
print(f"int8 model: {len(int8_model):,} bytes, arena {tflm.arena_size:,} bytes, test accuracy {int8_accuracy:.3f}")

# %% [markdown]
# **Try it**: make the hidden layer wider (64) or add a second one. Does the test accuracy change? And the
# model size? Remove the normalisation (train on 0..16 values): what happens to training?
