# %% exercise="arena" variant=1 expect="smallest size for a random model"
def smallest_arena(runs, start=1024):  # stops at the first power of two that works: no bisection
    size = start
    while not runs(size):
        size *= 2
    return size


# %% exercise="arena" variant=2 expect="runs on a random model"
def smallest_arena(runs, start=1024):  # tries every size in turn: thousands of interpreter starts
    size = 1
    while not runs(size):
        size += 1
    return size


# %% exercise="arena" variant=3 expect="smallest size for a model smaller than the first try"
def smallest_arena(runs, start=1024):  # assumes the need is above the first try
    low, high = start, start * 2
    while not runs(high):
        low, high = high, high * 2
    while high - low > 1:
        middle = (low + high) // 2
        if runs(middle):
            high = middle
        else:
            low = middle
    return high


# %% exercise="resolver" variant=1 expect="calls for layers"
def resolver_calls(layer_ops):  # one call per layer: operators used twice are registered twice
    return [RESOLVER_METHODS[op] for op in layer_ops]


# %% exercise="resolver" variant=2 expect="calls for layers"
def resolver_calls(layer_ops):  # sorted, not in order of first use
    return sorted({RESOLVER_METHODS[op] for op in layer_ops})


# %% exercise="resolver" variant=3 expect="an operator TFLM lacks raises ValueError"
def resolver_calls(layer_ops):  # silently skips an operator TFLM cannot run
    calls = []
    for op in layer_ops:
        method = RESOLVER_METHODS.get(op)
        if method is not None and method not in calls:
            calls.append(method)
    return calls


# %% exercise="shared" variant=1 expect="(shared, saving) for two models"
def shared_arena(needs):  # one arena per model: nothing shared
    return sum(needs), 0


# %% exercise="shared" variant=2 expect="(shared, saving) for two models"
def shared_arena(needs):  # the saving as the difference between the models
    return max(needs), max(needs) - min(needs)
