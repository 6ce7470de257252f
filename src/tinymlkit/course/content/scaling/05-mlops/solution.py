# %% exercise="validate"
def bad_clips(clips, length=16000):
    bad = []
    for i, clip in enumerate(clips):
        clip = np.asarray(clip, dtype=np.float64)
        if len(clip) != length or not np.all(np.isfinite(clip)):
            bad.append(i)
        elif np.sqrt(np.mean(clip**2)) < 0.001 or np.mean(np.abs(clip) >= 0.999) > 0.01:
            bad.append(i)
    return bad


# %% exercise="gates"
def gate_results(measured, limits):
    results = {}
    for name, (comparison, limit) in limits.items():
        value = measured.get(name)
        if value is None:
            results[name] = False
        elif comparison == "<=":
            results[name] = value <= limit
        else:
            results[name] = value >= limit
    return results


# %% exercise="per-device"
def largest_fitting(candidates, board):
    fitting = [width for width, flash, arena in candidates
               if flash <= board.model_flash_budget and arena <= board.arena_budget]
    return max(fitting) if fitting else None
