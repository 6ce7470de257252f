# %% exercise="bottleneck" variant=1 expect="the bottleneck layer's index"
def bottleneck(layers):  # the most MACs is not the most time
    total = sum(layer.latency_ms for layer in layers)
    biggest = max(layers, key=lambda layer: layer.macs)
    return biggest.index, biggest.latency_ms / total


# %% exercise="bottleneck" variant=2 expect="the bottleneck's share of the latency"
def bottleneck(layers):  # share of the MACs, not of the time
    slowest = max(layers, key=lambda layer: layer.latency_ms)
    return slowest.index, slowest.macs / sum(layer.macs for layer in layers)


# %% exercise="bottleneck" variant=3 expect="the bottleneck layer's index"
def bottleneck(layers):  # the last of tied layers
    ranked = sorted(layers, key=lambda layer: layer.latency_ms)
    return ranked[-1].index, ranked[-1].latency_ms / sum(layer.latency_ms for layer in layers)


# %% exercise="largest-output" variant=1 expect="the largest output's"
def largest_output(layers):  # counts elements, not bytes
    def size(layer):
        return sum(int(np.prod(t.shape)) for t in layer.outputs)

    biggest = max(layers, key=size)
    return biggest.index, size(biggest)


# %% exercise="largest-output" variant=2 expect="the largest output's layer"
def largest_output(layers):  # the layer with the most work, not the largest output
    biggest = max(layers, key=lambda layer: layer.macs)
    return biggest.index, sum(int(np.prod(t.shape)) * np.dtype(t.dtype).itemsize for t in biggest.outputs)
