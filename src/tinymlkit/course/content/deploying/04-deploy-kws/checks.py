"""Checks of the lab c3-kws."""

import re

import numpy as np

from tinymlkit.course.checks import Checker


def check_c_array(t: Checker) -> None:
    from tinymlkit.deploy.c_array import parse_c_array

    fn = t.function("model_to_c")
    model = t.rng.integers(0, 256, size=int(t.rng.integers(30, 400))).astype(np.uint8).tobytes()
    name = "g_" + "".join(t.rng.choice(list("abcdefghijklmnopqrstuvwxyz"), size=6))
    ok, got = t.call("runs on random bytes", fn, model, name)
    if not ok:
        return
    if not t.true("returns text", isinstance(got, str), "a str of C source", type(got).__name__,
                  "build the source as one string"):
        return
    try:
        parsed = parse_c_array(got)
    except ValueError:
        parsed = None
    t.true("the array holds the model's bytes", parsed == model, f"{len(model)} bytes equal to the model's",
           "no array between { and };" if parsed is None else f"{len(parsed)} bytes, not the same",
           "write every byte once, in order, as 0x followed by two hex digits (f'0x{b:02x}')")
    declaration = re.search(r"alignas\(16\)\s+const\s+unsigned\s+char\s+" + name + r"\s*\[\s*\]", got)
    t.true(f"declares alignas(16) const unsigned char {name}[]", declaration is not None,
           f"alignas(16) const unsigned char {name}[] = {{...}}", got[:80],
           "const keeps the model in flash, alignas(16) lets TFLM read its tables in place; use the name given")
    length = re.search(r"const\s+int\s+" + name + r"_len\s*=\s*(\d+)\s*;", got)
    t.true("declares the length", length is not None and int(length.group(1)) == len(model),
           f"const int {name}_len = {len(model)};", length.group(0) if length else "no length variable",
           "the length is the number of bytes of the model: len(model)")


def check_quantize(t: Checker) -> None:
    fn = t.function("quantize_frontend")
    hint = "feature = values * 10 / 256; then round(feature / scale) + zero_point, np.clip to [-128, 127], int8"
    values = t.rng.integers(0, 670, size=(49, 40))  # 26 * 25.6 = 665.6: the last steps saturate
    ok, got = t.call("runs on random frontend outputs", fn, values.copy(), hint=hint)
    if ok and t.is_array("returns an int8 array", got, values.shape, np.int8, hint):
        expected = np.clip(np.round(values * 10 / 256 / (26 / 256)) - 128, -128, 127).astype(np.int8)
        t.equal("int8 inputs for random frontend outputs", got, expected, hint)
    scale, zero = float(t.rng.uniform(0.05, 0.2)), int(t.rng.integers(-128, -100))
    values = t.rng.integers(0, 1000, size=200)
    ok, got = t.call("runs with another scale and zero point", fn, values.copy(), scale, zero, hint=hint)
    if ok:
        expected = np.clip(np.round(values * 10 / 256 / scale) + zero, -128, 127).astype(np.int8)
        t.equal(f"int8 inputs with scale {scale:.4f} and zero point {zero}",
                np.asarray(got).astype(np.int64) if isinstance(got, np.ndarray) else got, expected.astype(np.int64),
                "use the scale and zero_point arguments, not fixed numbers")
    big = np.array([0, 665, 700, 5000, 65535])
    ok, got = t.call("runs on large outputs", fn, big.copy(), hint=hint)
    if ok:
        t.equal("large outputs saturate at 127", np.asarray(got).astype(np.int64) if isinstance(got, np.ndarray)
                else got, np.array([-128, 127, 127, 127, 127]),
                "clip to [-128, 127] before converting to int8: astype(np.int8) alone wraps around")


def _stream(rng: np.random.Generator, labels: list[str]) -> tuple[np.ndarray, np.ndarray]:
    """Scores of inferences every 20-100 ms: background silence/unknown, bursts of keywords, some flicker."""
    step = int(rng.choice([20, 50, 100]))
    n = int(rng.integers(150, 300))
    times = np.cumsum(np.full(n, step)) + int(rng.integers(0, 500))
    logits = rng.normal(0, 1, (n, len(labels)))
    logits[:, 0] += 2.0
    i = 0
    while i < n:
        i += int(rng.integers(5, 40))
        length, label = int(rng.integers(2, 30)), int(rng.integers(1, len(labels)))
        logits[i:i + length, label] += float(rng.uniform(3, 8))
        i += length
    p = np.exp(logits)
    return times, p / p.sum(1, keepdims=True)


def _config(settings: dict):
    from tinymlkit.apps.kws.recognizer import RecognizerConfig

    names = {"window_ms": "average_window_ms"}
    return RecognizerConfig(**{names.get(k, k): v for k, v in settings.items()})


def check_recognizer(t: Checker) -> None:
    from tinymlkit.apps.kws.streaming import recognize

    fn = t.function("recognize_commands")
    hint = ("average the 0-255 scores of the last window, report the best above the threshold, and skip a repeat "
            "of the last reported label within suppression_ms (unless silence came in between)")
    labels = ["silence", "unknown", "yes", "no"]
    drawn = {"window_ms": int(t.rng.integers(200, 1500)), "threshold": int(t.rng.integers(120, 230)),
             "suppression_ms": int(t.rng.integers(0, 3000)), "minimum_count": int(t.rng.integers(1, 6))}
    cases = [("the defaults", {}), ("random settings", drawn)]
    for name, settings in cases:
        for _ in range(3):
            for _ in range(50):  # a stream in which the reference recognizes something
                times, scores = _stream(t.rng, labels)
                expected = [(d.label, d.time_ms) for d in recognize(times, scores, labels, _config(settings))]
                if expected:
                    break
            ok, got = t.call(f"runs on a random stream with {name}", fn, times.copy(), scores.copy(), list(labels),
                             hint=hint, **settings)
            if not ok:
                return
            try:
                got = [(str(label), int(time)) for label, time in got]
            except (TypeError, ValueError):
                pass
            if not t.equal(f"commands of a random stream with {name} {settings}" if settings else
                           f"commands of a random stream with {name}", got, expected, hint):
                return
    ok, got = t.call("runs on an empty stream", fn, np.zeros(0, int), np.zeros((0, 4)), list(labels), hint=hint)
    if ok:
        t.true("an empty stream gives no commands", got is not None and len(got) == 0, "[]", repr(got),
               "return an empty list when there were no inferences")


CHECKS = {"c-array": check_c_array, "quantize": check_quantize, "recognizer": check_recognizer}
