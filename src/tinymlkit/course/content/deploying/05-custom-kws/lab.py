# %% [markdown]
# # Lab: record keywords, cut the second of speech, split by speaker, test a model on them
#
# You record a small keyword data set of your own (eSpeak NG voices play the speakers, a WAV file plays the
# microphone, and the toolkit's recorder does the rest, as `tinyml record kws` does), write the two rules that
# make such a data set usable (where the word is in a take, and which split a speaker belongs to), and find out
# how well the shipped yes/no model works on your recordings, per word and per speaker.
#
# Cells marked **Exercise** are graded: `tinyml course check c3-custom`.

# %%
# Everything from TinyML Kit this lab uses, in one place.
import hashlib
import os
import tempfile
from pathlib import Path

import numpy as np
import soundfile as sf

from tinymlkit.apps.kws.frontend import micro_features
from tinymlkit.capture.kws import kws_status, record_keywords, trim_to_speech
from tinymlkit.capture.microphone import WavFileMicrophone
from tinymlkit.course.datasets import spoken_words
from tinymlkit.course.pretrained import KEYWORD_LABELS, KEYWORD_MODEL
from tinymlkit.data.split import speaker_of, split_of
from tinymlkit.runtime.tflm import TFLMModel

FAST = os.environ.get("TINYML_COURSE_FAST") == "1"

# %% [markdown]
# ## Record
# Each speaker says each word a few times; every take lasts 1.5 s with the word somewhere inside. The takes
# of one speaker and word go into one WAV file that stands in for the microphone.

# %%
WORDS = ["yes", "no", "up", "cat"]  # the model's keywords, and two other words for 'unknown'
SPEAKERS, TAKES = (4, 2) if FAST else (10, 4)
work = Path(tempfile.mkdtemp())
root = work / "my_words"
rng = np.random.default_rng(0)
for s in range(SPEAKERS):
    speaker = f"speaker{s:02d}"
    clips, labels = spoken_words(WORDS, TAKES, seed=500 + s, voices="odd")
    for w, word in enumerate(WORDS):
        takes = []
        for clip in clips[labels == w]:
            take = rng.normal(0, 0.003, 24000).astype(np.float32)
            at = int(rng.integers(0, 8000))
            take[at:at + 16000] += clip
            takes.append(take)
        mic_file = work / f"{speaker}_{word}.wav"
        sf.write(mic_file, np.concatenate(takes), 16000, subtype="PCM_16")
        result = record_keywords(WavFileMicrophone(mic_file), root, word, speaker, count=TAKES, seconds=1.5)
status = kws_status(root, ["yes", "no"])
print(f"kept {sum(1 for _ in root.glob('*/*.wav'))} clips of {SPEAKERS} speakers in {root}")
print("what the recorder advises:", (status.missing + status.advice)[:2])

# %% [markdown]
# ## Exercise `speech`
# Write `speech_window(take, sample_rate=16000, length=16000)`: 10 ms frames, level `10 * log10(mean square +
# 1e-10)`, floor = the 10th percentile of the levels, peak = the highest; speech frames reach at least `floor +
# 0.3 * (peak - floor)`. Return the start of the `length`-sample clip centred on the first to last speech
# frame, kept inside the take (`np.clip(..., 0, len(take) - length)`).

# %% exercise="speech"
def speech_window(take, sample_rate=16000, length=16000):
    raise NotImplementedError  # your code here


# %%
take = sf.read(work / "speaker00_yes.wav", dtype="float32")[0][24000:48000]  # the second take
mine, recorder = speech_window(take), trim_to_speech(take)
print(f"your clip starts at sample {mine}; the recorder's at {recorder.start} "
      f"(speech from {recorder.speech_ms[0]:.0f} to {recorder.speech_ms[1]:.0f} ms, {recorder.snr_db:.0f} dB above "
      "the noise)")

# %% [markdown]
# ## Exercise `split`
# Write `which_split(path, validation_percent=10.0, test_percent=10.0)`: the speaker is the file name before
# `_nohash_`; `percent = (int(sha1(speaker).hexdigest(), 16) % 2**27) * 100 / (2**27 - 1)`; "validation" below
# `validation_percent`, "test" below the sum of both, else "train". (`hashlib.sha1(text.encode()).hexdigest()`)

# %% exercise="split"
def which_split(path, validation_percent=10.0, test_percent=10.0):
    raise NotImplementedError  # your code here


# %%
files = sorted(str(p.relative_to(root)) for p in root.glob("*/*.wav"))
mine = {f: which_split(f, 25, 25) for f in files}
print("agrees with the toolkit:", all(mine[f] == split_of(speaker_of(f), 25, 25) for f in files))
for s in range(SPEAKERS):
    print(f"speaker{s:02d}: {sorted({v for f, v in mine.items() if f'speaker{s:02d}_' in f})}")

# %% [markdown]
# ## How well does the model work on your recordings?
# The shipped yes/no model (int8, in TFLM) on every clip you kept: per word, then per speaker. "up" and "cat"
# should come out as unknown.

# %%
tflm = TFLMModel(KEYWORD_MODEL.read_bytes())
expected = {"yes": "yes", "no": "no", "up": "unknown", "cat": "unknown"}
audio = np.stack([sf.read(root / f, dtype="float32")[0] for f in files])
heard = [KEYWORD_LABELS[i] for i in tflm.predict(micro_features(audio).reshape(len(files), -1)).argmax(1)]
right = np.array([h == expected[f.split("/")[0]] for f, h in zip(files, heard, strict=True)])
for word in WORDS:
    picked = np.array([f.startswith(word + "/") for f in files])
    print(f"{word:>4}: {right[picked].mean():.0%} right of {picked.sum()} clips")
for s in range(SPEAKERS):
    picked = np.array([f"speaker{s:02d}_" in f for f in files])
    print(f"speaker{s:02d}: {right[picked].mean():.0%} right")
print(f"all clips: {right.mean():.0%}")

# %% [markdown]
# **Try it**: record your own words instead (`tinyml record kws --label lights ...` with a microphone, or WAV
# files), train with `tinyml kws train --data my_words --words lights,music`, and repeat the per-speaker table.
# Which speakers would you record next?
