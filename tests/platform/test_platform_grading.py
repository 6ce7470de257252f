"""Submissions: graded in the worker's code by the course grader, owned by their learner, limited, never lost."""

import json
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from tinymlkit import course

from quick_exercise import quick_exercise

pytestmark = pytest.mark.django_db


def unfinished(exercise) -> str:
    """An exercise cell as the lab hands it out: not done yet."""
    return f"def {exercise.function}(*args, **kwargs):\n    raise NotImplementedError\n"


def submit(client, lab, exercise="", code=None, upload=None, capture=None):
    data = {"exercise": exercise}
    if code is not None:
        data["code"] = code
    if upload is not None:
        data["notebook"] = upload
    with capture(execute=True):
        return client.post(reverse("submit", args=[lab.slug]), data)


@pytest.fixture
def first_exercise():
    """The quickest exercise to grade."""
    quick = quick_exercise()
    return quick.lab, quick.exercise


def test_a_wrong_answer_gets_the_local_checkers_feedback(
    client, learner, first_exercise, immediate_queue, django_capture_on_commit_callbacks
):
    from tinymlkit.platform.grading.models import Submission

    lab, ex = first_exercise
    client.force_login(learner)
    response = submit(client, lab, ex.slug, code=unfinished(ex), capture=django_capture_on_commit_callbacks)
    sub = Submission.objects.get()
    assert response["Location"] == reverse("submission", args=[sub.pk])
    assert sub.status == "graded" and sub.score == 0 and not sub.passed and sub.jobs == 1
    local = course.grade(lab.slug, unfinished(ex), exercise=ex.slug)
    page = client.get(response["Location"]).content.decode()
    for check in local.results[0].checks:
        assert check.name in page
        if not check.passed:
            assert check.message in page and check.hint in page
    status = client.get(reverse("submission-status", args=[sub.pk])).json()
    assert status == {
        "id": sub.pk,
        "status": "graded",
        "done": True,
        "score": 0.0,
        "max_score": ex.points,
        "passed": False,
    }


def test_an_uploaded_solution_passes_and_counts_in_progress(
    client, learner, first_exercise, immediate_queue, django_capture_on_commit_callbacks
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    lab, ex = first_exercise
    client.force_login(learner)
    upload = SimpleUploadedFile(f"{lab.slug}.py", quick_exercise().solution.encode(), "text/x-python")
    response = submit(client, lab, ex.slug, upload=upload, capture=django_capture_on_commit_callbacks)
    page = client.get(response["Location"]).content.decode()
    assert "passed" in page
    dashboard = client.get(reverse("dashboard")).content.decode()
    assert ex.title in dashboard and f"{ex.points:g} / {ex.points:g}" in dashboard.replace(".0", "")


def test_grading_never_happens_in_the_request(client, learner, first_exercise, django_capture_on_commit_callbacks):
    from huey.contrib.djhuey import HUEY

    from tinymlkit.platform.grading.models import Submission

    lab, ex = first_exercise
    client.force_login(learner)
    before = HUEY.pending_count()
    submit(client, lab, ex.slug, code=unfinished(ex), capture=django_capture_on_commit_callbacks)
    sub = Submission.objects.get()
    assert sub.status == "queued" and HUEY.pending_count() == before + 1
    page = client.get(reverse("submission", args=[sub.pk])).content.decode()
    assert "updates by itself" in page and "platform/poll.js" in page
    HUEY.flush()


def test_a_learner_sees_only_their_own_submissions(client, learner, other_learner, staff, first_exercise):
    from tinymlkit.platform.grading.models import Submission

    lab, ex = first_exercise
    theirs = Submission.objects.create(
        user=other_learner, lab=lab.slug, exercise=ex.slug, source="x = 1", status="error", error="boom"
    )
    client.force_login(learner)
    for name in ("submission", "submission-status"):
        assert client.get(reverse(name, args=[theirs.pk])).status_code == 404
    assert client.post(reverse("submission-retry", args=[theirs.pk])).status_code == 404
    assert str(theirs.pk) not in client.get(reverse("submissions")).content.decode().split("<tbody>")[1]
    client.force_login(staff)
    assert client.get(reverse("submission", args=[theirs.pk])).status_code == 200


@pytest.mark.parametrize(
    "name,payload,message",
    [
        ("big.ipynb", b"{" + b" " * (1024 * 1024 + 10) + b"}", "the limit is 1024 KB"),
        ("model.tflite", b"TFL3" + b"\x00" * 100, "Upload the lab notebook (.ipynb) or a Python file (.py)."),
        ("lab.py", b"\xff\xfe\x00binary", "not UTF-8"),
        ("lab.ipynb", b"this is not json", "not a notebook"),
    ],
)
def test_uploads_are_limited_in_size_and_type(client, learner, first_exercise, name, payload, message):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from tinymlkit.platform.grading.models import Submission

    lab, ex = first_exercise
    client.force_login(learner)
    response = client.post(
        reverse("submit", args=[lab.slug]),
        {"exercise": ex.slug, "notebook": SimpleUploadedFile(name, payload)},
        follow=True,
    )
    assert message in response.content.decode()
    assert not Submission.objects.exists()


def test_a_crashed_grading_job_is_kept_and_can_be_retried(
    client, learner, first_exercise, immediate_queue, monkeypatch, django_capture_on_commit_callbacks
):
    from tinymlkit.platform.grading import isolation
    from tinymlkit.platform.grading.models import Submission

    lab, ex = first_exercise
    client.force_login(learner)
    real = isolation.grade

    def crash(*args, **kwargs):
        raise MemoryError("the worker ran out of memory")

    monkeypatch.setattr(isolation, "grade", crash)
    submit(client, lab, ex.slug, code=unfinished(ex), capture=django_capture_on_commit_callbacks)
    sub = Submission.objects.get()
    assert sub.status == "error" and "MemoryError" in sub.error
    assert "Grade it again" in client.get(reverse("submission", args=[sub.pk])).content.decode()
    monkeypatch.setattr(isolation, "grade", real)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("submission-retry", args=[sub.pk]))
    sub.refresh_from_db()
    assert sub.status == "graded" and sub.jobs == 2


