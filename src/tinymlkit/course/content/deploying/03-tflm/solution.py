# %% exercise="arena"
def smallest_arena(runs, start=1024):
    low, high = 0, start  # low: a size known to fail (0 always does), high: a size to try
    while not runs(high):
        low, high = high, high * 2
    while high - low > 1:  # invariant: runs(low) is False (or low == 0), runs(high) is True
        middle = (low + high) // 2
        if runs(middle):
            high = middle
        else:
            low = middle
    return high


# %% exercise="resolver"
def resolver_calls(layer_ops):
    calls = []
    for op in layer_ops:
        if op not in RESOLVER_METHODS:
            raise ValueError(f"TFLM has no kernel for {op}")
        if RESOLVER_METHODS[op] not in calls:
            calls.append(RESOLVER_METHODS[op])
    return calls


# %% exercise="shared"
def shared_arena(needs):
    return max(needs), sum(needs) - max(needs)
