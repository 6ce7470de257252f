# %% exercise="success" variant=1 expect="success rate with a fake listener on loud clips that clip"
def attack_success(listen, clip, backgrounds, target=2):  # no clipping: sums beyond [-1, 1] no microphone records
    return float(np.mean(np.argmax(listen(np.asarray(backgrounds) + clip), axis=1) == target))


# %% exercise="success" variant=2 expect="success rate with a fake listener on quiet clips"
def attack_success(listen, clip, backgrounds, target=2):  # the mean score of the target, not the share of trials
    return float(np.mean(listen(np.clip(np.asarray(backgrounds) + clip, -1, 1))[:, target]))


# %% exercise="success" variant=3 expect="success rate with a fake listener on quiet clips"
def attack_success(listen, clip, backgrounds, target=2):  # the clip alone, never over the backgrounds
    clips = np.repeat(np.asarray(clip)[None], len(backgrounds), axis=0)
    return float(np.mean(np.argmax(listen(clips), axis=1) == target))


# %% exercise="attack" variant=1 expect="heard as yes in TFLM"
def attack_clip(seed):  # plain white noise: energy everywhere, not where a "yes" has it
    return np.random.default_rng(seed).normal(0, 0.1, 16000).astype(np.float32)


# %% exercise="attack" variant=2 expect="fresh noise for every seed"
def attack_clip(seed):  # a replayed recording of "yes" with a little noise: not a noise attack
    word = spoken_words(["yes"], 1, seed=3, voices="odd")[0][0]
    word = word / np.abs(word).max() * 0.45
    return (word + np.random.default_rng(seed).normal(0, 0.001, 16000)).astype(np.float32)


# %% exercise="attack" variant=3 expect="stays in the microphone's range"
def attack_clip(seed):  # a deafening square wave
    return np.sign(np.random.default_rng(seed).normal(0, 1, 16000)).astype(np.float32)


# %% exercise="defence" variant=1 expect="defence lowers attack success"
def is_voiced(audio):  # a loudness gate: the attack is loud enough
    audio = np.atleast_2d(audio)
    return np.sqrt(np.mean(np.square(audio), axis=1)) > 0.01


# %% exercise="defence" variant=2 expect="real yes still heard"
def is_voiced(audio):  # rejects everything: no attack, and no product
    return np.zeros(len(np.atleast_2d(audio)), dtype=bool)
