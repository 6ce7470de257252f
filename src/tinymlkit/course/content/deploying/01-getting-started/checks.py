"""Checks of the lab c3-cpp: the learner's C++ is compiled with g++ and compared with NumPy on random inputs."""

import shutil
import subprocess
import tempfile
from pathlib import Path

import numpy as np

from tinymlkit.course.checks import Checker

HEADERS = "#include <cmath>\n#include <cstdint>\n#include <cstdio>\n"
QUANTIZE_MAIN = """
int main() {
  float scale, x;
  int zero_point;
  if (scanf("%f %d", &scale, &zero_point) != 2) return 1;
  while (scanf("%f", &x) == 1) printf("%d\\n", (int)quantize(x, scale, zero_point));
}
"""
AVERAGE_MAIN = """
int main() {
  float x;
  while (scanf("%f", &x) == 1) printf("%.9g\\n", push_sample(x));
}
"""


class BuildError(Exception):
    pass


def _run(source: str, main: str, numbers, defines=()) -> np.ndarray:
    """Compile ``source`` + ``main`` with g++, feed ``numbers`` (one per line) and return what it prints."""
    gxx = shutil.which("g++")
    if gxx is None:
        raise BuildError("g++ is not installed on this computer")
    with tempfile.TemporaryDirectory() as folder:
        cpp, exe = Path(folder) / "program.cpp", Path(folder) / "program"
        cpp.write_text(HEADERS + source + "\n" + main)
        build = subprocess.run([gxx, "-std=c++17", "-O1", *(f"-D{d}" for d in defines), str(cpp), "-o", str(exe)],
                               capture_output=True, text=True, timeout=120)
        if build.returncode != 0:
            errors = [line for line in build.stderr.splitlines() if "error" in line]
            raise BuildError("; ".join(errors[:2])[:300] or build.stderr[:300])
        text = "\n".join(v if isinstance(v, str) else repr(float(v)) for v in numbers) + "\n"
        try:
            run = subprocess.run([str(exe)], input=text, capture_output=True, text=True, timeout=10)
        except subprocess.TimeoutExpired:
            raise BuildError("the program did not finish within 10 seconds") from None
        if run.returncode != 0:
            raise BuildError(f"the program stopped with status {run.returncode}")
    return np.array([float(v) for v in run.stdout.split()])


def _source(t: Checker, name: str, function: str) -> str | None:
    fn = t.function(name)
    ok, src = t.call(f"{name}() returns the C++ source", fn, hint="return the C++ code as one string")
    if not ok:
        return None
    if not t.true(f"{name}() returns the C++ source", isinstance(src, str) and function in src,
                  f"a string defining {function}", repr(src)[:80], f"return a string that defines {function}"):
        return None
    return src


def _compiled(t: Checker, src: str, main: str, numbers, defines=(), hint="") -> np.ndarray | None:
    try:
        out = _run(src, main, numbers, defines)
    except BuildError as exc:
        t.record("compiles and runs with g++", False, f"expected a program that builds and runs, got: {exc}",
                 hint or "read the compiler's first error; the notebook's run_cpp prints it in full")
        return None
    except subprocess.TimeoutExpired:
        t.record("compiles and runs with g++", False, "expected the build to finish, got a timeout", hint)
        return None
    t.record("compiles and runs with g++", True)
    return out


def _quantize(x: np.ndarray, scale: np.float32, zero_point: int) -> np.ndarray:
    scaled = x.astype(np.float32) / np.float32(scale)  # float32 division, as the board computes it
    rounded = np.sign(scaled) * np.floor(np.abs(scaled).astype(np.float64) + 0.5)  # halves away from zero
    return np.clip(rounded + zero_point, -128, 127)


def _halves(rng: np.random.Generator, scale: np.float32, each: int = 6) -> np.ndarray:
    """Inputs x whose float32 quotient x / scale is exactly a half, +-(m + 0.5): ``each`` with m even (where rounding
    halves to even, std::nearbyint, and away from zero, as TFLM does, differ) and ``each`` with m odd. A tie needs
    the division to land exactly, so x is nudged by one float32 step at a time until it does."""
    found: dict[int, list] = {0: [], 1: []}
    for k in rng.integers(-100, 100, 200):
        target = np.float32(k + 0.5)
        x = np.float32(target * scale)
        for _ in range(4):
            q = np.float32(x / scale)
            if q == target:
                found[int(np.floor(abs(target))) % 2].append(x)
                break
            x = np.nextafter(x, np.float32(np.inf) if q < target else np.float32(-np.inf))
        if all(len(v) >= each for v in found.values()):
            break
    return np.array(found[0][:each] + found[1][:each], dtype=np.float32)


