"""Checks of the lab c4-profiling: against tm.profile on small models built at random, and on made-up layers."""

from types import SimpleNamespace

import numpy as np

from tinymlkit.course.checks import Checker, as_pair


def _random_profile(rng):
    """A small random int8 model, profiled on a random board."""
    import keras

    import tinymlkit as tm

    side = int(rng.integers(10, 24))
    inputs = keras.Input((side, side, int(rng.choice([1, 3]))))
    x = keras.layers.Conv2D(int(rng.integers(2, 12)), 3, padding="same", activation="relu")(inputs)
    if rng.random() < 0.5:
        x = keras.layers.MaxPooling2D()(x)
    x = keras.layers.DepthwiseConv2D(3, padding="same", activation="relu")(x)
    x = keras.layers.Conv2D(int(rng.integers(4, 24)), 1, activation="relu")(x)
    x = keras.layers.GlobalAveragePooling2D()(x)
    model = keras.Model(inputs, keras.layers.Dense(int(rng.integers(2, 6)), activation="softmax")(x))
    data = rng.uniform(0, 1, (8, *inputs.shape[1:])).astype(np.float32)
    return tm.profile(tm.to_int8(model, data), board=str(rng.choice(["nano33ble", "pico", "esp32s3"])))


def _made_up_layers(rng):
    """Layers whose slowest one is not the one with the most MACs, with float32 and int8 outputs, tied maxima."""
    from tinymlkit.profile.graph import TensorShape

    n = int(rng.integers(5, 9))
    layers = []
    for i in range(n):
        shape = (1, int(rng.integers(2, 20)), int(rng.integers(2, 20)), int(rng.integers(1, 16)))
        layers.append(SimpleNamespace(index=i, op="CONV_2D", macs=int(rng.integers(1000, 50_000)),
                                      latency_ms=float(rng.uniform(0.1, 2.0)),
                                      outputs=[TensorShape(shape, "int8")]))
    big = int(rng.integers(0, n - 1))  # the most MACs and a fast kernel
    layers[big].macs, layers[big].latency_ms = 500_000, 3.0
    slow = (big + 1 + int(rng.integers(0, n - 1))) % n  # a float softmax: little work, much time
    layers[slow].op, layers[slow].macs, layers[slow].latency_ms = "SOFTMAX", 50, 4.0
    layers[slow].outputs = [TensorShape((1, 40, 40, 4), "float32")]  # 25,600 bytes, 6,400 elements
    wide = (slow + 1) % n  # more elements but int8: fewer bytes
    layers[wide].outputs = [TensorShape((1, 80, 80, 2), "int8")]  # 12,800 bytes
    tie = int(rng.choice([i for i in range(n) if i not in (big, slow)]))  # another layer tied with the slowest
    layers[tie].latency_ms = 4.0
    return layers


def check_bottleneck(t: Checker) -> None:
    fn = t.function("bottleneck")
    hint = "the layer with max(layer.latency_ms) (first on a tie); share = its latency_ms / sum of all latency_ms"
    for name, layers in (("made-up layers (the slowest is not the one with the most MACs)", _made_up_layers(t.rng)),
                         ("a random model profiled by tm.profile", _random_profile(t.rng).layers)):
        ok, got = t.call(f"runs on {name}", fn, list(layers), hint=hint)
        if not ok:
            return
        slowest = max(layers, key=lambda layer: layer.latency_ms)
        share = slowest.latency_ms / sum(layer.latency_ms for layer in layers)
        pair = as_pair(got, (int, float))
        if not t.true(f"returns (index, share) on {name}", pair is not None, "a pair (index, share)", repr(got), hint):
            return
        if not t.equal(f"the bottleneck layer's index on {name}", pair[0], slowest.index, hint):
            return
        if not t.close(f"the bottleneck's share of the latency on {name}", pair[1], share, hint, rtol=1e-6):
            return


def _output_bytes(layer):
    return sum(int(np.prod(t.shape)) * np.dtype(t.dtype).itemsize for t in layer.outputs)


def check_largest_output(t: Checker) -> None:
    fn = t.function("largest_output")
    hint = "bytes of a layer = sum over its outputs of np.prod(shape) * np.dtype(dtype).itemsize; keep the first max"
    for name, layers in (("made-up layers with float32 and int8 outputs", _made_up_layers(t.rng)),
                         ("a random model profiled by tm.profile", _random_profile(t.rng).layers)):
        ok, got = t.call(f"runs on {name}", fn, list(layers), hint=hint)
        if not ok:
            return
        biggest = max(layers, key=_output_bytes)
        pair = as_pair(got, (int, float))
        if not t.true(f"returns (index, bytes) on {name}", pair is not None, "a pair (index, bytes)", repr(got), hint):
            return
        if not t.equal(f"the largest output's layer on {name}", pair[0], biggest.index, hint):
            return
        if not t.equal(f"the largest output's bytes on {name}", pair[1], _output_bytes(biggest), hint):
            return


CHECKS = {"bottleneck": check_bottleneck, "largest-output": check_largest_output}
