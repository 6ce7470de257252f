# %% exercise="crop" variant=1 expect="pixels of a random frame"
def frame_to_input(frame):  # keeps the left 144 columns: the view is off-centre
    square = np.asarray(frame, dtype=np.int64)[:, :144]
    weights = np.array([[2, 1, 0], [0, 1, 2]])
    out = np.zeros((96, 96), dtype=np.int64)
    for i in range(48):
        for j in range(48):
            block = square[3 * i:3 * i + 3, 3 * j:3 * j + 3]
            for a in range(2):
                for b in range(2):
                    out[2 * i + a, 2 * j + b] = (np.sum(block * np.outer(weights[a], weights[b])) + 4) // 9
    return (out - 128).astype(np.int8)


# %% exercise="crop" variant=2 expect="int8 input of a random frame"
def frame_to_input(frame):  # forgets the zero point: uint8 pixels, not the int8 input
    square = np.asarray(frame, dtype=np.int64)[:, 16:160]
    weights = np.array([[2, 1, 0], [0, 1, 2]])
    out = np.zeros((96, 96), dtype=np.int64)
    for i in range(48):
        for j in range(48):
            block = square[3 * i:3 * i + 3, 3 * j:3 * j + 3]
            for a in range(2):
                for b in range(2):
                    out[2 * i + a, 2 * j + b] = (np.sum(block * np.outer(weights[a], weights[b])) + 4) // 9
    return out.astype(np.uint8)


# %% exercise="crop" variant=3 expect="pixels of a random frame"
def frame_to_input(frame):  # nearest neighbour: every 1.5th pixel, no averaging
    square = np.asarray(frame, dtype=np.int64)[:, 16:160]
    rows = (np.arange(96) * 3) // 2
    return (square[rows][:, rows] - 128).astype(np.int8)


# %% exercise="tenancy" variant=1 expect="frames for"
def person_runs(yes_times, frame_ms, busy_ms):  # the frame before the "yes": a picture of the past
    runs, free_at = [], 0
    for t in yes_times:
        if t < free_at:
            continue
        frame = int(t) // frame_ms
        runs.append(frame)
        free_at = frame * frame_ms + busy_ms
    return runs


# %% exercise="tenancy" variant=2 expect="frames for words in quick succession"
def person_runs(yes_times, frame_ms, busy_ms):  # never busy: two detections at once would need two arenas
    return [-(-int(t) // frame_ms) for t in yes_times]
