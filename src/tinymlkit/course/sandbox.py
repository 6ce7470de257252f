"""Run the grader's child process under limits: CPU, memory, file size, output size, wall clock, no network.

Limits come from ``resource`` (set in the child before it starts). When the grader runs as root (the course
platform's worker in a container), the child also gets a new network namespace with no interfaces and runs as
the unprivileged ``nobody`` user (or, when nobody cannot run this Python, as root with every file system mounted
read-only but the scratch folder), so it can neither reach the network nor change anyone's files; as a normal
user it runs as that user, inside a scratch folder. The scratch folder is removed afterwards in every case.
"""

from __future__ import annotations

import functools
import json
import os
import resource
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import tinymlkit

NOBODY = 65534


@dataclass(frozen=True)
class Limits:
    """Resource limits of one grading run (the learner's code and the checks together)."""

    cpu_s: int = 120
    memory_mb: int = 3072
    wall_s: int = 300
    file_mb: int = 64
    output_kb: int = 256
    processes: int = 512  # threads count too (TensorFlow starts many); enforced when running as nobody


@dataclass
class ChildOutcome:
    payload: dict | None  # what the runner wrote: {"error", "results", "output"}
    timed_out: bool
    returncode: int
    stderr_tail: str
    duration_s: float


# In a new mount namespace: the scratch folder stays writable, every other mount becomes read-only.
_READ_ONLY = (
    'mount --bind "$0" "$0" && '
    "for m in $(awk '{print $2}' /proc/self/mounts | grep -v -E '^/(proc|sys|dev)'); do "
    'mount -o remount,bind,ro "$m" 2>/dev/null; done; '
    'mount -o remount,bind,rw "$0" && exec "$@"'
)


def _isolation_prefix(scratch: Path, mode: str) -> list[str]:
    if mode == "nobody":
        return ["unshare", "--net", "--setuid", str(NOBODY), "--setgid", str(NOBODY), "--"]
    if mode == "read-only":
        return ["unshare", "--net", "--mount", "--propagation", "private", "--", "sh", "-c", _READ_ONLY, str(scratch)]
    return []


@functools.cache
def isolation_mode() -> str:
    """How the child is isolated beyond resource limits, probed once.

    ``nobody``: (root) no network, runs as the unprivileged user nobody. ``read-only``: (root, when nobody cannot
    run this Python) no network, every file system read-only except the scratch folder. ``none``: a normal user:
    resource limits and the scratch folder only.
    """
    if os.geteuid() != 0 or shutil.which("unshare") is None:
        return "none"
    scratch = Path(tempfile.mkdtemp(prefix="tinyml-probe-"))
    probe = [sys.executable, "-c", "import tinymlkit.course.checks"]
    try:
        os.chown(scratch, NOBODY, NOBODY)
        for mode in ("nobody", "read-only"):
            try:
                done = subprocess.run(
                    [*_isolation_prefix(scratch, mode), *probe],
                    cwd=scratch,
                    env=_env(scratch),
                    capture_output=True,
                    timeout=60,
                )
            except (OSError, subprocess.TimeoutExpired):
                continue
            if done.returncode == 0:
                return mode
        return "none"
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def _set_limits(limits: Limits) -> None:
    """Runs in the child between fork and exec."""
    os.setsid()
    memory = limits.memory_mb * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_CPU, (limits.cpu_s, limits.cpu_s + 5))
    resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    resource.setrlimit(resource.RLIMIT_FSIZE, (limits.file_mb * 1024 * 1024,) * 2)
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    if os.geteuid() == 0:
        resource.setrlimit(resource.RLIMIT_NPROC, (limits.processes, limits.processes))


