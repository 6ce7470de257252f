"""Checks of the lab c4-npu: NPU and CPU segments of random operator lists."""

from tinymlkit.course.checks import Checker

VOCABULARY = ["CONV_2D", "DEPTHWISE_CONV_2D", "FULLY_CONNECTED", "MAX_POOL_2D", "AVERAGE_POOL_2D", "ADD", "MUL",
              "RESHAPE", "MEAN", "SOFTMAX", "LOGISTIC", "SQUARED_DIFFERENCE", "TRANSPOSE", "EXP"]


def _segments(ops, supported):
    segments = []
    for op in ops:
        processor = "npu" if op in supported else "cpu"
        if segments and segments[-1][0] == processor:
            segments[-1] = (processor, segments[-1][1] + 1)
        else:
            segments.append((processor, 1))
    return segments


def _cases(rng):
    """Random models: starting on the CPU, ending on the CPU, on the CPU only in between (where handovers are
    twice the CPU segments: a model of the first two kinds can have as many of each), repeated unsupported names,
    all on the NPU, empty."""
    supported = {op for op in VOCABULARY[:-1] if rng.random() < 0.6} | {"CONV_2D"}  # EXP is never supported
    unsupported = [op for op in VOCABULARY if op not in supported]
    cases = []
    for name in ("a model that starts on the CPU", "a model that ends on the CPU"):
        ops = [str(rng.choice(VOCABULARY)) for _ in range(int(rng.integers(8, 20)))]
        ops[0 if "starts" in name else -1] = str(rng.choice(unsupported))
        ops[len(ops) // 2] = ops[len(ops) // 2 + 1] = str(rng.choice(unsupported))  # two CPU calls in a row
        ops[len(ops) // 2 - 1] = "CONV_2D"
        cases.append((name, ops))
    ops = [str(rng.choice(VOCABULARY)) for _ in range(int(rng.integers(8, 20)))]
    ops[0] = ops[-1] = "CONV_2D"
    ops[len(ops) // 2] = str(rng.choice(unsupported))
    cases.append(("a model that starts and ends on the NPU", ops))
    cases.append(("a model entirely on the NPU", ["CONV_2D"] * int(rng.integers(2, 6))))
    cases.append(("an empty model", []))
    return cases, supported


def check_segments(t: Checker) -> None:
    fn = t.function("npu_segments")
    hint = "walk the ops; 'npu' when op in supported else 'cpu'; extend the last pair while the processor is the same"
    cases, supported = _cases(t.rng)
    for name, ops in cases:
        ok, got = t.call(f"runs on {name}", fn, list(ops), set(supported), hint=hint)
        if not ok:
            return
        try:
            got = [(str(p), int(c)) for p, c in got]
        except (TypeError, ValueError):
            pass
        if not t.equal(f"segments of {name} ({len(ops)} ops)", got, _segments(ops, supported), hint):
            return


def check_fallbacks(t: Checker) -> None:
    fn = t.function("fallback_summary")
    hint = ("fallbacks = operator calls not in supported; handovers = number of segments - 1 (0 when none); "
            "names = sorted(set of unsupported names)")
    cases, supported = _cases(t.rng)
    for name, ops in cases:
        ok, got = t.call(f"runs on {name}", fn, list(ops), set(supported), hint=hint)
        if not ok:
            return
        segments = _segments(ops, supported)
        expected = (sum(c for p, c in segments if p == "cpu"), max(len(segments) - 1, 0),
                    sorted({op for op in ops if op not in supported}))
        try:
            fallbacks, handovers, names = got
        except (TypeError, ValueError):
            t.true(f"returns three values on {name}", False, "(fallbacks, handovers, names)", repr(got), hint)
            return
        if not t.equal(f"fallback calls of {name}", fallbacks, expected[0], hint):
            return
        if not t.equal(f"handovers of {name}", handovers, expected[1], hint):
            return
        if not t.equal(f"unsupported names of {name}", list(names), expected[2], hint):
            return


CHECKS = {"segments": check_segments, "fallbacks": check_fallbacks}
