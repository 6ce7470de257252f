"""Grade a submission out of sight of the platform itself.

:func:`tinymlkit.course.grade` already runs the learner's code in a limited child process with no network. When
the worker runs as root, this module adds what only the platform knows about: the grading runs in its own
mount and PID namespaces where the platform's data folder (database, queue, secret key, e-mails) is covered by an
empty file system, scratch folders live on a private tmpfs (one job cannot see another learner's files), the
worker's processes (and their environment, which may hold database passwords) are invisible, the
environment holds nothing secret, and a pids cgroup caps the number of processes (a fork bomb stops there: the
per-user process limit does not bind root). Without root, it calls the grader directly (see docs/platform.md).
"""

import json
import os
import shutil
import signal
import subprocess
import sys
import time
import uuid
from dataclasses import asdict
from pathlib import Path

import tinymlkit

PIDS_CGROUPS = (Path("/sys/fs/cgroup"), Path("/sys/fs/cgroup/pids"))  # cgroup v2, then v1

_HIDE_AND_RUN = (
    'jobs="$1"; shift; '
    'for d in "$@"; do case "$d" in --) break;; esac; [ -d "$d" ] && mount -t tmpfs -o size=64k,mode=700 tmpfs "$d"; '
    "shift; done; shift; "
    'mount -t tmpfs -o mode=1777 tmpfs "$jobs" && exec "$@"'
)


def can_isolate() -> bool:
    return os.geteuid() == 0 and shutil.which("unshare") is not None


def grade(lab: str, source: str, exercise: str | None, limits, hide: list[Path], jobs_dir: Path):
    """:func:`tinymlkit.course.grade` with ``hide`` covered, in fresh mount and PID namespaces when root."""
    from tinymlkit import course

    if not can_isolate():
        return course.grade(lab, source, exercise=exercise, limits=limits)
    jobs_dir.mkdir(parents=True, exist_ok=True)
    command = [
        "unshare",
        "--mount",
        "--pid",
        "--fork",
        "--mount-proc",
        "--propagation",
        "private",
        "--",
        "sh",
        "-c",
        _HIDE_AND_RUN,
        "sh",
        str(jobs_dir),
        *[str(p) for p in hide],
        "--",
        sys.executable,
        "-m",
        "tinymlkit.platform.grading.isolation",
    ]
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "LANG": "C.UTF-8",
        "TMPDIR": str(jobs_dir),
        "HOME": str(jobs_dir),
        "PYTHONPATH": str(Path(tinymlkit.__file__).resolve().parent.parent),
    }
    for name in ("TINYML_COURSE_FAST",):
        if name in os.environ:
            env[name] = os.environ[name]
    job = json.dumps({"lab": lab, "source": source, "exercise": exercise, "limits": asdict(limits)})
    cgroup = _pids_cgroup(limits.processes)
    try:
        done = subprocess.run(
            command,
            input=job,
            capture_output=True,
            text=True,
            env=env,
            timeout=limits.wall_s + 120,
            preexec_fn=(lambda: _join(cgroup)) if cgroup else None,
        )
    finally:
        if cgroup:
            _remove(cgroup)
    lines = done.stdout.strip().splitlines()
    if done.returncode != 0 or not lines:
        raise RuntimeError(f"the isolated grader exited with status {done.returncode}: {done.stderr.strip()[-500:]}")
    return course.GradeReport.from_dict(json.loads(lines[-1]))


def _pids_cgroup(max_pids: int) -> Path | None:
    """A new cgroup allowing ``max_pids`` processes, or None where cgroups cannot be written."""
    for root in PIDS_CGROUPS:
        if not (root / "cgroup.procs").exists() or (
            root == PIDS_CGROUPS[0] and "pids" not in _read(root / "cgroup.subtree_control")
        ):
            continue
        _sweep(root)
        group = root / f"tinyml-grade-{os.getpid()}-{uuid.uuid4().hex[:8]}"
        try:
            group.mkdir()
            (group / "pids.max").write_text(str(max_pids))
            return group
        except OSError:
            _remove(group)
    return None


def _read(path: Path) -> str:
    try:
        return path.read_text()
    except OSError:
        return ""


def _join(group: Path) -> None:
    """Runs in the child before exec: move it (and so all it starts) into ``group``."""
    (group / "cgroup.procs").write_text(str(os.getpid()))


def _remove(group: Path, wait_s: float = 30.0) -> None:
    """Kill whatever is left in ``group`` and remove it (the kernel may take a moment to reap a fork bomb)."""
    deadline = time.monotonic() + wait_s
    while True:
        for pid in _read(group / "cgroup.procs").split():
            try:
                os.kill(int(pid), signal.SIGKILL)
            except (ProcessLookupError, PermissionError, ValueError):
                pass
        try:
            group.rmdir()
            return
        except FileNotFoundError:
            return
        except OSError:
            if time.monotonic() > deadline:
                return  # left for the next job's sweep
            time.sleep(0.1)


def _sweep(root: Path, older_than_s: float = 3600) -> None:
    """Remove grading cgroups that an earlier, interrupted job left behind."""
    for group in root.glob("tinyml-grade-*"):
        try:
            if time.time() - group.stat().st_mtime > older_than_s:
                _remove(group, wait_s=0)
        except OSError:
            pass


def _main() -> None:
    """Inside the namespaces: read the job from stdin, grade, print the report as one JSON line."""
    from tinymlkit import course

    job = json.loads(sys.stdin.read())
    report = course.grade(job["lab"], job["source"], exercise=job["exercise"], limits=course.Limits(**job["limits"]))
    sys.stdout.write("\n" + json.dumps(report.to_dict()) + "\n")


if __name__ == "__main__":
    _main()
