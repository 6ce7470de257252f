# %% exercise="bottleneck"
def bottleneck(layers):
    total = sum(layer.latency_ms for layer in layers)
    slowest = max(layers, key=lambda layer: layer.latency_ms)  # max keeps the first on a tie
    return slowest.index, slowest.latency_ms / total


# %% exercise="largest-output"
def largest_output(layers):
    def output_bytes(layer):
        return sum(int(np.prod(t.shape)) * np.dtype(t.dtype).itemsize for t in layer.outputs)

    biggest = max(layers, key=output_bytes)
    return biggest.index, output_bytes(biggest)
