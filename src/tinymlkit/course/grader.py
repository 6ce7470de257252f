"""Grade a learner's lab: the same code runs for ``tinyml course check`` and on the course platform."""

from __future__ import annotations

import secrets
import signal
import time
from dataclasses import asdict, dataclass, field

from tinymlkit.course.catalog import Exercise, catalog
from tinymlkit.course.checks import CheckResult
from tinymlkit.course.notebook import extract_learner_code
from tinymlkit.course.sandbox import ChildOutcome, Limits, run_child


@dataclass
class ExerciseResult:
    exercise: str
    score: float
    max_score: float
    passed: bool
    checks: list[CheckResult] = field(default_factory=list)

    @property
    def failed(self) -> list[CheckResult]:
        return [c for c in self.checks if not c.passed]


@dataclass
class GradeReport:
    lab: str
    results: list[ExerciseResult]
    error: str | None
    duration_s: float
    output: str = ""  # what the learner's code printed (capped)

    @property
    def score(self) -> float:
        return round(sum(r.score for r in self.results), 2)

    @property
    def max_score(self) -> float:
        return sum(r.max_score for r in self.results)

    @property
    def passed(self) -> bool:
        return bool(self.results) and all(r.passed for r in self.results)

    def to_dict(self) -> dict:
        d = asdict(self)
        d.update(score=self.score, max_score=self.max_score, passed=self.passed)
        return d

    @classmethod
    def from_dict(cls, d: dict) -> GradeReport:
        results = [
            ExerciseResult(
                r["exercise"], r["score"], r["max_score"], r["passed"], [CheckResult(**c) for c in r["checks"]]
            )
            for r in d["results"]
        ]
        return cls(d["lab"], results, d.get("error"), d["duration_s"], d.get("output", ""))


def _result(exercise: Exercise, checks: list[CheckResult]) -> ExerciseResult:
    if not checks:
        checks = [
            CheckResult("checks ran", False, "expected at least one check, got none", "report this lab as broken")
        ]
    passed = sum(c.passed for c in checks)
    score = round(exercise.points * passed / len(checks), 2)
    return ExerciseResult(exercise.slug, score, float(exercise.points), passed == len(checks), checks)


def _why_stopped(outcome: ChildOutcome, limits: Limits) -> CheckResult:
    """The failed check for an exercise the child never reached."""
    if outcome.timed_out:
        return CheckResult(
            "finishes in time",
            False,
            f"expected the checks to finish within {limits.wall_s} s, they were stopped",
            "look for a loop that never ends, or make the computation smaller",
        )
    code = outcome.returncode
    if code in (-signal.SIGXCPU, -signal.SIGKILL):
        message = f"expected to finish within {limits.cpu_s} s of CPU time and {limits.memory_mb} MB of memory"
        hint = "look for a loop that never ends or an array far larger than the exercise needs"
    elif code == -signal.SIGSEGV:
        message, hint = "the process crashed (segmentation fault)", "check the model and arrays you pass to TFLM"
    else:
        tail = outcome.stderr_tail.strip().splitlines()[-1:] or [""]
        message = f"the checker process ended early (status {code}) {tail[0][:160]}".strip()
        hint = "do not call exit() or os._exit() in exercise code"
    return CheckResult("checks complete", False, message, hint)


def grade(lab_slug: str, source: str, exercise: str | None = None, limits: Limits = Limits()) -> GradeReport:
    """Grade ``source`` (the learner's .ipynb JSON, jupytext percent text or plain Python) against a lab.

    Raises :class:`~tinymlkit.TinyMLError` only for an unknown lab or exercise; everything the learner's code
    does (syntax errors, exceptions, endless loops, huge output, exits) is reported in the :class:`GradeReport`.
    """
    lab = catalog().lab(lab_slug)
    return grade_exercises(lab_slug, source, [exercise] if exercise else [e.slug for e in lab.exercises], limits)


def grade_exercises(lab_slug: str, source: str, slugs: list[str], limits: Limits = Limits()) -> GradeReport:
    """:func:`grade` for a chosen list of the lab's exercises (all of them in one child process)."""
    lab = catalog().lab(lab_slug)
    exercises = [lab.exercise(slug) for slug in slugs]
    start = time.monotonic()
    learner = extract_learner_code(source)
    if learner.syntax_error:
        failed = CheckResult("your code compiles", False, learner.syntax_error, "fix the line named, then check again")
        results = [_result(e, [failed]) for e in exercises]
        return GradeReport(lab.slug, results, learner.syntax_error, time.monotonic() - start)
    seed = secrets.randbits(31)  # new inputs on every check: the answers cannot be known in advance
    outcome = run_child(learner.code, lab.checks_path, [e.slug for e in exercises], seed, limits)
    payload = outcome.payload or {"results": {}, "error": None, "output": ""}
    results = []
    error = payload.get("error")
    for e in exercises:
        raw = payload["results"].get(e.slug)
        if raw is None:
            stopped = _why_stopped(outcome, limits)
            error = error or stopped.message
            results.append(_result(e, [stopped]))
        else:
            results.append(_result(e, [CheckResult(**c) for c in raw]))
    return GradeReport(lab.slug, results, error, time.monotonic() - start, str(payload.get("output", "")))
