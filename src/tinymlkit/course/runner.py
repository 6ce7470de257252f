"""The grader's child process: runs the learner's code, then each exercise's checks, and writes the results.

Started by :mod:`tinymlkit.course.sandbox` as ``python -m tinymlkit.course.runner job.json`` inside a scratch
folder, under resource limits. Results are written after every exercise (to a temporary name, then renamed),
so whatever finished before a time-out or crash is kept.
"""

from __future__ import annotations

import importlib.util
import io
import json
import os
import signal
import sys
from pathlib import Path


class CappedText(io.TextIOBase):
    """A text stream that keeps the first ``limit`` characters and counts the rest."""

    def __init__(self, limit: int):
        self.limit = limit
        self.parts: list[str] = []
        self.size = 0
        self.dropped = 0

    def writable(self) -> bool:
        return True

    def write(self, text: str) -> int:
        text = str(text)
        room = self.limit - self.size
        if room > 0:
            self.parts.append(text[:room])
            self.size += min(room, len(text))
        self.dropped += max(0, len(text) - max(room, 0))
        return len(text)

    def value(self) -> str:
        text = "".join(self.parts)
        if self.dropped:
            text += f"\n[... {self.dropped} more characters of output not kept]"
        return text


def load_checks(path: str):
    """A lab's ``checks.py`` as a module (its ``CHECKS``: exercise slug -> check function)."""
    spec = importlib.util.spec_from_file_location("lab_checks", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def check_exercise(checks, namespace: dict, slug: str, seed: int, index: int) -> list:
    """The :class:`~tinymlkit.course.checks.CheckResult` list of exercise ``slug`` on the learner's ``namespace``,
    its inputs drawn from ``seed`` and the exercise's ``index`` in the job; an error of the learner's function ends
    the exercise as a failed check."""
    import numpy as np

    from tinymlkit.course.checks import Checker, MissingFunction, learner_traceback

    t = Checker(namespace, np.random.default_rng([seed, index]))
    try:
        checks.CHECKS[slug](t)
    except MissingFunction:
        pass
    except BaseException as exc:  # noqa: BLE001 - the learner's function may do anything
        t.record(
            "checks complete",
            False,
            f"the checks stopped on an error ({learner_traceback(exc)})",
            "run your function on a small example in the notebook and look at what it returns",
        )
    return t.results


def _write(path: Path, payload: dict) -> None:
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(payload), encoding="utf-8")
    os.replace(tmp, path)


def main(job_path: str) -> None:
    job = json.loads(Path(job_path).read_text(encoding="utf-8"))
    result_path = Path(job["result"])
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a write past the file-size limit fails instead of killing us
    output = CappedText(int(job["output_chars"]))
    sys.stdout = sys.stderr = output

    from tinymlkit.course.checks import CheckResult, learner_traceback

    checks = load_checks(job["checks"])  # loaded before the learner's code runs
    payload: dict = {"error": None, "results": {}, "output": ""}
    namespace: dict = {"__name__": "learner"}
    code = Path(job["code"]).read_text(encoding="utf-8")
    try:
        exec(compile(code, "<your code>", "exec"), namespace)
    except BaseException as exc:  # noqa: BLE001 - anything the learner's code does at top level
        payload["error"] = f"your exercise code stopped before the checks ({learner_traceback(exc)})"
    for index, slug in enumerate(job["exercises"]):
        if payload["error"]:
            failed = CheckResult(
                "your code runs", False, payload["error"], "run the exercise cells in the notebook first"
            )
            payload["results"][slug] = [failed.to_dict()]
            continue
        results = check_exercise(checks, namespace, slug, int(job["seed"]), index)
        payload["results"][slug] = [r.to_dict() for r in results]
        payload["output"] = output.value()
        _write(result_path, payload)
    payload["output"] = output.value()
    _write(result_path, payload)


if __name__ == "__main__":
    main(sys.argv[1])
    sys.stdout.flush()
    os._exit(0)  # skip interpreter teardown: the learner's objects (threads, TF) must not delay or block the exit
