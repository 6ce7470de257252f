# %% [markdown]
# # Lab: distillation, pruning and clustering by hand
#
# A float "teacher" reads hand-written digits well but is far too big for the memory you are given. You
# distil it into a tiny student, then prune and cluster the teacher's weights, and measure each result as it
# would run on the board: int8, in TFLM, on digits none of the models trained on.
#
# Cells marked **Exercise** are graded: `tinyml course check c4-compression`.

# %%
# Everything from TinyML Kit this lab uses, in one place.
import os
import zlib

import keras
import numpy as np
import tensorflow as tf
from keras import ops

import tinymlkit as tm
from tinymlkit.course.datasets import digits

FAST = os.environ.get("TINYML_COURSE_FAST") == "1"  # set by the course's automatic tests: fewer epochs
keras.utils.set_random_seed(0)

# %% [markdown]
# ## The data and the teacher
# scikit-learn's 8 x 8 digits, 64 pixels per image. The teacher has two hidden layers of 256 units and
# outputs logits (no softmax: distillation needs the raw scores).

# %%
split = digits(seed=0)
x_train, y_train = split.x_train.reshape(-1, 64) / 16.0, split.y_train
x_test, y_test = split.x_test.reshape(-1, 64) / 16.0, split.y_test
EPOCHS = 3 if FAST else 40


def dense_model(hidden):
    inputs = keras.Input((64,))
    x = inputs
    for units in hidden:
        x = keras.layers.Dense(units, activation="relu")(x)
    return keras.Model(inputs, keras.layers.Dense(10)(x))  # logits


def tflm_accuracy(model):
    """The model as int8 in TFLM: (accuracy on the test digits, .tflite bytes)."""
    tflite = tm.to_int8(model, x_train[:200])
    return float(np.mean(tm.TFLMModel(tflite).predict(x_test).argmax(1) == y_test)), tflite


teacher = dense_model([256, 256])
teacher.compile("adam", keras.losses.SparseCategoricalCrossentropy(from_logits=True), metrics=["accuracy"])
teacher.fit(x_train, y_train, epochs=EPOCHS, batch_size=32, verbose=0)
teacher_accuracy, teacher_tflite = tflm_accuracy(teacher)
print(f"teacher: {teacher.count_params():,} parameters, int8 {len(teacher_tflite):,} bytes, "
      f"TFLM accuracy {teacher_accuracy:.3f}")

# %% [markdown]
# ## Exercise `distill`
# Write the distillation loss with `keras.ops` (`ops.softmax`, `ops.log_softmax`, `ops.sum`, `ops.mean`,
# `ops.one_hot` or `ops.take_along_axis`), so the same function computes a number from NumPy arrays and
# gradients inside `tf.GradientTape`.

# %% exercise="distill"
def distillation_loss(labels, teacher_logits, student_logits, temperature=4.0, alpha=0.1):
    raise NotImplementedError  # your code here


# %% [markdown]
# ## A student, trained twice
# The student has one hidden layer of 12 units. Trained once on the labels alone, once with your loss and
# the teacher's logits, with the same number of steps.

# %%
def train_student(use_teacher, epochs=EPOCHS * 2):
    keras.utils.set_random_seed(1)
    student = dense_model([12])
    optimizer = keras.optimizers.Adam(3e-3)
    teacher_logits = teacher.predict(x_train, verbose=0)
    data = tf.data.Dataset.from_tensor_slices((x_train.astype("float32"), y_train, teacher_logits))
    for _ in range(epochs):
        for x, y, t in data.shuffle(2000, seed=0).batch(32):
            with tf.GradientTape() as tape:
                logits = student(x, training=True)
                if use_teacher:
                    loss = distillation_loss(y, t, logits)
                else:
                    loss = ops.mean(keras.losses.sparse_categorical_crossentropy(y, logits, from_logits=True))
            grads = tape.gradient(loss, student.trainable_variables)
            optimizer.apply_gradients(zip(grads, student.trainable_variables))
    return student


for name, use_teacher in (("labels only", False), ("distilled", True)):
    accuracy, tflite = tflm_accuracy(train_student(use_teacher))
    print(f"student, {name}: int8 {len(tflite):,} bytes, TFLM accuracy {accuracy:.3f}")

# %% [markdown]
# ## Exercise `prune`
# Zero exactly `round(sparsity * weights.size)` weights, those of the smallest magnitude in the whole array
# (`np.argsort(np.abs(weights), axis=None)` orders the flattened array). Return a new array.

# %% exercise="prune"
def prune(weights, sparsity):
    raise NotImplementedError  # your code here


# %% [markdown]
# ## Exercise `cluster`
# k-means in one dimension: every weight's nearest centroid is `np.abs(values[:, None] - centroids).argmin(1)`.

# %% exercise="cluster"
def cluster(weights, k, iterations=20):
    raise NotImplementedError  # your code here


# %% [markdown]
# ## Pruned and clustered teachers, as they would be stored
# Each hidden and output kernel of the teacher is pruned (or clustered); the biases stay. The `.tflite` file
# keeps every weight, zeros included; compressed (as an over-the-air update would travel), it shrinks.
# One-shot compression without fine-tuning: accuracy pays for it at high settings.

# %%
def compressed(transform):
    model = keras.models.clone_model(teacher)
    model.set_weights([transform(w) if w.ndim == 2 else w for w in teacher.get_weights()])
    accuracy, tflite = tflm_accuracy(model)
    return accuracy, len(tflite), len(zlib.compress(tflite, 9))


rows = [("teacher", *compressed(lambda w: w))]
rows += [(f"pruned {s:.0%}", *compressed(lambda w, s=s: prune(w, s))) for s in (0.5, 0.8, 0.95)]
rows += [(f"clustered k={k}", *compressed(lambda w, k=k: cluster(w, k))) for k in (16, 4)]
print(f"{'model':<16}{'accuracy':>9}{'tflite':>9}{'zlib':>9}")
for name, accuracy, size, zipped in rows:
    print(f"{name:<16}{accuracy:>9.3f}{size:>9,}{zipped:>9,}")
print("distinct values in the first clustered kernel:", len(np.unique(cluster(teacher.get_weights()[0], 16))))

# %% [markdown]
# **Try it**: fine-tune the 80 % pruned teacher for a few epochs while keeping its zeros at zero (multiply
# the kernels by their masks after every step). How much accuracy comes back? And try the distilled student
# with `temperature=1` and `alpha=1`: what is left of distillation?
