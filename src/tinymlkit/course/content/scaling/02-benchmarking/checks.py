"""Checks of the lab c4-benchmark."""

import numpy as np

from tinymlkit.course.checks import Checker


def _number(got):
    try:
        return float(got)
    except (TypeError, ValueError):
        return got


def check_layer_latency(t: Checker) -> None:
    from tinymlkit.profile import load_boards
    from tinymlkit.profile.latency import core_model

    fn = t.function("layer_latency_ms")
    hint = "cycles = scale * costs[kind] * work + costs['op_overhead']; milliseconds = cycles / (clock_mhz * 1000)"
    costs = {kind: float(t.rng.uniform(1, 40)) for kind in ("conv", "depthwise", "fully_connected", "pool")}
    costs["op_overhead"] = float(t.rng.integers(100, 900))
    scale, clock = float(t.rng.uniform(0.5, 5)), float(t.rng.choice([48, 64, 120, 133, 240, 480]))
    kind, work = str(t.rng.choice(["conv", "depthwise", "fully_connected", "pool"])), int(t.rng.integers(200, 5000))
    ok, got = t.call("runs on random costs", fn, kind, work, dict(costs), scale, clock, hint=hint)
    if ok:
        expected = (scale * costs[kind] * work + costs["op_overhead"]) / (clock * 1000)
        t.close(f"ms for {work:,} {kind} MACs at {clock:g} MHz, scale {scale:.2f}", _number(got), expected, hint,
                rtol=1e-6)
    ok, got = t.call("runs on a shape layer", fn, "shape", 0, dict(costs), scale, clock, hint=hint)
    if ok:
        t.close("a shape layer costs only the overhead", _number(got), costs["op_overhead"] / (clock * 1000),
                "a kind missing from costs does no work: costs.get(kind, 0)")
    board = load_boards()[str(t.rng.choice(["nano33ble", "esp32s3", "ek-ra6m4"]))]
    model = core_model(board.core, "optimized")
    work = int(t.rng.integers(1e4, 1e6))
    ok, got = t.call("runs on a real core's figures", fn, "conv", work, dict(model.costs), model.scale,
                     board.clock_mhz, hint=hint)
    if ok:
        t.close(f"ms for {work:,} conv MACs on the {board.id}, as the toolkit's latency model says", _number(got),
                model.cycles("conv", work) / (board.clock_mhz * 1e3), hint)


def check_mlperf(t: Checker) -> None:
    fn = t.function("mlperf_latency_ms")
    hint = "throughput of each run = inferences / seconds; latency in ms = 1000 / np.median(throughputs)"
    latency = float(t.rng.uniform(2, 500))  # ms
    counts = t.rng.integers(int(10_000 / latency) + 1, int(14_000 / latency) + 2, 5)
    seconds = counts * latency / 1000 * t.rng.normal(1.0, 0.02, 5)
    seconds[int(t.rng.integers(5))] *= float(t.rng.uniform(1.3, 2.0))  # one disturbed run
    ok, got = t.call("runs on five runs", fn, seconds.copy(), counts.copy(), hint=hint)
    if ok:
        expected = 1000 / float(np.median(counts / seconds))
        t.close("latency from five runs with different counts and one slow run", _number(got), expected, hint,
                rtol=1e-6)


def _battery(capacity, volts, active, sleep, latency, per_hour):
    active_share = per_hour * latency / 3_600_000
    return capacity * volts / (active * active_share + sleep * (1 - active_share)) / 24


def check_battery(t: Checker) -> None:
    fn = t.function("battery_days")
    hint = ("share of the hour spent inferring = per_hour * latency_ms / 3,600,000 ms; average mW = active x share "
            "+ sleep x (1 - share); days = capacity_mah * volts / average mW / 24")
    for name, per_hour, latency in (("busy", int(t.rng.integers(20_000, 60_000)), float(t.rng.uniform(20, 60))),
                                    ("mostly asleep", int(t.rng.integers(10, 600)), float(t.rng.uniform(5, 200)))):
        args = (float(t.rng.choice([220, 1000, 2500])), float(t.rng.choice([3.0, 3.7])),
                float(t.rng.uniform(10, 80)), float(t.rng.uniform(0.01, 1.0)), latency, per_hour)
        ok, got = t.call(f"runs on a {name} device", fn, *args, hint=hint)
        if ok:
            t.close(f"days for a {name} device {args}", _number(got), _battery(*args), hint)


def check_fit(t: Checker) -> None:
    from tinymlkit.profile import load_boards

    fn = t.function("fit_verdict")
    hint = ("needed = model + reserved flash, arena + reserved RAM; 'does not fit' when either share is above 1, "
            "'tight' when the larger is above 0.9, else 'fits'")
    boards = list(load_boards().values())
    board = boards[int(t.rng.integers(len(boards)))]
    flash_free, ram_free = board.model_flash_budget, board.arena_budget
    cases = {
        "fits": (int(flash_free * t.rng.uniform(0.05, 0.3)), int(ram_free * t.rng.uniform(0.05, 0.3))),
        "tight": (int(board.flash_bytes * 0.95) - board.reserved_flash_bytes, int(ram_free * 0.2)),
        "tight RAM": (int(flash_free * 0.2), int(board.ram_bytes * 0.95) - board.reserved_ram_bytes),
        "does not fit": (int(flash_free * 0.5), ram_free + int(t.rng.integers(1, 4096))),
        "too big for flash": (flash_free + int(t.rng.integers(1, 4096)), int(ram_free * 0.5)),
    }
    for name, (model_bytes, arena) in cases.items():
        flash = (model_bytes + board.reserved_flash_bytes) / board.flash_bytes
        ram = (arena + board.reserved_ram_bytes) / board.ram_bytes
        expected = "does not fit" if max(flash, ram) > 1 else "tight" if max(flash, ram) > 0.9 else "fits"
        ok, got = t.call(f"runs on a {name} case", fn, model_bytes, arena, board, hint=hint)
        if ok and not t.equal(f"verdict for {model_bytes:,} B of model and {arena:,} B of arena on the {board.id} "
                              f"({name})", got, expected, hint):
            return


CHECKS = {"layer-latency": check_layer_latency, "mlperf": check_mlperf, "battery": check_battery, "fit": check_fit}
