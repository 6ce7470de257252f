"""Compile a generated Arduino sketch with ``g++ -fsyntax-only`` against the stub headers in arduino_stubs/.

There is no Arduino toolchain in CI; this catches template mistakes (typos, types, missing declarations) in
every .cpp and .ino file of a sketch. Skips when g++ is missing.
"""

import shutil
import subprocess
from pathlib import Path

import pytest

from tinymlkit.runtime.ops import RESOLVER_METHODS

STUBS = Path(__file__).parent / "arduino_stubs"


def compile_sketch(sketch: Path, tmp: Path, defines: tuple[str, ...] = ()) -> None:
    """Fail the test with the compiler's messages if any source file of ``sketch`` does not compile.

    ``defines`` are passed as ``-D`` flags (e.g. ``("USE_OV767X_CAMERA=1",)``)."""
    gxx = shutil.which("g++")
    if gxx is None:
        pytest.skip("g++ not installed")
    methods = "\n".join(f"  TfLiteStatus {m}();" for m in sorted(set(RESOLVER_METHODS.values())))
    (tmp / "op_resolver_methods_stub.inc").write_text(methods + "\n")
    sources = sorted(sketch.glob("*.cpp")) + sorted(sketch.glob("*.ino"))
    assert sources, f"no sources in {sketch}"
    for src in sources:
        cmd = [gxx, "-std=gnu++17", "-fsyntax-only", "-Wall", "-Werror=return-type", f"-I{STUBS}",
               f"-I{STUBS / 'tensorflow/lite/micro'}", f"-I{tmp}", f"-I{sketch}", *(f"-D{d}" for d in defines)]
        if src.suffix == ".ino":
            cmd += ["-x", "c++", "-include", "Arduino.h"]
        result = subprocess.run([*cmd, str(src)], capture_output=True, text=True)
        assert result.returncode == 0, f"{src.name} does not compile:\n{result.stderr}"
