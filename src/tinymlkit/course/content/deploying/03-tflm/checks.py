"""Checks of the lab c3-arena."""

import functools

import numpy as np

from tinymlkit.course.checks import Checker

MAX_TRIES = 60  # doubling then bisection needs about 2 x log2(need) tries; a linear search needs thousands


class TooManyTries(Exception):
    pass


@functools.cache
def _real_model(seed: int) -> bytes:
    """A small int8 convolutional model, different on every check run (shapes drawn from ``seed``)."""
    import keras

    from tinymlkit.convert.quantize import to_int8

    rng = np.random.default_rng(seed)
    keras.utils.set_random_seed(seed)
    bias = keras.initializers.RandomNormal(stddev=0.1)  # all-zero shared biases make the host interpreter abort
    side, filters = int(rng.integers(12, 24)), int(rng.integers(4, 12))
    inputs = keras.Input((side, side, 1))
    x = keras.layers.Conv2D(filters, 3, activation="relu", bias_initializer=bias)(inputs)
    x = keras.layers.MaxPooling2D(2)(x)
    x = keras.layers.Flatten()(x)
    model = keras.Model(inputs, keras.layers.Dense(3, activation="softmax", bias_initializer=bias)(x))
    return to_int8(model, rng.uniform(-1, 1, (16, side, side, 1)).astype(np.float32))


def _simulated(need: int):
    """A ``runs(size)`` that works from ``need`` bytes on, counting its calls."""
    calls = []

    def runs(size):
        calls.append(size)
        if len(calls) > MAX_TRIES * 20:
            raise TooManyTries(f"more than {MAX_TRIES * 20} tries")
        return size >= need

    return runs, calls


def check_arena(t: Checker) -> None:
    from tinymlkit.runtime.tflm import check_runs

    fn = t.function("smallest_arena")
    hint = "double the size until runs() is True, then bisect between the last failure and the first success"
    cases = [("a random model", int(t.rng.integers(20_000, 3_000_000))),
             ("a model smaller than the first try", int(t.rng.integers(2, 1000))),
             ("a need that is a power of two", 1 << int(t.rng.integers(11, 20)))]
    for i, (name, need) in enumerate(cases):
        runs, calls = _simulated(need)
        ok, got = t.call(f"runs on {name}", fn, runs, hint=hint)
        if not ok or not t.equal(f"smallest size for {name}", got, need, hint):
            return
        if i == 0:
            t.true("few tries on a random model", len(calls) <= MAX_TRIES, f"at most {MAX_TRIES} calls of runs()",
                   f"{len(calls)} calls", "each try starts the interpreter: double, then halve the interval")
    model = _real_model(int(t.rng.integers(1 << 30)))
    ok, got = t.call("runs on a real model in TFLM", fn, lambda size: check_runs(model, int(size))[0], hint=hint)
    if ok:
        works = isinstance(got, int | np.integer) and check_runs(model, int(got))[0]
        t.true("the real model runs with your size", works, "a size TFLM allocates and invokes", repr(got), hint)
        if works:
            t.true("the real model does not run with 1 byte less", not check_runs(model, int(got) - 1)[0],
                   "the smallest such size", f"{got} still works with {int(got) - 1}",
                   "keep bisecting until the failing and the working sizes are one byte apart")


def check_resolver(t: Checker) -> None:
    from tinymlkit.runtime.model_file import read_model
    from tinymlkit.runtime.ops import RESOLVER_METHODS

    fn = t.function("resolver_calls")
    ops = sorted(RESOLVER_METHODS)
    layers = [ops[i] for i in t.rng.choice(len(ops), size=6, replace=False)]
    layers = layers + [layers[int(i)] for i in t.rng.integers(0, 6, size=5)]  # some operators used again
    expected = sorted(RESOLVER_METHODS[op] for op in layers)
    while expected == sorted(expected):  # first use must not be sorted order, so that sorting is caught here
        t.rng.shuffle(layers)
        expected = list(dict.fromkeys(RESOLVER_METHODS[op] for op in layers))
    ok, got = t.call("runs on random layers", fn, list(layers))
    if ok:
        hint = "one call per operator (skip the ones already listed), in the order the layers first use them"
        t.equal(f"calls for layers {layers}", list(got) if isinstance(got, list | tuple) else got, expected, hint)
    model = _real_model(int(t.rng.integers(1 << 30)))
    real = [op.name for op in read_model(model).ops]
    ok, got = t.call("runs on a real model's layers", fn, list(real))
    if ok:
        t.equal(f"calls for a real model {real}", list(got) if isinstance(got, list | tuple) else got,
                list(dict.fromkeys(RESOLVER_METHODS[op] for op in real)), "look each operator up in RESOLVER_METHODS")
    try:
        fn(["CONV_2D", "MY_CUSTOM_OP", "SOFTMAX"])
        t.record("an operator TFLM lacks raises ValueError", False, "expected ValueError, got a result",
                 "raise ValueError when an operator is not in RESOLVER_METHODS: the sketch could not run the model")
    except ValueError:
        t.record("an operator TFLM lacks raises ValueError", True)
    except Exception as exc:  # noqa: BLE001 - the learner's code may raise anything
        t.record("an operator TFLM lacks raises ValueError", False, f"expected ValueError, got {type(exc).__name__}",
                 "check `op in RESOLVER_METHODS` before looking it up, and raise ValueError")


def check_shared(t: Checker) -> None:
    fn = t.function("shared_arena")
    hint = "the models take turns: the arena must hold the largest one; the saving is what separate arenas add"
    for name, needs in [("two models", [int(v) for v in t.rng.integers(2_000, 200_000, size=2)]),
                        ("four models", [int(v) for v in t.rng.integers(2_000, 200_000, size=4)]),
                        ("one model", [int(t.rng.integers(2_000, 200_000))])]:
        ok, got = t.call(f"runs on {name}", fn, list(needs), hint=hint)
        if ok:
            expected = (max(needs), sum(needs) - max(needs))
            t.equal(f"(shared, saving) for {name} {needs}", tuple(got) if isinstance(got, list | tuple) else got,
                    expected, hint)


CHECKS = {"arena": check_arena, "resolver": check_resolver, "shared": check_shared}
