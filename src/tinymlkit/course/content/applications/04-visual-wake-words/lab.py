# %% [markdown]
# # Lab: camera input and transfer learning from a pretrained backbone
#
# You turn a camera frame into the int8 input of a person detector, then reuse a pretrained network: a
# backbone trained on the magic wand's digit gestures learns letters from ten examples each, and runs as int8
# in TFLM.
#
# Cells marked **Exercise** are graded: `tinyml course check c2-transfer`.

# %%
# Everything from TinyML Kit this lab uses, in one place.
import os

import matplotlib.pyplot as plt
import numpy as np
import tensorflow as tf

from tinymlkit.apps.person.synth import render_scene
from tinymlkit.convert.quantize import to_int8
from tinymlkit.course.datasets import stroke_images
from tinymlkit.course.pretrained import load_backbone
from tinymlkit.runtime.tflm import TFLMModel

FAST = os.environ.get("TINYML_COURSE_FAST") == "1"  # set by the course's automatic tests: fewer epochs
tf.keras.utils.set_random_seed(0)

# %% [markdown]
# ## 1. A camera frame
# The toolkit draws synthetic scenes as the board's camera would see them: 176 x 144 grayscale.

# %%
scene = render_scene(seed=3, person=True)
plt.imshow(scene.frame, cmap="gray")
plt.title(f"camera frame {scene.frame.shape[1]} x {scene.frame.shape[0]}, person: {scene.person}")
plt.show()

# %% [markdown]
# ## Exercise `camera-input`
# The frame is 176 pixels wide and 144 high: the central square starts at column (176 - 144) // 2. Convert
# to a wider integer type before subtracting 128, then to `np.int8`.

# %% exercise="camera-input"
def camera_input(frame):
    frame = np.asarray(frame)
    raise NotImplementedError  # your code here


# %%
square = camera_input(scene.frame)
print(square.shape, square.dtype, square.min(), square.max())
plt.imshow(square, cmap="gray")
plt.title("what the model sees (before scaling to 96 x 96)")
plt.show()

# %% [markdown]
# ## 2. The pretrained backbone
# Three convolution blocks pre-trained on the wand's digits 0-9, shipped with the toolkit.

# %%
backbone = load_backbone()
backbone.summary()

# %% [markdown]
# ## Exercise `transfer-model` (assignment)
# Freeze the backbone, add a softmax head for `classes`, compile. (`tf.keras.Sequential([backbone, ...])`.)

# %% exercise="transfer-model"
def build_transfer_model(backbone, classes):
    raise NotImplementedError  # your code here


# %%
LETTERS = ("W", "O", "L", "Z")
x_few, y_few = stroke_images(users=10, repetitions=1, seed=5, gestures=LETTERS)  # 10 examples per letter
x_test, y_test = stroke_images(users=8, repetitions=2, seed=6, gestures=LETTERS)
x_few, x_test = x_few / 255.0, x_test / 255.0
model = build_transfer_model(load_backbone(), len(LETTERS))
model.fit(x_few, y_few, epochs=5 if FAST else 60, batch_size=8, verbose=0)
print(f"transfer: test accuracy {model.evaluate(x_test, y_test, verbose=0)[1]:.3f} from {len(x_few)} examples")

# %% [markdown]
# The same network trained from scratch on the same 40 examples, for comparison:

# %%
scratch = tf.keras.Sequential([tf.keras.models.clone_model(backbone), tf.keras.layers.Dense(len(LETTERS), activation="softmax")])
scratch.compile("adam", "sparse_categorical_crossentropy", metrics=["accuracy"])
scratch.fit(x_few, y_few, epochs=5 if FAST else 60, batch_size=8, verbose=0)
print(f"from scratch: test accuracy {scratch.evaluate(x_test, y_test, verbose=0)[1]:.3f}")

# %% [markdown]
# ## 3. As int8, in TFLM

# %%
int8_model = to_int8(model, x_few)
tflm = TFLMModel(int8_model)
accuracy = float(np.mean(tflm.predict(x_test).argmax(1) == y_test))
print(f"int8 transfer model: {len(int8_model):,} bytes, arena {tflm.arena_size:,} bytes, TFLM accuracy {accuracy:.3f}")
