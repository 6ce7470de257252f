"""The showcase: project pages with a Markdown write-up and an optional .tflite that the worker profiles with
``tinyml profile`` in a child process (flash, arena, operators); list, search, permissions, moderation."""

from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

import tinymlkit
from tinymlkit.platform.forum.models import Ban, ModerationAction
from tinymlkit.platform.showcase.models import Project

pytestmark = pytest.mark.django_db
MODEL = Path(tinymlkit.__file__).parent / "course/content/applications/02-keyword-spotting/yes_no.tflite"


def publish(client, user, capture=None, model: tuple[str, bytes] | None = None, board: str = "", **fields):
    client.force_login(user)
    data = {
        "title": "Yes/no on a Nano",
        "body": "I trained **keyword spotting**.\n\n<script>x()</script>",
        "board": board,
        **fields,
    }
    if model:
        data["model"] = SimpleUploadedFile(model[0], model[1], content_type="application/octet-stream")
    if capture is not None:
        with capture(execute=True):
            response = client.post(reverse("showcase-new"), data)
    else:
        response = client.post(reverse("showcase-new"), data)
    return response


def test_a_project_without_a_model(client, learner):
    response = publish(client, learner)
    project = Project.objects.get()
    assert response.status_code == 302 and project.profile_status == "none"
    html = client.get(reverse("showcase-project", args=[project.pk])).content.decode()
    assert "<strong>keyword spotting</strong>" in html and "<script>x()" not in html
    assert project.title in client.get(reverse("showcase")).content.decode()
    client.logout()  # public, like the lessons
    assert client.get(reverse("showcase-project", args=[project.pk])).status_code == 200


def test_the_worker_profiles_the_uploaded_model(client, learner, immediate_queue, django_capture_on_commit_callbacks):
    data = MODEL.read_bytes()
    publish(client, learner, django_capture_on_commit_callbacks, model=("yes_no.tflite", data), board="nano33ble")
    project = Project.objects.get()
    assert project.profile_status == "done", project.profile_error
    p = project.profile
    assert p["flash_bytes"] == len(data) == 19776
    assert 1000 < p["arena_bytes"] < 100_000 and p["arena_bytes_32bit"] < p["arena_bytes"]
    assert {"FULLY_CONNECTED", "SOFTMAX"} <= set(p["ops"]) and p["runnable"]
    assert p["board"]["id"] == "nano33ble" and p["fit"]["verdict"] == "fits"
    html = client.get(reverse("showcase-project", args=[project.pk])).content.decode()
    assert f"{len(data)} bytes" in html and f"{p['arena_bytes']} bytes measured" in html and "SOFTMAX" in html
    status = client.get(reverse("showcase-status", args=[project.pk])).json()
    assert status == {"id": project.pk, "status": "done", "done": True}
    # Search reaches titles, write-ups, authors and operators.
    for q in ("nano", "keyword spotting", learner.username, "depthwise_conv"):
        assert project.title in client.get(reverse("showcase"), {"q": q}).content.decode(), q
    assert "0 projects" in client.get(reverse("showcase"), {"q": "LSTM"}).content.decode()


def test_uploads_that_are_not_models_are_refused_or_reported(
    client, learner, immediate_queue, django_capture_on_commit_callbacks
):
    response = publish(client, learner, model=("notes.tflite", b"just some text, not a model"))
    assert response.status_code == 400 and "not a TensorFlow Lite model" in response.content.decode()
    response = publish(client, learner, model=("model.onnx", MODEL.read_bytes()))
    assert response.status_code == 400 and ".tflite" in response.content.decode()
    assert not Project.objects.exists()
    # A damaged model passes the quick check; the profiler (in its child process) says why, in one line.
    publish(client, learner, django_capture_on_commit_callbacks, model=("cut.tflite", MODEL.read_bytes()[:3000]))
    project = Project.objects.get()
    assert project.profile_status == "error" and project.profile_error
    assert project.profile_error.startswith("cut.tflite is corrupt or truncated")
    assert "Traceback" not in project.profile_error and "\n" not in project.profile_error
    html = client.get(reverse("showcase-project", args=[project.pk])).content.decode()
    assert "could not be profiled" in html


def test_profiling_never_happens_in_the_request(client, learner, django_capture_on_commit_callbacks):
    publish(client, learner, django_capture_on_commit_callbacks, model=("yes_no.tflite", MODEL.read_bytes()))
    project = Project.objects.get()
    assert project.profile_status == "queued"
    assert 'id="status"' in client.get(reverse("showcase-project", args=[project.pk])).content.decode()


def test_only_the_owner_or_staff_edit_and_staff_hide(client, learner, other_learner, staff):
    publish(client, learner)
    project = Project.objects.get()
    edit = reverse("showcase-edit", args=[project.pk])
    client.force_login(other_learner)
    assert client.post(edit, {"title": "Mine now", "body": "ha"}).status_code == 403
    assert client.post(reverse("showcase-hide", args=[project.pk])).status_code == 403
    client.force_login(learner)
    assert client.post(edit, {"title": "Yes/no, version 2", "body": "Better."}).status_code == 302
    project.refresh_from_db()
    assert project.title == "Yes/no, version 2"
    client.force_login(staff)
    client.post(reverse("showcase-hide", args=[project.pk]))
    assert ModerationAction.objects.get().action == "hide_project"
    client.force_login(other_learner)
    assert client.get(reverse("showcase-project", args=[project.pk])).status_code == 404
    assert project.title not in client.get(reverse("showcase")).content.decode()
    client.force_login(learner)  # the owner still sees it, marked
    assert "hidden by a moderator" in client.get(reverse("showcase-project", args=[project.pk])).content.decode()


def test_banned_or_too_fast_users_cannot_publish(client, learner, other_learner, staff, settings):
    Ban.objects.create(user=learner, reason="spam", by=staff)
    response = publish(client, learner)
    assert response.status_code == 400 and "banned" in response.content.decode()
    settings.COMMUNITY_RATE_LIMITS = {**settings.COMMUNITY_RATE_LIMITS, "showcase": (2, 3600)}
    for i in range(3):
        publish(client, other_learner, title=f"Project number {i}")
    assert Project.objects.filter(owner=other_learner).count() == 2
    assert not Project.objects.filter(owner=learner).exists()