def test_a_job_lost_with_its_worker_is_marked_and_retryable(learner, first_exercise):
    from tinymlkit.platform.grading import tasks
    from tinymlkit.platform.grading.models import Submission

    lab, ex = first_exercise
    old = timezone.now() - tasks.stale_after() - timedelta(seconds=5)
    lost = Submission.objects.create(user=learner, lab=lab.slug, source="x", status="running", started_at=old)
    fresh = Submission.objects.create(
        user=learner, lab=lab.slug, source="x", status="running", started_at=timezone.now()
    )
    assert tasks.sweep_lost_jobs.call_local() == 1
    lost.refresh_from_db()
    fresh.refresh_from_db()
    assert lost.status == "error" and "Retry" in lost.error and fresh.status == "running"


def test_token_api_submits_and_reports_only_to_its_owner(
    client, learner, other_learner, first_exercise, immediate_queue, django_capture_on_commit_callbacks
):
    lab, ex = first_exercise
    client.force_login(learner)
    page = client.post(reverse("token")).content.decode()
    token = page.split('id="new-token">')[1].split("<")[0]
    client.logout()
    body = json.dumps({"lab": lab.slug, "exercise": ex.slug, "name": "mine.py", "source": unfinished(ex)})
    assert client.post(reverse("api-submit"), body, content_type="application/json").status_code == 401
    with django_capture_on_commit_callbacks(execute=True):
        created = client.post(
            reverse("api-submit"), body, content_type="application/json", HTTP_AUTHORIZATION=f"Token {token}"
        )
    assert created.status_code == 201
    state = client.get(
        reverse("api-submission", args=[created.json()["id"]]), HTTP_AUTHORIZATION=f"Token {token}"
    ).json()
    assert state["status"] == "graded" and state["report"]["results"][0]["exercise"] == ex.slug
    from tinymlkit.platform.accounts.models import ApiToken

    other = ApiToken.issue(other_learner)
    assert (
        client.get(reverse("api-submission", args=[state["id"]]), HTTP_AUTHORIZATION=f"Token {other}").status_code
        == 404
    )
    bad = client.post(
        reverse("api-submit"),
        json.dumps({"lab": "nope", "source": "x"}),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Token {token}",
    )
    assert bad.status_code == 404


def fake_report(lab, passed: bool) -> dict:
    """A grade report as the grader writes it, every exercise passed or failed (for progress tests)."""
    results = [
        {
            "exercise": e.slug,
            "score": float(e.points) if passed else 0.0,
            "max_score": float(e.points),
            "passed": passed,
            "checks": [{"name": "check", "passed": passed, "message": "", "hint": ""}],
        }
        for e in lab.exercises
    ]
    report = course.GradeReport.from_dict({"lab": lab.slug, "results": results, "error": None, "duration_s": 1.0})
    return report.to_dict()


def test_instructor_sees_struggling_learners_and_exports_csv(client, learner, other_learner, staff, graded_lab):
    import csv
    import io

    from tinymlkit.platform.grading.models import Submission

    c, u, lab = graded_lab
    for _ in range(3):
        Submission.objects.create(
            user=learner,
            lab=lab.slug,
            source="x",
            status="graded",
            score=0,
            max_score=1,
            report=fake_report(lab, False),
        )
    Submission.objects.create(
        user=other_learner,
        lab=lab.slug,
        source="x",
        status="graded",
        score=1,
        max_score=1,
        passed=True,
        report=fake_report(lab, True),
    )
    client.force_login(staff)
    page = client.get(reverse("instructor")).content.decode()
    struggling = page.split("Struggling learners")[1]
    assert f"<td>{learner.username}</td>" in struggling and f"<td>{other_learner.username}</td>" not in struggling
    response = client.get(reverse("instructor-csv"))
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    in_lab = [r for r in rows if r["kind"] == "exercise" and r["item"].startswith(f"{lab.slug}/")]
    mine = [r for r in in_lab if r["username"] == learner.username]
    assert len(mine) == len(lab.exercises) and all(r["attempts"] == "3" and r["passed"] == "0" for r in mine)
    theirs = [r for r in in_lab if r["username"] == other_learner.username]
    assert all(r["passed"] == "1" for r in theirs)
    assert staff.username not in {r["username"] for r in rows}


def test_certificate_only_when_every_graded_item_passed(client, learner, graded_lab):
    from tinymlkit.platform.courses import content
    from tinymlkit.platform.courses.models import QuizAttempt
    from tinymlkit.platform.grading.models import Submission

    c, _, _ = graded_lab
    client.force_login(learner)
    assert client.get(reverse("certificate", args=[c.slug])).status_code == 403
    for lab in content.graded_labs(c):
        Submission.objects.create(
            user=learner, lab=lab.slug, source="x", status="graded", passed=True, report=fake_report(lab, True)
        )
    for u in c.units:
        if u.quiz and u.quiz.questions:
            n = len(u.quiz.questions)
            QuizAttempt.objects.create(
                user=learner, course=c.slug, unit=u.slug, answers={}, score=n, max_score=n, report={}
            )
    page = client.get(reverse("certificate", args=[c.slug]))
    assert page.status_code == 200 and "certificate of completion" in page.content.decode()
