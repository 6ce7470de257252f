# %% exercise="tensor-bytes"
def tensor_bytes(shape, dtype):
    return math.prod(shape) * np.dtype(dtype).itemsize


# %% exercise="peak-activation"
def peak_activation_bytes(shapes, dtype="int8"):
    size = np.dtype(dtype).itemsize
    return max((math.prod(a) + math.prod(b)) * size for a, b in zip(shapes, shapes[1:]))


# %% exercise="fits"
def models_that_fit(models, board):
    return sorted(name for name, (flash, arena) in models.items()
                  if flash <= board.model_flash_budget and arena <= board.arena_budget)
