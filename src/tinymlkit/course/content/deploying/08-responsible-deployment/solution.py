# %% exercise="success"
def attack_success(listen, clip, backgrounds, target=2):
    mixed = np.clip(np.asarray(backgrounds, dtype=np.float32) + np.asarray(clip, dtype=np.float32), -1, 1)
    return float(np.mean(np.argmax(listen(mixed), axis=1) == target))


# %% exercise="attack"
def band_noise(template, seed, peak=0.5):
    """Fresh noise whose energy in 16 frequency bands rises and falls like the template's."""
    noise = np.random.default_rng(seed).normal(0, 1, len(template))
    edges = np.geomspace(100, 7800, 17)  # 16 bands
    smooth = scipy.signal.butter(2, 50, fs=16000, output="sos")
    clip = np.zeros(len(template))
    for low, high in zip(edges[:-1], edges[1:], strict=True):
        band = scipy.signal.butter(4, [low, high], btype="band", fs=16000, output="sos")
        envelope = scipy.signal.sosfilt(smooth, np.abs(scipy.signal.hilbert(scipy.signal.sosfilt(band, template))))
        clip += scipy.signal.sosfilt(band, noise) * np.maximum(envelope, 0)  # the band's noise, shaped like the word
    return (clip / np.abs(clip).max() * peak).astype(np.float32)


def attack_clip(seed):
    templates, _ = spoken_words(["yes"], 5, seed=3, voices="odd")
    return band_noise(templates[4], seed)  # the template that fooled the model best in the search below


# %% exercise="defence"
def is_voiced(audio, frame=480, bar=0.6, need=2):
    voiced = []
    for clip in np.atleast_2d(np.asarray(audio, dtype=np.float64)):
        frames = clip[: len(clip) // frame * frame].reshape(-1, frame)
        frames = frames - frames.mean(axis=1, keepdims=True)
        energy = (frames**2).mean(axis=1)
        loud = frames[energy > 0.1 * energy.max()]
        best = np.zeros(len(loud))
        for lag in range(40, 200):  # pitch periods of 80-400 Hz
            a, b = loud[:, :-lag], loud[:, lag:]
            r = (a * b).sum(1) / (np.sqrt((a * a).sum(1) * (b * b).sum(1)) + 1e-12)
            best = np.maximum(best, r)
        voiced.append(int((best > bar).sum()) >= need)
    return np.array(voiced)
