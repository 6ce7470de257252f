"""Run the ``tinyml`` command in a subprocess, as a user would, on this checkout's code."""

import os
import subprocess
import sys
from pathlib import Path

SRC = Path(__file__).resolve().parents[1] / "src"


def tinyml(*args: str, cwd=None, timeout: int = 600, env: dict | None = None) -> subprocess.CompletedProcess:
    full_env = {**os.environ, **(env or {})}
    full_env["PYTHONPATH"] = os.pathsep.join(p for p in (str(SRC), full_env.get("PYTHONPATH", "")) if p)
    return subprocess.run([sys.executable, "-m", "tinymlkit", *args], capture_output=True, text=True, cwd=cwd,
                          timeout=timeout, env=full_env)
