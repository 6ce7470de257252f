"""Scoring jobs, run by the Huey worker (never in a web request) with :func:`tinymlkit.compete.score_model`.

The scorer runs the model in TFLM in a child process under limits, so a model that crashes or hangs the
interpreter ends only that child. Whatever happens, the job ends with the entry ``scored``, ``rejected`` (with a
one-line reason) or ``error`` (the scorer itself failed: retry), written in one update; a periodic sweep finds
jobs a dead worker left behind.
"""

import logging
from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from tinymlkit.errors import TinyMLError
from tinymlkit.platform.competition.models import Entry
from tinymlkit.platform.grading.tasks import printable

log = logging.getLogger("tinymlkit.platform.competition")


def hidden_folder() -> Path:
    """Where the hidden sets are kept: the platform's data folder (for this account only), never the web root."""
    return Path(settings.DATA_DIR) / "competition"


def hidden_parts(challenge) -> dict:
    """Both parts of a challenge's hidden set, made on first use; the private one from the site's secret key."""
    from tinymlkit import compete

    return {
        part: compete.load_part(challenge, part, hidden_folder(), secret=settings.SECRET_KEY) for part in compete.PARTS
    }


def stale_after() -> timedelta:
    """How long a scoring job may run before the sweep decides its worker died (first use makes the hidden set)."""
    from tinymlkit.compete.score import score_limits

    return timedelta(seconds=score_limits().wall_s + 600)


def enqueue(entry: Entry) -> None:
    """Queue ``entry`` for scoring once the current transaction commits."""
    transaction.on_commit(lambda: score_entry(entry.pk))


@db_task()
def score_entry(entry_id: int) -> str:
    from tinymlkit import compete

    claimed = Entry.objects.filter(pk=entry_id, status=Entry.Status.QUEUED).update(
        status=Entry.Status.RUNNING, started_at=timezone.now(), jobs=F("jobs") + 1
    )
    if not claimed:
        return "skipped"  # already scored, or taken by another worker
    entry = Entry.objects.get(pk=entry_id)
    try:
        challenge = compete.get_challenge(entry.challenge)
        parts = hidden_parts(challenge)
    except Exception as exc:  # the challenge or its hidden set is broken: the site's problem, not the learner's
        log.exception("preparing the hidden set for entry %s failed", entry_id)
        return _finish(entry, error=f"The scorer could not prepare the hidden set: {exc}")
    try:
        score = compete.score_model(bytes(entry.model), challenge, parts, labels=entry.labels or None)
    except TinyMLError as exc:  # the model: one line that says what to fix
        return _finish(entry, rejected=str(exc))
    except Exception as exc:  # the scorer itself failed: keep the entry, say why, allow a retry
        log.exception("scoring entry %s failed", entry_id)
        return _finish(entry, error=f"The scorer failed: {type(exc).__name__}: {exc}")
    try:
        return _finish(entry, score=score)
    except Exception as exc:  # e.g. the database refused the result: still never leave the job "running"
        log.exception("saving the score of entry %s failed", entry_id)
        return _finish(entry, error=f"The score could not be saved: {type(exc).__name__}: {exc}")


def _finish(entry: Entry, score=None, rejected: str = "", error: str = "") -> str:
    """Write the outcome in one UPDATE: every field of the result, or none."""
    fields = {
        "finished_at": timezone.now(),
        "public_accuracy": None,
        "private_accuracy": None,
        "fits": None,
        "flash_bytes": None,
        "arena_bytes": None,
        "size_bytes": None,
        "latency_ms": None,
        "score": None,
    }
    if score is not None:
        fields.update(
            status=Entry.Status.SCORED,
            reason="",
            public_accuracy=score.accuracy.get("public"),
            private_accuracy=score.accuracy.get("private"),
            fits=score.fits,
            flash_bytes=score.flash_bytes,
            arena_bytes=score.arena_bytes_32bit,
            size_bytes=score.size_bytes,
            latency_ms=score.latency_ms,
            score=printable(score.to_dict()),
        )
    else:
        lines = (rejected or error).strip().splitlines() or ["unknown failure"]
        fields.update(
            status=Entry.Status.REJECTED if rejected else Entry.Status.ERROR,
            reason=printable(lines[0][:1000]),  # one line, always
        )
    Entry.objects.filter(pk=entry.pk).update(**fields)
    return str(fields["status"])


def retry(entry: Entry) -> bool:
    """Queue an entry whose scoring job failed again; False if it is not in the error state."""
    with transaction.atomic():
        n = Entry.objects.filter(pk=entry.pk, status=Entry.Status.ERROR).update(
            status=Entry.Status.QUEUED, reason="", started_at=None, finished_at=None
        )
        if n:
            enqueue(entry)
    return bool(n)


@db_periodic_task(crontab(minute="*"))
def sweep_lost_entries() -> int:
    """Scoring jobs running far past the scorer's limits are marked ``error`` (retry offered); entries queued for
    as long with no worker taking them are queued again (only one worker can claim an entry)."""
    cutoff = timezone.now() - stale_after()
    lost = Entry.objects.filter(status=Entry.Status.RUNNING, started_at__lt=cutoff).update(
        status=Entry.Status.ERROR,
        finished_at=timezone.now(),
        reason="The scoring job was lost (its worker stopped before finishing). Retry it.",
    )
    for pk in Entry.objects.filter(status=Entry.Status.QUEUED, created_at__lt=cutoff).values_list("pk", flat=True)[
        :100
    ]:
        score_entry(pk)
    return lost
