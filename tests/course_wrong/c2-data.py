# %% exercise="speaker-split" variant=1 expect="the same speaker always gets the same split"
def speaker_split(speaker, test_percent):  # a random split
    return "test" if np.random.random() * 100 < test_percent else "train"


# %% exercise="speaker-split" variant=2 expect="about 20 % of 2000 random speakers in test"
def speaker_split(speaker, test_percent):  # the percentage is ignored
    return "test" if int(hashlib.sha1(speaker.encode()).hexdigest(), 16) % 2 else "train"


# %% exercise="leaks" variant=1 expect="indices of the copied clips"
def leaked_clips(train_clips, test_clips):  # compares only the first sample
    firsts = {int(c[0]) for c in train_clips}
    return sorted(i for i, c in enumerate(test_clips) if int(c[0]) in firsts)


# %% exercise="leaks" variant=2 expect="indices of the copied clips"
def leaked_clips(train_clips, test_clips):  # returns the clips, not their indices
    seen = {c.tobytes() for c in train_clips}
    return [c for c in test_clips if c.tobytes() in seen]


# %% exercise="data-card" variant=1 expect="speakers"
def data_card(labels, speakers):  # counts clips, not distinct speakers
    per_speaker = collections.Counter(speakers)
    return {"clips": len(labels), "speakers": len(speakers), "per_label": dict(collections.Counter(labels)),
            "min_clips_per_speaker": min(per_speaker.values()), "max_clips_per_speaker": max(per_speaker.values())}


# %% exercise="data-card" variant=2 expect="per_label"
def data_card(labels, speakers):  # a list of labels instead of counts
    per_speaker = collections.Counter(speakers)
    return {"clips": len(labels), "speakers": len(per_speaker), "per_label": sorted(set(labels)),
            "min_clips_per_speaker": min(per_speaker.values()), "max_clips_per_speaker": max(per_speaker.values())}
