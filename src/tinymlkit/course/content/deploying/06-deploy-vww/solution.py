# %% exercise="crop"
def frame_to_input(frame):
    square = np.asarray(frame, dtype=np.int64)[:, 16:160]  # (176 - 144) / 2 = 16 columns off each side
    weights = np.array([[2, 1, 0], [0, 1, 2]])
    out = np.zeros((96, 96), dtype=np.int64)
    for i in range(48):
        for j in range(48):
            block = square[3 * i:3 * i + 3, 3 * j:3 * j + 3]
            for a in range(2):
                for b in range(2):
                    out[2 * i + a, 2 * j + b] = (np.sum(block * np.outer(weights[a], weights[b])) + 4) // 9
    return (out - 128).astype(np.int8)


# %% exercise="tenancy"
def person_runs(yes_times, frame_ms, busy_ms):
    runs, free_at = [], 0
    for t in yes_times:
        frame = -(-int(t) // frame_ms)  # the first frame arriving at or after the "yes"
        if t < free_at:
            continue  # the detector holds the arena: this "yes" is ignored
        runs.append(frame)
        free_at = frame * frame_ms + busy_ms
    return runs
