"""Checks of the lab c4-serving: latency and energy of serving options drawn at random."""

from tinymlkit.course.checks import Checker, as_pair


def _budget(option):
    latency = option["compute_ms"] + option["network_ms"] + option["bytes"] * 8 / option["kbps"]
    return latency, option["compute_mj"] + option["bytes"] * option["uj_per_byte"] / 1000


def _option(rng, latency_ms=None, energy_mj=None):
    """A random option; with targets, its compute figures are set so that the totals hit them."""
    option = {"compute_ms": float(rng.uniform(0.5, 80)), "compute_mj": float(rng.uniform(0, 3)),
              "bytes": int(rng.integers(1, 40_000)), "uj_per_byte": float(rng.uniform(0.05, 2)),
              "kbps": float(rng.choice([250.0, 1000.0, 2000.0, 20_000.0])), "network_ms": float(rng.uniform(0, 120))}
    if latency_ms is not None:
        option["bytes"], option["network_ms"] = int(rng.integers(1, 200)), float(rng.uniform(0, 5))
        option["compute_ms"] = latency_ms - option["network_ms"] - option["bytes"] * 8 / option["kbps"]
        option["compute_mj"] = energy_mj - option["bytes"] * option["uj_per_byte"] / 1000
    return option


def check_budget(t: Checker) -> None:
    fn = t.function("serving_budget")
    hint = ("latency = compute_ms + network_ms + bytes * 8 / kbps (milliseconds); "
            "energy = compute_mj + bytes * uj_per_byte / 1000 (millijoules)")
    for name in ("a random option", "another random option", "an on-device option"):
        option = _option(t.rng)
        if name == "an on-device option":
            option.update(bytes=1, network_ms=0.0)
        ok, got = t.call(f"runs on {name}", fn, dict(option), hint=hint)
        if not ok:
            return
        pair = as_pair(got)
        if not t.true(f"returns (latency_ms, energy_mj) for {name}", pair is not None, "a pair of numbers", repr(got),
                      hint):
            return
        latency, energy = _budget(option)
        if not t.close(f"latency of {name} ({option['bytes']:,} bytes at {option['kbps']:g} kbps)", pair[0], latency,
                       hint, rtol=1e-6):
            return
        if not t.close(f"energy of {name} ({option['bytes']:,} bytes at {option['uj_per_byte']:.2f} uJ/byte)",
                       pair[1], energy, hint, rtol=1e-6):
            return


def check_choose(t: Checker) -> None:
    fn = t.function("cheapest_option")
    hint = "keep the options whose latency <= max_latency_ms; of those, the least energy; None when none is left"
    bound = float(t.rng.uniform(60, 200))
    names = [str(n) for n in t.rng.permutation(["device", "gateway", "cloud", "phone", "edge box"])]
    options = {
        names[0]: _option(t.rng, latency_ms=bound * 3, energy_mj=0.05),  # the cheapest, but too slow
        names[1]: _option(t.rng, latency_ms=bound * 0.1, energy_mj=5.0),  # the fastest, but costly
        names[2]: _option(t.rng, latency_ms=bound * 0.7, energy_mj=0.8),  # the answer
        names[3]: _option(t.rng, latency_ms=bound * 0.5, energy_mj=2.0),
    }
    options = dict(sorted(options.items(), key=lambda item: str(t.rng.random())))
    ok, got = t.call("runs on four options", fn, {k: dict(v) for k, v in options.items()}, bound, hint=hint)
    if ok and not t.equal(f"the cheapest option within {bound:.0f} ms", got, names[2], hint):
        return
    tight = bound * 0.05
    ok, got = t.call("runs with a bound nobody meets", fn, {k: dict(v) for k, v in options.items()}, tight, hint=hint)
    if ok:
        t.true(f"the answer when no option meets {tight:.1f} ms", got is None, "None", repr(got), hint)


CHECKS = {"budget": check_budget, "choose": check_choose}
