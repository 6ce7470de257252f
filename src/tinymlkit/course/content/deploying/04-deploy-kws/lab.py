# %% [markdown]
# # Lab: the keyword application, stage by stage
#
# The yes/no keyword model of Course 2 as the board runs it: you write the model's C array (initialise), the
# input quantization of the frontend's numbers (preprocess), and the command recognizer that turns a stream
# of scores into commands (postprocess), and compare each stage with the toolkit's firmware code.
#
# Cells marked **Exercise** are graded: `tinyml course check c3-kws`.

# %%
# Everything from TinyML Kit this lab uses, in one place.
import os

import numpy as np

import tinymlkit as tm
from tinymlkit.apps.kws.frontend import frontend
from tinymlkit.apps.kws.recognizer import RecognizerConfig
from tinymlkit.apps.kws.streaming import recognize, stream_scores
from tinymlkit.course.datasets import spoken_words
from tinymlkit.course.pretrained import KEYWORD_LABELS, KEYWORD_MODEL
from tinymlkit.deploy.c_array import parse_c_array
from tinymlkit.runtime.tflm import TFLMModel

FAST = os.environ.get("TINYML_COURSE_FAST") == "1"

# %% [markdown]
# ## Initialise: the model in flash
# The pretrained model's categories are the two keywords plus silence and unknown, in the order it was
# trained with; the board's label list must be the same.

# %%
model = KEYWORD_MODEL.read_bytes()
labels = list(KEYWORD_LABELS)
print(f"{len(labels)} categories for {len(labels) - 2} keywords: {labels}; model {len(model):,} bytes, "
      f"tensor arena {tm.measure_arena(model):,} bytes (measured in TFLM)")

# %% [markdown]
# ## Exercise `c-array`
# The board has no files: the model is compiled into the firmware. Write `model_to_c(model, name="g_model")`
# returning C source with `alignas(16) const unsigned char g_model[] = {0x1c, 0x00, ...};` (each byte as
# `0x` and two hex digits) and then `const int g_model_len = <bytes>;`.

# %% exercise="c-array"
def model_to_c(model, name="g_model"):
    raise NotImplementedError  # your code here


# %%
source = model_to_c(model)
print(source[:160], "...", source[-60:])
print("the array holds exactly the model:", parse_c_array(source) == model)

# %% [markdown]
# ## Preprocess: features as int8
# `frontend(audio)` runs the micro frontend (the same C code as the board) and returns the training
# features, the 16-bit outputs times 10/256. The model's input tensor says how to quantize them.

# %%
tflm = TFLMModel(model)
print(f"input scale {tflm.input.scale} (26/256 = {26 / 256}), zero point {tflm.input.zero_point}; "
      f"arena {tflm.arena_size:,} bytes")
clips, _ = spoken_words(["yes"], 1, seed=3, voices="odd")
features = frontend(clips[0])
raw = np.round(features * 256 / 10).astype(np.int64)  # the frontend's 16-bit outputs
print(f"{features.shape} features, raw outputs from {raw.min()} to {raw.max()}")

# %% [markdown]
# ## Exercise `quantize`
# Write `quantize_frontend(values, scale=26/256, zero_point=-128)`: from the frontend's 16-bit outputs
# `values`, the feature is `values * 10 / 256`; return `round(feature / scale) + zero_point`, saturated to
# [-128, 127], as an int8 array of the same shape.

# %% exercise="quantize"
def quantize_frontend(values, scale=26 / 256, zero_point=-128):
    raise NotImplementedError  # your code here


# %%
mine = quantize_frontend(raw)
theirs = tflm.input.quantize(raw * 10 / 256)
print(f"yours {mine.dtype} {mine.shape}, equal to the interpreter's quantization: {np.array_equal(mine, theirs)}")
scores = tflm.invoke(mine.reshape(1, -1))[0].astype(int) + 128  # infer; int8 scores -> 0-255
print("scores 0-255:", dict(zip(labels, scores.tolist())))

# %% [markdown]
# ## Postprocess: a stream of scores
# A device listens continuously. Below, a few seconds of audio with words at known times go through the
# frontend and the model every 50 ms (`stream_scores`), giving one row of probabilities per inference.

# %%
rng = np.random.default_rng(7)
words, spoken = spoken_words(["yes", "no"], 2 if FAST else 4, seed=11, voices="odd")
order = rng.permutation(len(words))
stream = rng.normal(0, 0.003, 16000 * (len(words) * 2 + 1)).astype(np.float32)
for k, i in enumerate(order):
    stream[16000 * (2 * k + 1): 16000 * (2 * k + 2)] += words[i]
times, probabilities = stream_scores(np.clip(stream, -1, 1), tflm, stride_ms=50)
print("said:", [(["yes", "no"][spoken[i]], 16000 * (2 * k + 1) // 16) for k, i in enumerate(order)], "(label, ms)")
print(f"{len(times)} inferences; top label of each second:",
      [labels[int(probabilities[j].argmax())] for j in range(0, len(times), 20)])

# %% [markdown]
# ## Exercise `recognizer`
# Write `recognize_commands(times, scores, labels, window_ms=1000, threshold=200, suppression_ms=1500,
# minimum_count=3)`, the rules of micro_speech's `RecognizeCommands`:
#
# 1. each inference's probabilities become integer scores `clip(round(p * 256), 0, 255)`;
# 2. keep the results of the last `window_ms`: drop those with `time < now - window_ms`;
# 3. if fewer than `minimum_count` results are kept, or they span (now minus the oldest kept time) less than
#    `window_ms // 4`, decide nothing;
# 4. otherwise average the kept scores per label (integer division by the count) and take the best label;
# 5. report it when its average is above `threshold`, unless it is the same label as the last reported one,
#    reported at most `suppression_ms` ago (a silence reported in between lifts that rule);
# 6. return `(label, time_ms)` for every report except silence.

# %% exercise="recognizer"
def recognize_commands(times, scores, labels, window_ms=1000, threshold=200, suppression_ms=1500, minimum_count=3):
    raise NotImplementedError  # your code here


# %%
found = recognize_commands(times, probabilities, labels, threshold=100)
toolkit = [(d.label, d.time_ms) for d in recognize(times, probabilities, labels, RecognizerConfig(threshold=100))]
print("threshold 100, yours:  ", found)
print("threshold 100, toolkit:", toolkit)
for threshold in (100, 150, 200):
    print(f"threshold {threshold}: {len(recognize_commands(times, probabilities, labels, threshold=threshold))} "
          "commands")

# %% [markdown]
# This model learnt from single one-second clips, so in a stream it wavers between "yes" and "unknown" while a
# word passes through the window: with the default threshold (200) it reports nothing, with a low one it
# reports words and some "unknown". Streaming-aware training (`tm.kws` trains on features computed as a
# listening device computes them) and tuning the recognizer on streams are the cure.
#
# **Try it**: set `suppression_ms=0` and `window_ms=200`. How many commands does one spoken word give now? The
# same stages run on a board in the sketch `tm.deploy(...)` writes for `tm.kws` (`tinyml deploy`).
