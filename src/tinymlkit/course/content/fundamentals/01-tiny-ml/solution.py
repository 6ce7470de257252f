# %% exercise="parameters"
def dense_parameters(layer_sizes):
    return sum(n_in * n_out + n_out for n_in, n_out in zip(layer_sizes[:-1], layer_sizes[1:]))


# %% exercise="macs"
def dense_macs(layer_sizes):
    return sum(n_in * n_out for n_in, n_out in zip(layer_sizes[:-1], layer_sizes[1:]))


# %% exercise="fits"
def fits_on_board(model_bytes, arena_bytes, flash_budget, ram_budget):
    return model_bytes <= flash_budget and arena_bytes <= ram_budget
