"""Run the ``tinyml`` command in a subprocess, as a user would."""

import subprocess
import sys


def tinyml(*args: str, cwd=None, timeout: int = 600) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "tinymlkit", *args], capture_output=True, text=True, cwd=cwd, timeout=timeout
    )
