# %% exercise="tensor-bytes" variant=1 expect="bytes of float32 tensors"
def tensor_bytes(shape, dtype):  # counts elements, forgetting that a float takes four bytes
    return math.prod(shape)


# %% exercise="tensor-bytes" variant=2 expect="bytes of int8 tensors"
def tensor_bytes(shape, dtype):  # adds the dimensions instead of multiplying them
    return sum(shape) * np.dtype(dtype).itemsize


# %% exercise="peak-activation" variant=1 expect="peak bytes of random int8 models"
def peak_activation_bytes(shapes, dtype="int8"):  # every tensor alive at once: the sum
    return sum(math.prod(s) for s in shapes) * np.dtype(dtype).itemsize


# %% exercise="peak-activation" variant=2 expect="peak bytes of random int8 models"
def peak_activation_bytes(shapes, dtype="int8"):  # only the largest tensor: a layer needs its input and output
    return max(math.prod(s) for s in shapes) * np.dtype(dtype).itemsize


# %% exercise="peak-activation" variant=3 expect="peak bytes of random float32 models"
def peak_activation_bytes(shapes, dtype="int8"):  # ignores the dtype: counts one byte per value
    return max(math.prod(a) + math.prod(b) for a, b in zip(shapes, shapes[1:]))


# %% exercise="fits" variant=1 expect="models that fit"
def models_that_fit(models, board):  # compares with the chip's totals, forgetting what the sketch takes
    return sorted(n for n, (f, a) in models.items() if f <= board.flash_bytes and a <= board.ram_bytes)


# %% exercise="fits" variant=2 expect="models that fit"
def models_that_fit(models, board):  # checks the flash only
    return sorted(n for n, (f, a) in models.items() if f <= board.model_flash_budget)


# %% exercise="fits" variant=3 expect="models that fit"
def models_that_fit(models, board):  # a model that uses a budget exactly is refused
    return sorted(n for n, (f, a) in models.items() if f < board.model_flash_budget and a < board.arena_budget)
