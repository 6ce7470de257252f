"""The one way tests run the ``tinyml`` command: :func:`tinyml` in a subprocess, as a user would, on this
checkout's code; :func:`tinyml_here` through the same entry point in this process (faster; output captured)."""

import contextlib
import io
import os
import subprocess
import sys
from pathlib import Path

SRC = Path(__file__).resolve().parents[1] / "src"


def tinyml(*args: str, cwd=None, timeout: int = 600, env: dict | None = None) -> subprocess.CompletedProcess:
    full_env = {**os.environ, **(env or {})}
    full_env["PYTHONPATH"] = os.pathsep.join(p for p in (str(SRC), full_env.get("PYTHONPATH", "")) if p)
    return subprocess.run(
        [sys.executable, "-m", "tinymlkit", *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        timeout=timeout,
        env=full_env,
    )


def tinyml_here(*args: str) -> subprocess.CompletedProcess:
    """Run ``tinyml ARGS`` through the console entry point in this process; returns a CompletedProcess."""
    from tinymlkit.cli import main, ui

    out, err = io.StringIO(), io.StringIO()
    argv, sys.argv = sys.argv, ["tinyml", *args]
    ui.console.file, ui.errors.file = out, err
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            main()
        code = 0
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else 1
    finally:
        sys.argv = argv
        # None: follow sys.stdout / sys.stderr again, as they were made (saving ``.file`` would pin this test's
        # captured stream into every later test)
        ui.console.file, ui.errors.file = None, None
    return subprocess.CompletedProcess(args, code, out.getvalue(), err.getvalue())


def one_line_error(result: subprocess.CompletedProcess, *needles: str) -> None:
    """Assert that a run failed with exactly one ``error:`` line on stderr, no traceback, naming ``needles``."""
    assert result.returncode == 1, result.stdout + result.stderr
    assert "Traceback" not in result.stdout + result.stderr
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("error:"), result.stderr
    for needle in needles:
        assert needle in lines[0], lines[0]
