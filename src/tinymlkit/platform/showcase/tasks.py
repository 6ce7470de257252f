"""The showcase's background jobs: profile a project's model (never in a web request), and find lost jobs."""

import logging
from datetime import timedelta

from django.db import transaction
from django.utils import timezone
from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from tinymlkit.platform.showcase import profiling
from tinymlkit.platform.showcase.models import Project

log = logging.getLogger("tinymlkit.platform.showcase")


def enqueue(project: Project) -> None:
    """Queue the project's current model for profiling once the current transaction commits."""
    pk, version = project.pk, project.model_version
    transaction.on_commit(lambda: profile_project(pk, version))


@db_task()
def profile_project(project_id: int, version: int) -> str:
    claimed = Project.objects.filter(
        pk=project_id, model_version=version, profile_status=Project.Profile.QUEUED
    ).update(profile_status=Project.Profile.RUNNING, profile_started_at=timezone.now())
    if not claimed:
        return "skipped"  # profiled already, or the model was replaced since
    project = Project.objects.get(pk=project_id)
    try:
        result = profiling.profile_bytes(bytes(project.model_data), project.board, project.model_name)
    except ValueError as exc:
        _save(project_id, version, Project.Profile.ERROR, None, str(exc))
        return "error"
    except Exception as exc:  # the job itself failed: say so, keep the project
        log.exception("profiling project %s failed", project_id)
        _save(project_id, version, Project.Profile.ERROR, None, f"the profiler failed: {type(exc).__name__}: {exc}")
        return "error"
    _save(project_id, version, Project.Profile.DONE, result, "")
    return "done"


def _save(project_id: int, version: int, status: str, result, error: str) -> None:
    Project.objects.filter(pk=project_id, model_version=version, profile_status=Project.Profile.RUNNING).update(
        profile_status=status,
        profile=result,
        profile_error=error.replace("\x00", "")[:500],
        ops=" ".join((result or {}).get("ops") or [])[:1000],
    )


@db_periodic_task(crontab(minute="*/5"))
def sweep_lost_profiles() -> int:
    """Profiling jobs whose worker died: marked as failed, so the owner can upload again."""
    cutoff = timezone.now() - timedelta(seconds=profiling.WALL_S + 120)
    return Project.objects.filter(profile_status=Project.Profile.RUNNING, profile_started_at__lt=cutoff).update(
        profile_status=Project.Profile.ERROR, profile_error="the profiling job was lost (its worker stopped)"
    )
