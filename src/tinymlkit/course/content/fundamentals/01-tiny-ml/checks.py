"""Checks of the lab c1-will-it-fit."""

from tinymlkit.course.checks import Checker


def _sizes(t: Checker) -> list[int]:
    return [int(v) for v in t.rng.integers(1, 300, size=int(t.rng.integers(2, 6)))]


def check_parameters(t: Checker) -> None:
    fn = t.function("dense_parameters")
    hint = "each layer: n_in * n_out weights plus n_out biases; sum over consecutive pairs of layer_sizes"
    for name, sizes in [("hello world [1, 16, 16, 1]", [1, 16, 16, 1]), ("random network", _sizes(t))]:
        ok, got = t.call(name, fn, list(sizes), hint=hint)
        if ok:
            expected = sum(a * b + b for a, b in zip(sizes[:-1], sizes[1:]))
            t.equal(f"parameters of {name} {sizes}", got, expected, hint)


def check_macs(t: Checker) -> None:
    fn = t.function("dense_macs")
    hint = "one multiply-accumulate per weight: n_in * n_out per layer; biases need no multiplication"
    # at least three sizes: with two, n_in * n_out is also the product of all sizes
    random_sizes = [int(v) for v in t.rng.integers(1, 300, size=int(t.rng.integers(3, 6)))]
    for name, sizes in [("hello world", [1, 16, 16, 1]), ("a random network", random_sizes)]:
        ok, got = t.call(f"runs on {name}", fn, list(sizes), hint=hint)
        if ok:
            t.equal(f"MACs of {name} {sizes}", got, sum(a * b for a, b in zip(sizes[:-1], sizes[1:])), hint)


def check_fits(t: Checker) -> None:
    fn = t.function("fits_on_board")
    flash, ram = int(t.rng.integers(100_000, 2_000_000)), int(t.rng.integers(20_000, 500_000))
    cases = [
        ("fits in both", flash // 2, ram // 2, True),
        ("model too big for flash", flash + 1, ram // 2, False),
        ("arena too big for RAM", flash // 2, ram + 1, False),
        ("exactly the budgets", flash, ram, True),
    ]
    for name, model_bytes, arena_bytes, expected in cases:
        ok, got = t.call(name, fn, model_bytes, arena_bytes, flash, ram)
        if ok:
            t.true(name, got is expected or got == expected, repr(expected), repr(got),
                   "compare the model with the flash budget AND the arena with the RAM budget (<= fits)")


CHECKS = {"parameters": check_parameters, "macs": check_macs, "fits": check_fits}
