# %% exercise="speech"
def speech_window(take, sample_rate=16000, length=16000):
    take = np.asarray(take, dtype=np.float64)
    frame = sample_rate // 100  # 10 ms
    count = len(take) // frame
    db = 10 * np.log10(np.mean(take[: count * frame].reshape(count, frame) ** 2, axis=1) + 1e-10)
    floor, peak = np.percentile(db, 10), db.max()
    active = np.flatnonzero(db >= floor + 0.3 * (peak - floor))
    first, last = active[0] * frame, (active[-1] + 1) * frame
    return int(np.clip((first + last) // 2 - length // 2, 0, max(0, len(take) - length)))


# %% exercise="split"
def which_split(path, validation_percent=10.0, test_percent=10.0):
    speaker = path.rsplit("/", 1)[-1].rsplit(".", 1)[0].split("_nohash_", 1)[0]
    bucket = int(hashlib.sha1(speaker.encode("utf-8")).hexdigest(), 16) % 2**27
    percent = bucket * (100.0 / (2**27 - 1))
    if percent < validation_percent:
        return "validation"
    if percent < validation_percent + test_percent:
        return "test"
    return "train"
