"""The one place tests compile C++: generated Arduino sketches against the stub headers in ``cpp/stubs/``
(``g++ -fsyntax-only``: there is no Arduino toolchain in CI), and host programs that run sketch code beside the
Python implementation (the harnesses in ``cpp/``). Both skip the test when g++ is missing."""

import shutil
import subprocess
from pathlib import Path

import pytest

from tinymlkit.runtime.ops import RESOLVER_METHODS

CPP = Path(__file__).parent / "cpp"
STUBS = CPP / "stubs"
FLAGS = ("-std=gnu++17", "-Wall", "-Werror")


def gxx() -> str:
    """The g++ command, or skip the test."""
    found = shutil.which("g++")
    if found is None:
        pytest.skip("g++ not installed")
    return found


def compile_sketch(sketch: Path, tmp: Path, defines: tuple[str, ...] = (), flags: tuple[str, ...] = ()) -> None:
    """Fail the test with the compiler's messages if any .cpp or .ino file of ``sketch`` does not compile.

    ``defines`` are passed as ``-D`` flags (e.g. ``("USE_OV767X_CAMERA=1",)``), ``flags`` as they are."""
    compiler = gxx()
    methods = "\n".join(f"  TfLiteStatus {m}();" for m in sorted(set(RESOLVER_METHODS.values())))
    (tmp / "op_resolver_methods_stub.inc").write_text(methods + "\n")
    sources = sorted(sketch.glob("*.cpp")) + sorted(sketch.glob("*.ino"))
    assert sources, f"no sources in {sketch}"
    for src in sources:
        cmd = [
            compiler,
            "-std=gnu++17",
            "-fsyntax-only",
            "-Wall",
            "-Werror=return-type",
            f"-I{STUBS}",
            f"-I{STUBS / 'tensorflow/lite/micro'}",
            f"-I{tmp}",
            f"-I{sketch}",
            *(f"-D{d}" for d in defines),
            *flags,
        ]
        if src.suffix == ".ino":
            cmd += ["-x", "c++", "-include", "Arduino.h"]
        result = subprocess.run([*cmd, str(src)], capture_output=True, text=True)
        assert result.returncode == 0, f"{src.name} does not compile:\n{result.stderr}"


def build(out: Path, sources: list[Path], includes: list[Path], flags: tuple[str, ...] = ()) -> Path:
    """Compile and link a host program from ``sources`` (e.g. a harness in ``cpp/`` and sketch files); fail the
    test with the compiler's messages if it does not build. Returns the program's path."""
    cmd = [gxx(), *FLAGS, "-O1", *flags, *(f"-I{i}" for i in includes), *map(str, sources), "-o", str(out)]
    result = subprocess.run(cmd, capture_output=True, text=True)
    assert result.returncode == 0, f"{out.name} does not build:\n{result.stderr}"
    return out
