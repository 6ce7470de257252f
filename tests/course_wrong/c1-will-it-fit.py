# %% exercise="parameters" variant=1 expect="parameters of hello world"
def dense_parameters(layer_sizes):  # forgets the biases
    return sum(a * b for a, b in zip(layer_sizes[:-1], layer_sizes[1:]))


# %% exercise="parameters" variant=2 expect="parameters of hello world"
def dense_parameters(layer_sizes):  # adds sizes instead of multiplying
    return sum(a + b for a, b in zip(layer_sizes[:-1], layer_sizes[1:]))


# %% exercise="macs" variant=1 expect="MACs of hello world"
def dense_macs(layer_sizes):  # counts the biases too
    return sum(a * b + b for a, b in zip(layer_sizes[:-1], layer_sizes[1:]))


# %% exercise="macs" variant=2 expect="MACs of hello world"
def dense_macs(layer_sizes):  # multiplies all sizes together
    return int(np.prod(layer_sizes))


# %% exercise="fits" variant=1 expect="arena too big for RAM"
def fits_on_board(model_bytes, arena_bytes, flash_budget, ram_budget):  # forgets the arena
    return model_bytes <= flash_budget


# %% exercise="fits" variant=2 expect="exactly the budgets"
def fits_on_board(model_bytes, arena_bytes, flash_budget, ram_budget):  # strict comparison
    return model_bytes < flash_budget and arena_bytes < ram_budget
