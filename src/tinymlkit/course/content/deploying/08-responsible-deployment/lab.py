# %% [markdown]
# # Lab: make the keyword model hear "yes", then stop it
#
# The yes/no keyword model of Course 2, int8, in the TFLM interpreter: you measure an attack as a success
# rate, craft a noise clip that makes the model hear "yes" in most rooms, and then build a defence and measure
# both what it stops and what it costs.
#
# Cells marked **Exercise** are graded: `tinyml course check c3-attack`.

# %%
# Everything from TinyML Kit this lab uses, in one place.
import os

import numpy as np
import scipy.signal

import tinymlkit as tm
from tinymlkit.apps.kws.frontend import micro_features
from tinymlkit.course.datasets import spoken_words
from tinymlkit.course.pretrained import KEYWORD_LABELS, KEYWORD_MODEL
from tinymlkit.runtime.tflm import TFLMModel

FAST = os.environ.get("TINYML_COURSE_FAST") == "1"
TRIALS = 10 if FAST else 40

# %% [markdown]
# ## The device
# `listen(audio)` does what the board does with each second of sound: the micro frontend, then the int8 model
# in TFLM. It returns one row of scores per clip (silence, unknown, yes, no). Trials take place in quiet rooms:
# background noise from barely audible to a humming fan.

# %%
tflm = TFLMModel(KEYWORD_MODEL.read_bytes())
YES = KEYWORD_LABELS.index("yes")


def listen(audio):
    audio = np.asarray(audio, dtype=np.float32)
    return tflm.predict(micro_features(audio).reshape(len(audio), -1))


def rooms(count, rng):
    return (rng.normal(0, 1, (count, 16000)) * rng.uniform(0.001, 0.02, (count, 1))).astype(np.float32)


rng = np.random.default_rng(0)
print(f"model: {len(tflm.model):,} bytes, int8, arena {tflm.arena_size:,} bytes; labels {list(KEYWORD_LABELS)}")
print("quiet rooms heard as:", [KEYWORD_LABELS[i] for i in listen(rooms(6, rng)).argmax(1)])
print(f"the budget check of the deployed model: {tm.check_model(tflm.model, 'nano33ble').passed}")

# %% [markdown]
# ## Exercise `success`
# An attack is measured as a rate, never as one lucky try. Write `attack_success(listen, clip, backgrounds,
# target=2)`: add the clip to every background, clip the sums to [-1, 1] (a microphone cannot record more),
# call `listen` once on the batch and return the share of trials whose top score is `target`.

# %% exercise="success"
def attack_success(listen, clip, backgrounds, target=2):
    raise NotImplementedError  # your code here


# %%
white = np.random.default_rng(1).normal(0, 0.1, 16000).astype(np.float32)
print(f"white noise heard as yes in {attack_success(listen, white, rooms(TRIALS, rng)):.0%} of {TRIALS} trials")

# %% [markdown]
# ## Exercise `attack`
# White noise has energy everywhere; a word has energy in a few bands that rise and fall. Split a recording
# of "yes" into 16 frequency bands, follow each band's loudness over time (its envelope), and give fresh
# noise, filtered to the same band, that envelope. The result is noise: no pitch, no harmonics, different on
# every seed. Write `attack_clip(seed)`: such a clip, peak at most 0.5, that the model hears as "yes" in at
# least 80 % of trials (on most seeds: the check tries five). The cell below it searches which recording to
# imitate: pick the best in your cell.

# %% exercise="attack"
def band_noise(template, seed, peak=0.5):
    """Fresh noise whose energy in 16 frequency bands rises and falls like the template's."""
    raise NotImplementedError  # your code here: scipy.signal.butter, sosfilt, hilbert


def attack_clip(seed):
    raise NotImplementedError  # your code here


# %%
templates, _ = spoken_words(["yes"], 5, seed=3, voices="odd")
for k, template in enumerate(templates):
    rate = attack_success(listen, band_noise(template, seed=k), rooms(TRIALS, rng))
    print(f"imitating recording {k}: heard as yes in {rate:.0%} of trials")
before = np.mean([attack_success(listen, attack_clip(seed), rooms(TRIALS // 2, rng)) for seed in (10, 11)])
clip = attack_clip(12)
print(f"your attack: heard as yes in {before:.0%} of {TRIALS} trials; peak {np.abs(clip).max():.2f}, "
      f"RMS {np.sqrt(np.mean(clip ** 2)):.3f}")
for peak in (0.5, 0.2, 0.1, 0.05):
    quieter = clip * (peak / np.abs(clip).max())
    print(f"  at peak {peak}: {attack_success(listen, quieter, rooms(TRIALS, rng)):.0%}")

# %% [markdown]
# ## Exercise `defence`
# A voice is made by vocal cords that vibrate 80-400 times a second, so voiced sound repeats itself every 2.5
# to 12.5 ms; noise does not. In each 30 ms frame (480 samples) of the loud part of a clip, compare the frame
# with itself shifted by 40 to 200 samples (the normalised autocorrelation); a voiced frame has a shift where
# the two match well. Write `is_voiced(audio)`: one bool per clip of the batch, True when a few loud frames
# are clearly periodic. The device accepts "yes" only from voiced clips.

# %% exercise="defence"
def is_voiced(audio):
    raise NotImplementedError  # your code here


# %%
def defended_listen(audio):
    scores = listen(audio)
    scores[~np.asarray(is_voiced(np.clip(audio, -1, 1)), dtype=bool), YES] = 0.0  # no voice, no "yes"
    return scores


after = np.mean([attack_success(defended_listen, attack_clip(seed), rooms(TRIALS // 2, rng)) for seed in (10, 11)])
words, _ = spoken_words(["yes"], 8 if FAST else 30, seed=21, voices="odd")
heard = listen(words).argmax(1) == YES
kept = np.mean(defended_listen(words).argmax(1)[heard] == YES)
print(f"attack success: {before:.0%} without the defence, {after:.0%} with it")
print(f"real yes heard: {heard.mean():.0%} without the defence; the defence keeps {kept:.0%} of them")

# %% [markdown]
# **Try it**: an attacker who knows your defence adds a hum at 150 Hz to the noise. Does it pass `is_voiced`?
# What would you check next (a second model, a confirmation over several windows, limits on what "yes" may do)?
# And the cost side: some of eSpeak's voices whisper, with no pitch at all. How many of the real "yes" your defence
# drops are whispered, and who speaks that way to a device?
