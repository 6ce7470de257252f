# %% [markdown]
# # Lab: spectrograms, MFCCs and a keyword model of your own
#
# You turn spoken words into features step by step (waveform, spectrogram, mel, MFCC), compare with the
# micro frontend the board runs, then train a keyword model for words you choose, spoken by synthetic voices,
# and test it as int8 in TFLM on voices it never heard.
#
# Cells marked **Exercise** are graded: `tinyml course check c2-keywords`.

# %%
# Everything from TinyML Kit this lab uses, in one place.
import os

import matplotlib.pyplot as plt
import numpy as np
import scipy.fft
import tensorflow as tf

from tinymlkit.apps.kws.recipe import FEATURE_RANGE
from tinymlkit.course.datasets import spoken_words
from tinymlkit.course.pretrained import KEYWORD_LABELS, KEYWORD_MODEL
from tinymlkit.apps.kws.frontend import micro_features
from tinymlkit.convert.quantize import to_int8
from tinymlkit.runtime.tflm import TFLMModel

FAST = os.environ.get("TINYML_COURSE_FAST") == "1"  # set by the course's automatic tests: less data, fewer epochs
tf.keras.utils.set_random_seed(0)

# %% [markdown]
# ## 1. A spoken word
# eSpeak NG (built into the toolkit, offline) says "yes"; 16,000 samples per second.

# %%
clips, _ = spoken_words(["yes"], per_word=1, seed=0)
audio = clips[0]
plt.plot(np.arange(16000) / 16000, audio)
plt.xlabel("seconds")
plt.show()

# %% [markdown]
# ## 2. A pretrained yes/no model, tested on a recording
# The toolkit ships a yes/no model: tiny_conv (the micro_speech architecture), int8, under 20 KB, trained on
# synthetic voices (`python -m tinymlkit.course.pretrained` rebuilds it). Here it hears a voice it never
# trained on. With a microphone, record yourself (`tinyml record kws --label yes ...`) and load your WAV file
# with `soundfile.read` instead.

# %%
pretrained = TFLMModel(KEYWORD_MODEL.read_bytes())
for word in ("yes", "no", "left"):
    recording, _ = spoken_words([word], per_word=1, seed=7, voices="odd")
    scores = pretrained.predict(micro_features(recording).reshape(1, -1))[0]
    print(f"said {word!r}: heard {KEYWORD_LABELS[int(scores.argmax())]!r}",
          {label: round(float(s), 2) for label, s in zip(KEYWORD_LABELS, scores)})
print(f"model {len(KEYWORD_MODEL.read_bytes()):,} bytes, arena {pretrained.arena_size:,} bytes")

# %% [markdown]
# ## Exercise `spectrogram`
# Frame `i` starts at sample `i * step`; there are `1 + (len(audio) - frame) // step` complete frames.

# %% exercise="spectrogram"
def spectrogram(audio, frame=480, step=320):
    audio = np.asarray(audio, dtype=np.float64)
    raise NotImplementedError  # your code here


# %%
spec = spectrogram(audio)
print("spectrogram", spec.shape, "(49 frames of 241 frequencies)")
plt.imshow(np.log(spec.T + 1e-6), origin="lower", aspect="auto")
plt.xlabel("frame (20 ms)")
plt.ylabel("frequency bin (33 Hz)")
plt.show()

# %% [markdown]
# ## Exercise `mfcc`
# A mel filter bank from TensorFlow sums the 241 bins into 40 mel bands.

# %%
mel_matrix = tf.signal.linear_to_mel_weight_matrix(40, 241, 16000, 20.0, 7600.0).numpy()
print("mel filter bank", mel_matrix.shape)

# %% exercise="mfcc"
def mfcc(spec, mel_matrix, count):
    spec = np.asarray(spec, dtype=np.float64)
    raise NotImplementedError  # your code here


# %%
coefficients = mfcc(spec, mel_matrix, 13)
features = micro_features(audio[None])[0]
fig, axes = plt.subplots(1, 2, figsize=(9, 3))
axes[0].imshow(coefficients.T, origin="lower", aspect="auto")
axes[0].set_title("13 MFCCs per frame (yours)")
axes[1].imshow(features.T, origin="lower", aspect="auto")
axes[1].set_title("micro frontend: 40 channels (the board's)")
plt.show()

# %% [markdown]
# ## Exercise `labels`

# %% exercise="labels"
def keyword_labels(words):
    raise NotImplementedError  # your code here


# %% [markdown]
# ## Exercise `keyword-model` (assignment): your own keywords
# Build and compile a classifier for `(49, 40)` features: e.g. `Reshape((49, 40, 1))`, two
# `Conv2D(16, 3, activation="relu")` + `MaxPooling2D()` blocks, `Flatten`, `Dropout(0.2)`,
# `Dense(classes, activation="softmax")`; `"adam"`, `"sparse_categorical_crossentropy"`,
# `metrics=["accuracy"]`. Change `WORDS` to the words you want.

# %% exercise="keyword-model"
def build_keyword_model(classes):
    raise NotImplementedError  # your code here


# %%
WORDS = ["yes", "no", "up"]
per_word = 12 if FAST else 80
x_train, y_train = spoken_words(WORDS, per_word, seed=1, voices="even")
x_test, y_test = spoken_words(WORDS, per_word // 3, seed=2, voices="odd")
f_train, f_test = micro_features(x_train), micro_features(x_test)
model = build_keyword_model(len(WORDS))
model.fit(f_train, y_train, epochs=2 if FAST else 25, batch_size=32, verbose=0)
print(f"float model: test accuracy {model.evaluate(f_test, y_test, verbose=0)[1]:.3f} (unseen voices)")

# %% [markdown]
# ## 2. As int8, in TFLM
# The input quantization is pinned to the micro_speech firmware's range (scale 26/256, zero point -128).

# %%
int8_model = to_int8(model, f_train, input_range=FEATURE_RANGE)
tflm = TFLMModel(int8_model)
accuracy = float(np.mean(tflm.predict(f_test).argmax(1) == y_test))
print(f"int8 model: {len(int8_model):,} bytes, arena {tflm.arena_size:,} bytes, TFLM accuracy {accuracy:.3f}")
print("labels the deployed model would have:", keyword_labels(WORDS))

# %% [markdown]
# This model has no "silence" and "unknown" classes, which a deployed model needs: `tinyml kws train
# --words yes,no,up` builds the full data set (other words, background noise) and the Arduino sketch. Synthetic
# voices are not people: test on real recordings before you trust it.
