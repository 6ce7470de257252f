# %% [markdown]
# # Lab: audit, split and document a keyword data set
#
# A small keyword collection in the Speech Commands layout, with the problems real collections have. You
# audit it with the toolkit, split it by speaker with a stable hash, look for leaked clips and compute the
# numbers of its data card.
#
# Cells marked **Exercise** are graded: `tinyml course check c2-data`.

# %%
# Everything from TinyML Kit this lab uses, in one place.
import collections
import hashlib
import tempfile
from pathlib import Path

import numpy as np
import soundfile as sf

from tinymlkit.course.datasets import keyword_folder
from tinymlkit.datatools.audit import audit_folder

# %% [markdown]
# ## 1. The collection and its audit

# %%
root = Path(tempfile.mkdtemp()) / "keywords"
paths = keyword_folder(root, speakers=12, seed=0)
print(len(paths), "clips, e.g.", paths[:3])
audit = audit_folder(root, label_check=False)
for finding in audit.findings:
    print(f"{finding.check:15s} {finding.path}: {finding.detail}")

# %% [markdown]
# ## Exercise `speaker-split`
# Hash the speaker ID: `int(hashlib.sha1(speaker.encode()).hexdigest(), 16) % 100` is a number from 0 to 99
# that depends only on the ID. Below `test_percent` means "test".

# %% exercise="speaker-split"
def speaker_split(speaker, test_percent):
    raise NotImplementedError  # your code here


# %%
speakers = [p.split("/")[1].split("_nohash_")[0] for p in paths]
splits = [speaker_split(s, 25) for s in speakers]
by_speaker = collections.defaultdict(set)
for s, split in zip(speakers, splits):
    by_speaker[s].add(split)
print("speakers in both splits:", [s for s, seen in by_speaker.items() if len(seen) > 1])
print(collections.Counter(splits))

# %% [markdown]
# ## Exercise `leaks`
# A clip is leaked when exactly the same samples are in training. Comparing every pair is slow for big data
# sets; hash each clip's bytes (`hashlib.sha1(clip.tobytes()).hexdigest()`) and compare hashes.

# %% exercise="leaks"
def leaked_clips(train_clips, test_clips):
    raise NotImplementedError  # your code here


# %%
clips = [sf.read(root / p, dtype="int16")[0] for p in paths]
train = [c for c, s in zip(clips, splits) if s == "train"]
test = [c for c, s in zip(clips, splits) if s == "test"]
print("test clips that are copies of training clips:", leaked_clips(train, test))

# %% [markdown]
# ## Exercise `data-card`

# %% exercise="data-card"
def data_card(labels, speakers):
    raise NotImplementedError  # your code here


# %%
labels = [p.split("/")[0] for p in paths]
card = data_card(labels, speakers)
print(card)
print(f"""
## Data card: demo keywords
- {card['clips']} one-second clips at 16 kHz of {len(card['per_label'])} words by {card['speakers']} speakers
  ({card['min_clips_per_speaker']} to {card['max_clips_per_speaker']} clips per speaker)
- Per word: {card['per_label']}
- Collected: synthesized tone patterns (a teaching stand-in, not speech)
- Known problems: see the audit above (one duplicate, one silent and one clipped clip)
- Not for: judging real keyword models
""")
