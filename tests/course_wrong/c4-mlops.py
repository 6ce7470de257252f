# %% exercise="validate" variant=1 expect="rejected clips"
def bad_clips(clips, length=16000):  # checks only the length
    return [i for i, clip in enumerate(clips) if len(clip) != length]


# %% exercise="validate" variant=2 expect="rejected clips"
def bad_clips(clips, length=16000):  # rejects any sample at full scale: a short click is not clipping
    bad = []
    for i, clip in enumerate(clips):
        clip = np.asarray(clip, dtype=np.float64)
        if len(clip) != length or not np.all(np.isfinite(clip)):
            bad.append(i)
        elif np.sqrt(np.mean(clip**2)) < 0.001 or np.any(np.abs(clip) >= 0.999):
            bad.append(i)
    return bad


# %% exercise="validate" variant=3 expect="rejected clips"
def bad_clips(clips, length=16000):  # silence by the peak, not the RMS: a quiet voice counts as silent
    bad = []
    for i, clip in enumerate(clips):
        clip = np.asarray(clip, dtype=np.float64)
        if len(clip) != length or not np.all(np.isfinite(clip)):
            bad.append(i)
        elif np.abs(clip).max() < 0.05 or np.mean(np.abs(clip) >= 0.999) > 0.01:
            bad.append(i)
    return bad


# %% exercise="gates" variant=1 expect="gates for"
def gate_results(measured, limits):  # strict comparison: a figure exactly at its limit fails
    results = {}
    for name, (comparison, limit) in limits.items():
        value = measured.get(name)
        results[name] = value is not None and (value < limit if comparison == "<=" else value > limit)
    return results


# %% exercise="gates" variant=2 expect="runs when a figure is missing"
def gate_results(measured, limits):  # assumes every figure was measured
    return {name: (measured[name] <= limit if comparison == "<=" else measured[name] >= limit)
            for name, (comparison, limit) in limits.items()}


# %% exercise="per-device" variant=1 expect="width for"
def largest_fitting(candidates, board):  # checks flash only
    fitting = [w for w, flash, arena in candidates if flash <= board.model_flash_budget]
    return max(fitting) if fitting else None


# %% exercise="per-device" variant=2 expect="width for"
def largest_fitting(candidates, board):  # the first that fits in the given order, not the largest
    for width, flash, arena in candidates:
        if flash <= board.model_flash_budget and arena <= board.arena_budget:
            return width
    return None
