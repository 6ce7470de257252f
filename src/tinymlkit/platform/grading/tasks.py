"""Grading jobs, run by the Huey worker (never in a web request) with :func:`tinymlkit.course.grade`.

The grader runs the learner's code in a child process with CPU, memory, file-size and wall-clock limits, no
network and a scratch folder, and turns whatever the code does into a report; :mod:`.isolation` hides the
platform's own files and processes from it. If the grading job itself fails
(an exception here, or a worker killed mid-job), the submission is marked ``error`` with the reason and can be
retried; a periodic sweep finds jobs a dead worker left behind.
"""

import logging
import os
import tempfile
import traceback
from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from tinymlkit.platform.grading import isolation
from tinymlkit.platform.grading.models import Submission

log = logging.getLogger("tinymlkit.platform.grading")
JOBS_FOLDER = "tinyml-platform-jobs"  # scratch folders of grading jobs (each on a private tmpfs when root)


def grading_limits():
    """The grader's limits, tunable by ``TINYML_GRADE_<FIELD>`` variables (e.g. ``TINYML_GRADE_WALL_S=60``)."""
    from dataclasses import fields

    from tinymlkit.course import Limits

    overrides = {}
    for f in fields(Limits):
        value = os.environ.get(f"TINYML_GRADE_{f.name.upper()}")
        if value:
            overrides[f.name] = type(f.default)(float(value)) if isinstance(f.default, int) else float(value)
    return Limits(**overrides)


def stale_after() -> timedelta:
    """How long a running job may last before the sweep decides its worker died."""
    return timedelta(seconds=grading_limits().wall_s + 120)


def enqueue(submission: Submission) -> None:
    """Queue ``submission`` for grading once the current transaction commits."""
    transaction.on_commit(lambda: grade_submission(submission.pk))


@db_task()
def grade_submission(submission_id: int) -> str:
    claimed = Submission.objects.filter(pk=submission_id, status=Submission.Status.QUEUED).update(
        status=Submission.Status.RUNNING, started_at=timezone.now(), jobs=F("jobs") + 1
    )
    if not claimed:
        return "skipped"  # already graded, or taken by another worker
    sub = Submission.objects.get(pk=submission_id)
    try:
        report = isolation.grade(
            sub.lab,
            sub.source,
            sub.exercise or None,
            grading_limits(),
            hide=[Path(settings.DATA_DIR)],
            jobs_dir=Path(tempfile.gettempdir()) / JOBS_FOLDER,
        )
    except Exception as exc:  # the grader itself failed: keep the submission, say why, allow a retry
        log.exception("grading submission %s failed", submission_id)
        _finish(
            sub, error=f"The grader failed: {type(exc).__name__}: {exc}"[:2000], detail=traceback.format_exc(limit=5)
        )
        return "error"
    try:
        _finish(sub, report=report)
    except Exception as exc:  # e.g. the database refused the report: still never leave the job "running"
        log.exception("saving the grade of submission %s failed", submission_id)
        _finish(sub, error=f"The grade could not be saved: {type(exc).__name__}: {exc}"[:2000])
        return "error"
    return "graded"


def _finish(sub: Submission, report=None, error: str = "", detail: str = "") -> None:
    if report is not None:
        sub.status = Submission.Status.GRADED
        sub.report = printable(report.to_dict())
        sub.score, sub.max_score, sub.passed = float(report.score), float(report.max_score), bool(report.passed)
        sub.error = ""
    else:
        sub.status = Submission.Status.ERROR
        sub.error = printable(error)
        sub.report = {"grader_traceback": detail} if detail else None
    sub.finished_at = timezone.now()
    sub.save(update_fields=["status", "report", "score", "max_score", "passed", "error", "finished_at"])


def printable(value):
    """``value`` with NUL characters removed from every string (PostgreSQL's text and JSON cannot store them)."""
    if isinstance(value, str):
        return value.replace("\x00", "\ufffd")
    if isinstance(value, dict):
        return {printable(k): printable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [printable(v) for v in value]
    return value


def retry(sub: Submission) -> bool:
    """Queue a submission whose grading job failed again; False if it is not in the error state."""
    with transaction.atomic():
        n = Submission.objects.filter(pk=sub.pk, status=Submission.Status.ERROR).update(
            status=Submission.Status.QUEUED, error="", report=None, started_at=None, finished_at=None
        )
        if n:
            enqueue(sub)
    return bool(n)


@db_periodic_task(crontab(minute="*"))
def sweep_lost_jobs() -> int:
    """Find jobs a dead worker or a lost queue left behind.

    Running far past the grader's wall-clock limit: marked ``error`` (retry offered). Queued for as long with no
    worker taking them: queued again (a duplicate job is harmless: only one worker can claim a submission).
    """
    cutoff = timezone.now() - stale_after()
    lost = Submission.objects.filter(status=Submission.Status.RUNNING, started_at__lt=cutoff).update(
        status=Submission.Status.ERROR,
        finished_at=timezone.now(),
        error="The grading job was lost (its worker stopped before finishing). Retry it.",
    )
    for pk in Submission.objects.filter(status=Submission.Status.QUEUED, created_at__lt=cutoff).values_list(
        "pk", flat=True
    )[:100]:
        grade_submission(pk)
    return lost
