"""Profile an uploaded .tflite in the worker, through ``tinyml profile`` in a child process.

The upload is never trusted: the child gets a scratch folder, an environment without the platform's settings
(no database URL, no secret key), CPU, file-size and wall-clock limits, and its output is read back as JSON only.
"""

import json
import os
import resource
import subprocess
import sys
import tempfile
from pathlib import Path

import tinymlkit

MODEL_MAX_BYTES = 2 * 1024 * 1024
WALL_S = 240
CPU_S = 180
KEPT = (
    "name",
    "flash_bytes",
    "parameters",
    "macs",
    "ops",
    "inputs",
    "outputs",
    "peak_activation_bytes",
    "arena_bytes",
    "arena_bytes_32bit",
    "arena_note",
    "issues",
    "board",
    "latency_ms",
    "fit",
    "runnable",
    "hybrid",
)


def looks_like_tflite(data: bytes) -> bool:
    """The FlatBuffer file identifier of a TensorFlow Lite model sits at bytes 4-8."""
    return len(data) > 8 and data[4:8] == b"TFL3"


def _limits() -> None:
    resource.setrlimit(resource.RLIMIT_CPU, (CPU_S, CPU_S))
    resource.setrlimit(resource.RLIMIT_FSIZE, (64 * 1024 * 1024, 64 * 1024 * 1024))
    os.nice(10)


def profile_bytes(data: bytes, board: str = "", name: str = "model.tflite") -> dict:
    """The profile of ``data`` as a dict (what ``tinyml profile --json`` writes, the per-layer table left out).

    Raises ValueError with one line saying why when the file cannot be profiled.
    """
    with tempfile.TemporaryDirectory(prefix="tinyml-showcase-") as scratch:
        model, out = Path(scratch) / "model.tflite", Path(scratch) / "profile.json"
        model.write_bytes(data)
        command = [sys.executable, "-m", "tinymlkit", "profile", str(model), "--json", str(out)]
        if board:
            command += ["--board", board]
        env = {
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            "LANG": "C.UTF-8",
            "HOME": scratch,
            "TMPDIR": scratch,
            "PYTHONPATH": str(Path(tinymlkit.__file__).resolve().parent.parent),
            "NO_COLOR": "1",
            "COLUMNS": "100",
        }
        try:
            done = subprocess.run(
                command, capture_output=True, text=True, env=env, cwd=scratch, timeout=WALL_S, preexec_fn=_limits
            )
        except subprocess.TimeoutExpired:
            raise ValueError(f"profiling took longer than {WALL_S} s") from None
        if done.returncode != 0 or not out.exists():
            lines = [line.strip() for line in (done.stderr or done.stdout).splitlines() if line.strip()]
            why = lines[-1] if lines else f"the profiler exited with status {done.returncode}"
            for prefix in ("Error: ", "error: "):
                why = why.removeprefix(prefix)
            raise ValueError(why.replace(str(model), name)[:500])
        full = json.loads(out.read_text())
    return {k: full.get(k) for k in KEPT}
