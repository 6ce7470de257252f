"""Checks of the lab c3-embedded: bytes of tensors, peak activation memory, and the fit on catalogue boards."""

import math

import numpy as np

from tinymlkit.course.checks import Checker

SIZES = {"int8": 1, "uint8": 1, "int16": 2, "float16": 2, "int32": 4, "float32": 4}


def _shape(t: Checker) -> tuple[int, ...]:
    return tuple(int(d) for d in t.rng.integers(1, 40, size=int(t.rng.integers(1, 5))))


def _bytes(shape, dtype) -> int:
    return math.prod(shape) * SIZES[dtype]


def check_tensor_bytes(t: Checker) -> None:
    fn = t.function("tensor_bytes")
    hint = "multiply the dimensions together, then by the bytes of one element (np.dtype(dtype).itemsize)"
    groups = {"int8 tensors": ["int8", "int8", "uint8"], "float32 tensors": ["float32", "float32"],
              "int16, int32 and float16 tensors": ["int16", "int32", "float16"]}
    for name, dtypes in groups.items():
        cases = [((1, *_shape(t)), dtype) for dtype in dtypes]
        got = []
        for shape, dtype in cases:
            ok, value = t.call(f"runs on {name}", fn, shape, dtype, hint=hint)
            if not ok:
                return
            got.append(value)
        t.equal(f"bytes of {name} {[f'{s} {d}' for s, d in cases]}", got, [_bytes(s, d) for s, d in cases], hint)


def _model_shapes(t: Checker) -> list[tuple[int, ...]]:
    """The tensors of a random image model: input, convolutions that shrink and widen, then a classifier."""
    side, channels = int(t.rng.integers(24, 97)), int(t.rng.choice([1, 3]))
    shapes = [(1, side, side, channels)]
    for _ in range(int(t.rng.integers(2, 5))):
        side = max(1, side // int(t.rng.choice([1, 2])))
        shapes.append((1, side, side, int(t.rng.integers(4, 33))))
    shapes.append((1, int(t.rng.integers(2, 12))))
    return shapes


def _peak(shapes, dtype) -> int:
    return max(_bytes(a, dtype) + _bytes(b, dtype) for a, b in zip(shapes, shapes[1:], strict=False))


def check_peak_activation(t: Checker) -> None:
    fn = t.function("peak_activation_bytes")
    hint = ("for each layer add the bytes of its input and of its output (consecutive tensors), "
            "then take the largest sum: not the total of all tensors, not the largest single tensor")
    for name, dtype in [("int8 models", "int8"), ("float32 models", "float32")]:
        models = [_model_shapes(t) for _ in range(4)]
        got = []
        for shapes in models:
            ok, value = t.call(f"runs on random {name}", fn, list(shapes), dtype, hint=hint)
            if not ok:
                return
            got.append(value)
        t.equal(f"peak bytes of random {name} {models[0]} ...", got, [_peak(s, dtype) for s in models], hint)
    shapes = [(1, 10), (1, 1000), (1, 10), (1, 10)]
    ok, value = t.call("runs on a model whose peak is at its first layer", fn, shapes, hint=hint)
    if ok:
        t.equal(f"peak bytes of {shapes} in int8 (default dtype)", value, 1010, hint)


def check_fits(t: Checker) -> None:
    from tinymlkit.profile import load_boards

    fn = t.function("models_that_fit")
    hint = ("a model fits when flash_bytes <= board.model_flash_budget and arena_bytes <= board.arena_budget: "
            "compare with the budgets (what the sketch leaves), not with the chip's total flash and RAM")
    boards = list(load_boards().values())
    for i in t.rng.permutation(len(boards))[:3]:
        b = boards[int(i)]
        flash, arena = b.model_flash_budget, b.arena_budget

        def below(limit):
            return int(t.rng.integers(limit // 10, limit))

        def over(limit, total):  # above the budget but within the chip's total: only the reserve says no
            return int(t.rng.integers(limit + 1, total + 1))

        models = {
            "small": (below(flash), below(arena)),
            "exactly at both budgets": (flash, arena),
            "flash over the budget": (over(flash, b.flash_bytes), below(arena)),
            "arena over the budget": (below(flash), over(arena, b.ram_bytes)),
            "both over": (over(flash, b.flash_bytes), over(arena, b.ram_bytes)),
            "float32 giant": (b.flash_bytes * 2, b.ram_bytes * 2),
        }
        names = list(models)
        t.rng.shuffle(names)
        models = {f"m{k}-{n}": models[n] for k, n in enumerate(names)}
        ok, got = t.call(f"runs on the board {b.id}", fn, dict(models), b, hint=hint)
        if not ok:
            return
        want = sorted(n for n, (f, a) in models.items() if f <= flash and a <= arena)
        got = list(got) if isinstance(got, list | tuple) else got
        if not t.equal(f"models that fit {b.id} (flash budget {flash:,}, arena budget {arena:,})", got, want, hint):
            return


CHECKS = {"tensor-bytes": check_tensor_bytes, "peak-activation": check_peak_activation, "fits": check_fits}
