# %% [markdown]
# # Lab: convolution and pooling by hand, then a CNN for magic-wand gestures
#
# You write a convolution and a pooling step with NumPy and apply them to a photo, then compare a dense
# network with a CNN on magic-wand stroke images, add augmentation, and run your CNN as int8 in TFLM.
#
# Cells marked **Exercise** are graded: `tinyml course check c1-convolutions`.

# %%
# Everything from TinyML Kit this lab uses, in one place.
import os

import matplotlib.pyplot as plt
import numpy as np
import tensorflow as tf
from sklearn.datasets import load_sample_image

from tinymlkit.course.datasets import stroke_images
from tinymlkit.convert.quantize import to_int8
from tinymlkit.runtime.tflm import TFLMModel

FAST = os.environ.get("TINYML_COURSE_FAST") == "1"  # set by the course's automatic tests: less data, fewer epochs
tf.keras.utils.set_random_seed(0)

# %% [markdown]
# ## 1. A photo, in grayscale
# scikit-learn ships two sample photos (no download).

# %%
photo = load_sample_image("china.jpg").mean(axis=2)[::2, ::2]  # grayscale, half size
plt.imshow(photo, cmap="gray")
plt.title(f"{photo.shape[0]} x {photo.shape[1]} pixels")
plt.show()

# %% [markdown]
# ## Exercise `convolve`
# Slide the 3x3 kernel over the image; at each position where it fits, multiply element-wise and sum.
# Two nested loops over the output positions are fine: `image[r:r + 3, c:c + 3]` is the patch under the kernel.

# %% exercise="convolve"
def convolve(image, kernel):
    image = np.asarray(image, dtype=float)
    raise NotImplementedError  # your code here


# %%
vertical_edges = np.array([[-1, 0, 1], [-2, 0, 2], [-1, 0, 1]])
edges = convolve(photo, vertical_edges)
plt.imshow(np.abs(edges), cmap="gray")
plt.title(f"vertical edges, {edges.shape[0]} x {edges.shape[1]}")
plt.show()

# %% [markdown]
# ## Exercise `max-pool`
# Keep the largest value of each 2x2 block. Tip: `image.reshape(h // 2, 2, w // 2, 2)` groups the blocks;
# then take `.max` over axes 1 and 3.

# %% exercise="max-pool"
def max_pool(image):
    image = np.asarray(image)
    raise NotImplementedError  # your code here


# %%
pooled = max_pool(np.abs(edges)[: edges.shape[0] // 2 * 2, : edges.shape[1] // 2 * 2])
plt.imshow(pooled, cmap="gray")
plt.title(f"after 2x2 max pooling: {pooled.shape[0]} x {pooled.shape[1]}")
plt.show()

# %% [markdown]
# ## 2. Magic-wand strokes: dense network vs CNN
# Gestures "0" to "4" drawn by synthetic users; we train on some users and test on others.

# %%
x_train, y_train = stroke_images(users=8 if FAST else 40, repetitions=2 if FAST else 3, seed=1)
x_test, y_test = stroke_images(users=4 if FAST else 12, repetitions=2, seed=2)
x_train, x_test = x_train / 255.0, x_test / 255.0
fig, axes = plt.subplots(1, 5, figsize=(8, 1.8))
for ax, label in zip(axes, range(5)):
    ax.imshow(x_train[y_train == label][0])
    ax.set_title(f"gesture {label}")
    ax.axis("off")
plt.show()
print("train", x_train.shape, "test", x_test.shape)

# %%
epochs = 2 if FAST else 12
dense = tf.keras.Sequential([
    tf.keras.Input(shape=(32, 32, 3)),
    tf.keras.layers.Flatten(),
    tf.keras.layers.Dense(64, activation="relu"),
    tf.keras.layers.Dense(5, activation="softmax"),
])
dense.compile("adam", "sparse_categorical_crossentropy", metrics=["accuracy"])
dense.fit(x_train, y_train, epochs=epochs, verbose=0)
print(f"dense network: {dense.count_params():,} parameters, test accuracy {dense.evaluate(x_test, y_test, verbose=0)[1]:.3f}")

# %% [markdown]
# ## Exercise `augment`
# For each image draw `dx, dy = rng.integers(-2, 3, size=2)`, and copy the image shifted by (dy rows, dx
# columns) into a zero array of the same shape. `np.roll` wraps pixels around the border: if you use it, zero
# the wrapped rows and columns.

# %% exercise="augment"
def augment(images, rng):
    images = np.asarray(images)
    out = np.zeros_like(images)
    raise NotImplementedError  # your code here


# %%
rng = np.random.default_rng(0)
shifted = augment(x_train[:5], rng)
fig, axes = plt.subplots(2, 5, figsize=(8, 3.4))
for i in range(5):
    axes[0, i].imshow(x_train[i])
    axes[1, i].imshow(shifted[i])
    axes[0, i].axis("off")
    axes[1, i].axis("off")
plt.show()

# %% [markdown]
# ## Exercise `wand-cnn` (assignment)
# Build and compile a CNN: input `(32, 32, 3)`; two or three blocks of `Conv2D(filters, 3, activation="relu",
# padding="same")` followed by `MaxPooling2D()` (try 16, 32, 64 filters); then `Flatten`, a small `Dense` layer,
# `Dropout(0.2)` and `Dense(5, activation="softmax")`. Compile with `"adam"`,
# `"sparse_categorical_crossentropy"` and `metrics=["accuracy"]`.

# %% exercise="wand-cnn"
def build_wand_cnn():
    raise NotImplementedError  # your code here


# %%
cnn = build_wand_cnn()
x_augmented = np.concatenate([x_train, augment(x_train, np.random.default_rng(1))])
y_augmented = np.concatenate([y_train, y_train])
cnn.fit(x_augmented, y_augmented, epochs=epochs, verbose=0)
print(f"CNN: {cnn.count_params():,} parameters, test accuracy {cnn.evaluate(x_test, y_test, verbose=0)[1]:.3f}")

# %% [markdown]
# ## 3. The CNN as int8, in TFLM

# %%
int8_model = to_int8(cnn, x_train)
tflm = TFLMModel(int8_model)
accuracy = float(np.mean(tflm.predict(x_test).argmax(axis=1) == y_test))
print(f"int8 CNN: {len(int8_model):,} bytes, arena {tflm.arena_size:,} bytes, test accuracy {accuracy:.3f}")

# %% [markdown]
# **Try it**: train the CNN without augmentation. Which users' gestures get confused? Look at the images the
# int8 model gets wrong.