def _env(scratch: Path) -> dict[str, str]:
    package_root = str(Path(tinymlkit.__file__).resolve().parent.parent)
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(scratch),
        "TMPDIR": str(scratch),
        "PYTHONPATH": package_root,
        "PYTHONDONTWRITEBYTECODE": "1",
        "PYTHONHASHSEED": "0",
        "TF_CPP_MIN_LOG_LEVEL": "3",
        "TF_ENABLE_ONEDNN_OPTS": "0",
        "OMP_NUM_THREADS": "2",
        "MPLBACKEND": "Agg",
        "MPLCONFIGDIR": str(scratch / ".matplotlib"),
        "KERAS_HOME": str(scratch / ".keras"),
        "LANG": "C.UTF-8",
    }
    for name in ("TINYML_COURSE_FAST",):
        if name in os.environ:
            env[name] = os.environ[name]
    return env


def _tail(path: Path, limit: int = 2000) -> str:
    try:
        with path.open("rb") as f:
            f.seek(0, os.SEEK_END)
            f.seek(max(0, f.tell() - limit))
            return f.read().decode("utf-8", "replace")
    except OSError:
        return ""


def run_child(code: str, checks: Path, exercises: list[str], seed: int, limits: Limits) -> ChildOutcome:
    """Run ``code`` and the checks of ``exercises`` in a limited child process; never raises for what it does.

    One function on purpose: the scratch folder, the child and its clean-up form one try/finally, so nothing
    the learner's code leaves behind outlives the call.
    """
    scratch = Path(tempfile.mkdtemp(prefix="tinyml-grade-"))
    mode = isolation_mode()
    start = time.monotonic()
    try:
        (scratch / "your_code.py").write_text(code, encoding="utf-8")
        job = {
            "code": str(scratch / "your_code.py"),
            "checks": str(checks),
            "exercises": exercises,
            "seed": seed,
            "result": str(scratch / "result.json"),
            "output_chars": limits.output_kb * 1024,
        }
        (scratch / "job.json").write_text(json.dumps(job), encoding="utf-8")
        command = [sys.executable, "-m", "tinymlkit.course.runner", str(scratch / "job.json")]
        returncode, timed_out, stderr_tail = run_limited(command, scratch, limits, mode)
        payload = None
        try:
            payload = json.loads((scratch / "result.json").read_text(encoding="utf-8"))
            if not isinstance(payload, dict) or not isinstance(payload.get("results"), dict):
                payload = None
        except (OSError, ValueError):
            payload = None
        return ChildOutcome(payload, timed_out, returncode, stderr_tail, time.monotonic() - start)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
        if scratch.exists():  # the learner's code removed permissions somewhere inside: restore, then remove
            for root, dirs, _ in os.walk(scratch):
                for d in dirs:
                    try:
                        os.chmod(os.path.join(root, d), 0o700)
                    except OSError:
                        pass
            shutil.rmtree(scratch, ignore_errors=True)


def run_limited(command: list[str], scratch: Path, limits: Limits, mode: str | None = None) -> tuple[int, bool, str]:
    """Run ``command`` in ``scratch`` under ``limits`` and the isolation of :func:`isolation_mode`; wait for it.

    Returns (exit status, whether the wall clock ran out, the tail of its stderr). Its stdout and stderr go to
    ``stdout.txt`` and ``stderr.txt`` in ``scratch``; the whole process group is killed at the end, so nothing it
    started outlives it. Never raises for what the command does.
    """
    mode = isolation_mode() if mode is None else mode
    if mode == "nobody":
        os.chown(scratch, NOBODY, NOBODY)
    command = [*_isolation_prefix(scratch, mode), *command]
    stderr_path = scratch / "stderr.txt"
    with open(scratch / "stdout.txt", "wb") as out, open(stderr_path, "wb") as err:
        child = subprocess.Popen(
            command,
            cwd=scratch,
            env=_env(scratch),
            stdin=subprocess.DEVNULL,
            stdout=out,
            stderr=err,
            preexec_fn=functools.partial(_set_limits, limits),
        )
        timed_out = False
        try:
            returncode = child.wait(timeout=limits.wall_s)
        except subprocess.TimeoutExpired:
            timed_out = True
            returncode = -signal.SIGKILL
        finally:  # the whole process group: stray children die with it
            try:
                os.killpg(child.pid, signal.SIGKILL)
            except (ProcessLookupError, PermissionError):
                pass
            child.wait()
    return returncode, timed_out, _tail(stderr_path)
