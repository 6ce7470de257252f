# %% [markdown]
# # Lab: C++ beside NumPy: int8 quantization, a moving average and a sensor test
#
# Two functions every sketch of the course has, written in C++ and compared with NumPy: the quantization that
# turns a sensor's float reading into the model's int8 input, and a ring buffer that averages the last samples.
# Each C++ function is compiled with this computer's `g++` into a small program that reads numbers on its
# standard input and prints one answer per line, so NumPy can check every answer. Then a first test of the
# board's motion sensor, on a simulated board.
#
# Cells marked **Exercise** are graded: `tinyml course check c3-cpp`.

# %%
# Everything this lab uses, in one place.
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

import numpy as np

from tinymlkit.capture.board_sim import SimulatedBoard
from tinymlkit.capture.imu import imu_table
from tinymlkit.capture.serial_link import BoardConnection

FAST = os.environ.get("TINYML_COURSE_FAST") == "1"
rng = np.random.default_rng(0)


def run_cpp(source, main, numbers, defines=()):
    """Compile ``source`` followed by ``main`` with g++, run it with ``numbers`` on its standard input (one per
    line; strings as they are), and return the numbers it prints. A compile error is printed in full."""
    gxx = shutil.which("g++")
    if gxx is None:
        raise RuntimeError("g++ is not installed: install it (e.g. `apt install g++`) to compile C++")
    with tempfile.TemporaryDirectory() as folder:
        cpp, exe = Path(folder) / "program.cpp", Path(folder) / "program"
        cpp.write_text("#include <cmath>\n#include <cstdint>\n#include <cstdio>\n" + source + "\n" + main)
        build = subprocess.run([gxx, "-std=c++17", "-O1", "-Wall", *(f"-D{d}" for d in defines), str(cpp),
                                "-o", str(exe)], capture_output=True, text=True)
        if build.returncode != 0:
            raise RuntimeError("the C++ does not compile:\n" + build.stderr)
        text = "\n".join(v if isinstance(v, str) else repr(float(v)) for v in numbers) + "\n"
        run = subprocess.run([str(exe)], input=text, capture_output=True, text=True, timeout=10)
        if run.returncode != 0:
            raise RuntimeError(f"the program stopped with status {run.returncode}: {run.stderr[:300]}")
    return np.array([float(v) for v in run.stdout.split()])


print("g++:", shutil.which("g++"))

# %% [markdown]
# ## Exercise `quantize`
# A model converted to int8 takes `q = round(x / scale) + zero_point`, clamped to [-128, 127]: the scale and
# zero point come from the model's input tensor. Write `quantize_cpp()` returning C++ source that defines
# `int8_t quantize(float x, float scale, int zero_point)`. Round halves away from zero (`std::round`, as TFLM
# does) and clamp **before** converting to `int8_t`: a conversion does not saturate, it wraps around.

# %% exercise="quantize"
def quantize_cpp():
    raise NotImplementedError  # your code here: return the C++ source as a string


# %%
QUANTIZE_MAIN = """
int main() {
  float scale, x;
  int zero_point;
  if (scanf("%f %d", &scale, &zero_point) != 2) return 1;
  while (scanf("%f", &x) == 1) printf("%d\\n", (int)quantize(x, scale, zero_point));
}
"""

scale, zero_point = 0.02, -10
x = np.concatenate([rng.uniform(-3, 3, 8), [0.0, 0.01, -0.01, 0.03, 100.0, -100.0]]).astype(np.float32)
mine = run_cpp(quantize_cpp(), QUANTIZE_MAIN, [scale, str(zero_point), *x])
scaled = x / np.float32(scale)
numpy = np.clip(np.sign(scaled) * np.floor(np.abs(scaled) + 0.5) + zero_point, -128, 127)  # halves away from 0
for value, got, want in zip(x, mine, numpy, strict=True):
    print(f"x = {value:9.4f}  C++ {int(got):5d}  NumPy {int(want):5d}")
print("all equal:", bool(np.array_equal(mine, numpy)))

# %% [markdown]
# ## Exercise `moving-average`
# The sketch smooths a noisy reading (a sensor, or the model's scores) with the mean of the last `WINDOW`
# samples. Write `moving_average_cpp()` returning C++ source that defines `float push_sample(float x)`, keeping
# the samples in a `static float` array of `WINDOW` elements and an index that wraps around; it returns the
# mean of all samples so far until `WINDOW` have come, then of the last `WINDOW`. The program below defines
# `WINDOW` on the compiler's command line (`-DWINDOW=5`).

# %% exercise="moving-average"
def moving_average_cpp():
    raise NotImplementedError  # your code here: return the C++ source as a string


# %%
AVERAGE_MAIN = """
int main() {
  float x;
  while (scanf("%f", &x) == 1) printf("%.9g\\n", push_sample(x));
}
"""

window = 5
samples = rng.normal(1.0, 0.5, 40 if FAST else 400).astype(np.float32)
mine = run_cpp(moving_average_cpp(), AVERAGE_MAIN, samples, defines=[f"WINDOW={window}"])
numpy = np.array([samples[max(0, i + 1 - window): i + 1].mean() for i in range(len(samples))])
print("first outputs, C++:  ", np.round(mine[:8], 4))
print("first outputs, NumPy:", np.round(numpy[:8], 4))
print(f"largest difference over {len(samples)} samples: {np.abs(mine - numpy).max():.2e}")

# %% [markdown]
# ## Exercise `imu-test`
# Before a model runs on a board, each sensor is tested alone. The simulated Nano 33 BLE Sense below runs the
# toolkit's capture sketch on a pseudo-terminal (`tinyml device simulate`; `tinyml record imu --port` reads a
# real board the same way), and a person draws an "O" with it. `imu_table` gives one row per sample: time in ms,
# ax, ay, az in g, gx, gy, gz in degrees per second. Write `imu_figures(table)` returning `(rate_hz, gravity_g)`:
# the sample rate from the first and last timestamps (n samples span n - 1 intervals), and the mean of the
# acceleration's magnitude over the samples. A board that reads about 0 g is not started or not wired; one far
# from its stated rate loses samples.

# %% exercise="imu-test"
def imu_figures(table):
    raise NotImplementedError  # your code here


# %%
with SimulatedBoard("imu", speed=float("inf"), seed=3) as board, BoardConnection(board.port) as conn:
    header = conn.wait_header("imu")
    table = imu_table(conn.record(2000, label="O"))
rate_hz, gravity_g = imu_figures(table)
print(f"{header.fields.get('board')} with {header.fields.get('imu')}: stated {header.rate_hz} Hz")
print(f"{len(table)} samples: {rate_hz:.2f} Hz measured, acceleration {gravity_g:.3f} g on average")

# %% [markdown]
# **Try it**: replace `std::round` by a cast to `int` in your quantizer. Which inputs change, and by how much?
