# %% exercise="speaker-split"
def speaker_split(speaker, test_percent):
    bucket = int(hashlib.sha1(speaker.encode("utf-8")).hexdigest(), 16) % 100
    return "test" if bucket < test_percent else "train"


# %% exercise="leaks"
def leaked_clips(train_clips, test_clips):
    seen = {hashlib.sha1(np.ascontiguousarray(c).tobytes()).hexdigest() for c in train_clips}
    return sorted(i for i, c in enumerate(test_clips)
                  if hashlib.sha1(np.ascontiguousarray(c).tobytes()).hexdigest() in seen)


# %% exercise="data-card"
def data_card(labels, speakers):
    per_speaker = collections.Counter(speakers)
    return {
        "clips": len(labels),
        "speakers": len(per_speaker),
        "per_label": dict(collections.Counter(labels)),
        "min_clips_per_speaker": min(per_speaker.values()),
        "max_clips_per_speaker": max(per_speaker.values()),
    }