def check_quantize(t: Checker) -> None:
    src = _source(t, "quantize_cpp", "quantize")
    if src is None:
        return
    scale = np.float32(t.rng.uniform(0.005, 0.05))
    zero_point = int(t.rng.integers(-20, 20))
    inside = t.rng.uniform(-120, 120, 60) * scale + 0.0  # within the int8 range
    halves = _halves(t.rng, scale)
    outside = np.concatenate([t.rng.uniform(140, 2000, 10), -t.rng.uniform(140, 2000, 10)]) * scale
    groups = {"values inside the int8 range": inside.astype(np.float32),
              "values halfway between two steps": halves.astype(np.float32),
              "values beyond the int8 range (saturation)": outside.astype(np.float32)}
    numbers = np.concatenate(list(groups.values()))
    hint = "round(x / scale) with std::round or std::lround, add the zero point, clamp to [-128, 127], then convert"
    out = _compiled(t, src, QUANTIZE_MAIN, [scale, str(zero_point), *numbers], hint=hint)
    if out is None:
        return
    if not t.true("one output per input", len(out) == len(numbers), f"{len(numbers)} numbers", f"{len(out)}", hint):
        return
    start = 0
    for name, x in groups.items():
        got, want = out[start : start + len(x)], _quantize(x, scale, zero_point)
        start += len(x)
        t.equal(f"{name}, scale {float(scale):.4f}, zero point {zero_point}", got, want, hint)


def check_moving_average(t: Checker) -> None:
    src = _source(t, "moving_average_cpp", "push_sample")
    if src is None:
        return
    window = int(t.rng.integers(3, 12))
    samples = t.rng.normal(t.rng.uniform(-2, 2), 1.0, 12 * window).astype(np.float32)
    hint = ("keep a static array of WINDOW samples, an index that wraps around (% WINDOW) and a count; "
            "divide by the count until the buffer is full, then by WINDOW")
    out = _compiled(t, src, AVERAGE_MAIN, samples, defines=[f"WINDOW={window}"], hint=hint)
    if out is None:
        return
    want = np.array([samples[max(0, i + 1 - window) : i + 1].astype(np.float64).mean() for i in range(len(samples))])
    if not t.true("one output per sample", len(out) == len(samples), f"{len(samples)} numbers", f"{len(out)}", hint):
        return
    t.close(f"means while the window of {window} fills", out[: window - 1], want[: window - 1], hint, atol=1e-3)
    t.close(f"means once the window of {window} is full", out[window - 1 :], want[window - 1 :], hint, atol=1e-3)


def _imu_table(t: Checker, turning: bool) -> np.ndarray:
    """A recording drawn at check time: a board at a random rate, still (random orientation) or turning."""
    n, rate = int(t.rng.integers(60, 300)), float(t.rng.uniform(50, 200))
    times = np.round(np.arange(n) * 1000.0 / rate + t.rng.uniform(-0.3, 0.3, n), 1)
    times[0], times[-1] = 0.0, round((n - 1) * 1000.0 / rate, 1)
    if turning:  # gravity turns around the board as it rolls through up to a full turn
        angle = np.linspace(0, t.rng.uniform(np.pi, 2 * np.pi), n)
        gravity = np.stack([np.sin(angle), np.zeros(n), np.cos(angle)], axis=1)
    else:
        direction = t.rng.normal(size=3)
        gravity = np.tile(direction / np.linalg.norm(direction), (n, 1))
    accel = gravity * t.rng.uniform(0.97, 1.03) + t.rng.normal(0, 0.01, (n, 3))
    gyro = t.rng.normal(0, 1.0, (n, 3)) + (40.0 if turning else 0.0)
    return np.column_stack([times, accel, gyro])


def check_imu_test(t: Checker) -> None:
    fn = t.function("imu_figures")
    hint = ("rate: (number of samples - 1) intervals over (last time - first time) ms, times 1000; gravity: the "
            "mean over the samples of sqrt(ax**2 + ay**2 + az**2), columns 1-3")
    for name, turning in [("a still board", False), ("a board turning", True)]:
        table = _imu_table(t, turning)
        ok, got = t.call(f"runs on {name}", fn, table.copy(), hint=hint)
        if not ok:
            return
        rate = (len(table) - 1) * 1000.0 / (table[-1, 0] - table[0, 0])
        gravity = np.mean(np.linalg.norm(table[:, 1:4], axis=1))
        if not t.true(f"(rate_hz, gravity_g) for {name}", isinstance(got, list | tuple) and len(got) == 2,
                      "a pair (rate_hz, gravity_g)", repr(got)[:80], hint):
            return
        t.close(f"sample rate of {name} ({len(table)} samples)", got[0], rate, hint, rtol=1e-6)
        t.close(f"mean acceleration of {name}", got[1], gravity, hint, rtol=1e-6)


CHECKS = {"quantize": check_quantize, "moving-average": check_moving_average, "imu-test": check_imu_test}
