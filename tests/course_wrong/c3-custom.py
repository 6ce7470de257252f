# %% exercise="speech" variant=1 expect="start of the clip for"
def speech_window(take, sample_rate=16000, length=16000):  # the loudest frame in the middle, not the whole word
    take = np.asarray(take, dtype=np.float64)
    frame = sample_rate // 100
    count = len(take) // frame
    energy = np.mean(take[: count * frame].reshape(count, frame) ** 2, axis=1)
    centre = int(np.argmax(energy)) * frame + frame // 2
    return int(np.clip(centre - length // 2, 0, max(0, len(take) - length)))


# %% exercise="speech" variant=2 expect="start of the clip for"
def speech_window(take, sample_rate=16000, length=16000):  # not kept inside the take
    take = np.asarray(take, dtype=np.float64)
    frame = sample_rate // 100
    count = len(take) // frame
    db = 10 * np.log10(np.mean(take[: count * frame].reshape(count, frame) ** 2, axis=1) + 1e-10)
    floor, peak = np.percentile(db, 10), db.max()
    active = np.flatnonzero(db >= floor + 0.3 * (peak - floor))
    return int((active[0] * frame + (active[-1] + 1) * frame) // 2 - length // 2)


# %% exercise="split" variant=1 expect="one speaker, one split"
def which_split(path, validation_percent=10.0, test_percent=10.0):  # hashes the whole path: speakers leak
    bucket = int(hashlib.sha1(path.encode("utf-8")).hexdigest(), 16) % 2**27
    percent = bucket * (100.0 / (2**27 - 1))
    if percent < validation_percent:
        return "validation"
    if percent < validation_percent + test_percent:
        return "test"
    return "train"


# %% exercise="split" variant=2 expect="splits with"
def which_split(path, validation_percent=10.0, test_percent=10.0):  # fixed 10 % / 10 %, arguments ignored
    speaker = path.rsplit("/", 1)[-1].rsplit(".", 1)[0].split("_nohash_", 1)[0]
    percent = (int(hashlib.sha1(speaker.encode("utf-8")).hexdigest(), 16) % 2**27) * (100.0 / (2**27 - 1))
    if percent < 10:
        return "validation"
    if percent < 20:
        return "test"
    return "train"
