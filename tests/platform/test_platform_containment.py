"""Hostile submissions, graded through the platform: contained, reported, and the worker goes on grading."""

import os
import socket

import pytest
from django.urls import reverse

from quick_exercise import quick_exercise

pytestmark = [pytest.mark.django_db, pytest.mark.e2e]

ROOT_ONLY = pytest.mark.skipif(os.geteuid() != 0, reason="hiding the platform's files needs a root worker")


@pytest.fixture
def hostile(client, learner, immediate_queue, monkeypatch, django_capture_on_commit_callbacks):
    """Submit code for the lab's first exercise under tight limits; returns the graded submission."""
    from tinymlkit.platform.grading.models import Submission

    monkeypatch.setenv("TINYML_GRADE_WALL_S", "12")
    monkeypatch.setenv("TINYML_GRADE_CPU_S", "6")
    monkeypatch.setenv("TINYML_GRADE_PROCESSES", "64")
    quick = quick_exercise()
    lab, exercise = quick.lab, quick.exercise
    client.force_login(learner)

    def run(code: str) -> Submission:
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(reverse("submit", args=[lab.slug]), {"exercise": exercise.slug, "code": code})
        sub = Submission.objects.get(pk=int(response["Location"].rstrip("/").split("/")[-1]))
        assert sub.status == "graded", sub.error
        page = client.get(reverse("submission", args=[sub.pk])).content.decode()
        return sub, page

    run.exercise = exercise
    run.lab = lab
    run.solution = quick.solution
    return run


def message(sub) -> str:
    return " ".join(
        [sub.report.get("error") or ""] + [c["message"] for r in sub.report["results"] for c in r["checks"]]
    )


def test_an_endless_loop_is_stopped_and_reported(hostile):
    sub, page = hostile("while True:\n    pass\n")
    assert not sub.passed and sub.score == 0
    assert "stopped" in message(sub) or "cpu" in message(sub).lower()
    assert "were stopped" in page or "CPU" in page


def test_a_fork_bomb_is_contained(hostile):
    code = "import os\nwhile True:\n    try:\n        os.fork()\n    except OSError:\n        pass\n"
    sub, _ = hostile(code)
    assert not sub.passed and sub.status == "graded"


@ROOT_ONLY
def test_the_platforms_files_and_other_jobs_are_out_of_reach(hostile, other_learner):
    from django.conf import settings

    from tinymlkit.platform.grading.models import Submission

    Submission.objects.create(user=other_learner, lab=hostile.lab.slug, source="OTHER-LEARNERS-WORK = 1")
    secret = (settings.DATA_DIR / "secret_key").read_text().strip()
    code = f"""
import os
def {hostile.exercise.function}(*args, **kwargs):
    seen = []
    for path in [{str(settings.DATA_DIR / "secret_key")!r}, {str(settings.DATA_DIR / "queue.sqlite3")!r}]:
        try:
            seen.append(open(path, "rb").read(200).decode("latin-1"))
        except Exception as exc:
            seen.append(type(exc).__name__)
    for pid in os.listdir("/proc"):
        try:
            seen.append(open(f"/proc/{{pid}}/environ", "rb").read().decode("latin-1"))
        except Exception:
            pass
    seen.append(str(os.listdir(os.path.dirname(os.getcwd()))))
    raise ValueError("SEEN " + " | ".join(seen))
"""
    sub, _ = hostile(code)
    text = message(sub)
    assert "SEEN FileNotFoundError | FileNotFoundError" in text
    assert secret not in text and "OTHER-LEARNERS-WORK" not in text and "DATABASE_URL" not in text
    assert "TINYML_SECRET" not in text and "DJANGO_SETTINGS_MODULE" not in text


def test_a_socket_cannot_reach_anything(hostile):
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(1)
    listener.settimeout(0.5)
    port = listener.getsockname()[1]
    code = f"""
import socket
def {hostile.exercise.function}(*args, **kwargs):
    try:
        socket.create_connection(("127.0.0.1", {port}), timeout=3)
        raise ValueError("CONNECTED")
    except OSError as exc:
        raise ValueError(f"BLOCKED {{exc}}")
"""
    try:
        sub, _ = hostile(code)
        if os.geteuid() == 0:
            assert "BLOCKED" in message(sub) and "CONNECTED" not in message(sub)
            with pytest.raises(TimeoutError):
                listener.accept()
    finally:
        listener.close()


def test_the_worker_grades_normally_afterwards(hostile):
    sub, _ = hostile(hostile.solution)
    assert sub.passed, message(sub)
