"""Competitions on the platform: uploads scored in the worker's code, leaderboards, limits and permissions."""

import os
from datetime import timedelta

import numpy as np
import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from tinymlkit import compete

from competegen import float_model, trained_int8, training_images, untrained_int8, write_challenge

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module", autouse=True)
def challenges(tmp_path_factory):
    folder = tmp_path_factory.mktemp("challenges")
    write_challenge(folder, "small-person", daily_limit=3)
    write_challenge(folder, "small-closed", deadline="2020-01-01T00:00:00Z")
    old = os.environ.get("TINYML_CHALLENGES")
    os.environ["TINYML_CHALLENGES"] = str(folder)
    yield folder
    if old is None:
        os.environ.pop("TINYML_CHALLENGES", None)
    else:
        os.environ["TINYML_CHALLENGES"] = old


@pytest.fixture(scope="module")
def good_model():
    x, y = training_images()
    return trained_int8(x, y, epochs=2)


def upload(client, capture, model: bytes, name="model.tflite", labels="", challenge="small-person"):
    with capture(execute=True):
        return client.post(
            reverse("compete-submit", args=[challenge]), {"model": SimpleUploadedFile(name, model), "labels": labels}
        )


def test_an_upload_is_scored_by_the_worker_and_ranked(
    client, learner, good_model, immediate_queue, django_capture_on_commit_callbacks
):
    from tinymlkit.platform.competition.models import Entry
    from tinymlkit.platform.competition.tasks import hidden_parts

    client.force_login(learner)
    response = upload(client, django_capture_on_commit_callbacks, good_model)
    entry = Entry.objects.get()
    assert response["Location"] == reverse("compete-entry", args=[entry.pk])
    assert entry.status == "scored" and entry.jobs == 1 and entry.fits
    challenge = compete.get_challenge("small-person")
    expected = compete.score_model(good_model, challenge, hidden_parts(challenge))
    assert entry.public_accuracy == pytest.approx(expected.accuracy["public"])
    assert entry.private_accuracy == pytest.approx(expected.accuracy["private"])
    assert entry.flash_bytes == len(good_model) and entry.size_bytes == expected.size_bytes
    page = client.get(response["Location"]).content.decode()
    assert entry.public_percent in page and "Profile on the board" in page and "fits the Arduino Nano 33" in page
    assert "Private accuracy" not in page  # not before the deadline
    board = client.get(reverse("compete-challenge", args=["small-person"])).content.decode()
    assert 'id="public-board"' in board and learner.username in board and entry.public_percent in board
    assert 'id="private-board"' not in board
    status = client.get(reverse("compete-entry-status", args=[entry.pk])).json()
    assert status["done"] and status["status"] == "scored" and "private_accuracy" not in status
    listing = client.get(reverse("compete")).content.decode()
    assert "Small person detection" in listing and "1 entrant" in listing


def test_scoring_never_happens_in_the_request(client, learner, good_model, django_capture_on_commit_callbacks):
    from tinymlkit.platform.competition.models import Entry

    client.force_login(learner)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        client.post(
            reverse("compete-submit", args=["small-person"]), {"model": SimpleUploadedFile("m.tflite", good_model)}
        )
    entry = Entry.objects.get()
    assert entry.status == "queued" and len(callbacks) == 1 and bytes(entry.model) == good_model


@pytest.mark.parametrize(
    "name, payload, message",
    [
        ("model.onnx", b"\x00\x00\x00\x00TFL3" + bytes(64), "Upload the model as a .tflite file"),
        ("model.tflite", b"just some text", "not a TensorFlow Lite model"),
        ("model.tflite", b"\x00\x00\x00\x00TFL3" + bytes(300 * 1024), "takes models up to 256 KB"),
    ],
)
def test_uploads_are_limited_in_size_and_type(
    client, learner, name, payload, message, django_capture_on_commit_callbacks
):
    from tinymlkit.platform.competition.models import Entry

    client.force_login(learner)
    response = upload(client, django_capture_on_commit_callbacks, payload, name=name)
    assert response.status_code == 302 and not Entry.objects.exists()
    assert message in client.get(response["Location"]).content.decode()


def test_a_rejected_model_shows_a_one_line_reason(
    client, learner, immediate_queue, good_model, django_capture_on_commit_callbacks
):
    from tinymlkit.platform.competition.models import Entry

    client.force_login(learner)
    response = upload(client, django_capture_on_commit_callbacks, float_model())
    entry = Entry.objects.get()
    assert entry.status == "rejected" and "\n" not in entry.reason and entry.public_accuracy is None
    assert "input is float32; the challenge takes int8" in entry.reason
    page = client.get(response["Location"]).content.decode()
    assert 'id="reason"' in page and "Rejected" in page and "full-integer quantization" in page
    bad_labels = upload(client, django_capture_on_commit_callbacks, good_model, labels="person,cat")
    assert "not the challenge&#x27;s" in client.get(bad_labels["Location"]).content.decode()


def test_the_worker_survives_bad_models_and_scores_the_next(
    client, learner, good_model, immediate_queue, django_capture_on_commit_callbacks
):
    """Truncated, bit-flipped, wrong-shaped and float models through the worker's job: each ends rejected (or
    scored, for a harmless flip) in one update, and a good model after them is scored."""
    from tinymlkit.platform.competition.models import Entry
    from tinymlkit.platform.competition.tasks import score_entry

    rng = np.random.default_rng(1)
    bad = [
        good_model[: len(good_model) // 2],
        good_model[:40],
        untrained_int8((64, 64, 1)),
        untrained_int8(classes=3),
        float_model(),
    ]
    for _ in range(5):
        flipped = bytearray(good_model)
        for pos in rng.integers(8, 200, 4):
            flipped[pos] ^= 0xFF
        bad.append(bytes(flipped))
    for i, model in enumerate(bad):
        entry = Entry.objects.create(
            user=learner,
            challenge="small-person",
            model=model,
            size=len(model),
            sha256=str(i),
            model_name=f"bad{i}.tflite",
        )
        score_entry.call_local(entry.pk)
        entry.refresh_from_db()
        assert entry.status in ("rejected", "scored"), (i, entry.status, entry.reason)
        assert entry.finished_at is not None
        if entry.status == "rejected":
            assert entry.reason and "\n" not in entry.reason and entry.public_accuracy is None
        else:
            assert entry.public_accuracy is not None and entry.score
    assert Entry.objects.filter(status="rejected").count() >= 6
    Entry.objects.update(created_at=timezone.now() - timedelta(days=1))  # out of today's limit
    client.force_login(learner)
    upload(client, django_capture_on_commit_callbacks, good_model)
    assert Entry.objects.latest("created_at").status == "scored"


def test_a_crashed_scoring_job_is_kept_and_can_be_retried(
    client, learner, good_model, immediate_queue, django_capture_on_commit_callbacks, monkeypatch
):
    from tinymlkit.platform.competition.models import Entry

    def crash(*args, **kwargs):
        raise MemoryError("simulated")

    monkeypatch.setattr(compete, "score_model", crash)
    client.force_login(learner)
    upload(client, django_capture_on_commit_callbacks, good_model)
    entry = Entry.objects.get()
    assert entry.status == "error" and "MemoryError" in entry.reason and entry.score is None
    monkeypatch.undo()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("compete-entry-retry", args=[entry.pk]))
    entry.refresh_from_db()
    assert entry.status == "scored" and entry.jobs == 2


def test_a_job_lost_with_its_worker_is_marked_and_retryable(learner):
    from tinymlkit.platform.competition import tasks
    from tinymlkit.platform.competition.models import Entry

    entry = Entry.objects.create(
        user=learner,
        challenge="small-person",
        model=b"x",
        size=1,
        sha256="x",
        status="running",
        started_at=timezone.now() - timedelta(hours=3),
    )
    assert tasks.sweep_lost_entries.call_local() == 1
    entry.refresh_from_db()
    assert entry.status == "error" and "lost" in entry.reason


def test_daily_limit_per_learner_and_challenge(
    client, learner, other_learner, good_model, django_capture_on_commit_callbacks
):
    from tinymlkit.platform.competition.models import Entry

    client.force_login(learner)
    for _ in range(3):
        upload(client, django_capture_on_commit_callbacks, good_model)
    response = upload(client, django_capture_on_commit_callbacks, good_model)
    assert Entry.objects.filter(user=learner).count() == 3
    assert "used today&#x27;s 3 submissions" in client.get(response["Location"]).content.decode()
    Entry.objects.filter(pk=Entry.objects.first().pk).update(status="error")  # the scorer's failure is not counted
    upload(client, django_capture_on_commit_callbacks, good_model)
    assert Entry.objects.filter(user=learner).count() == 4
    yesterday = timezone.now() - timedelta(days=1)
    Entry.objects.filter(user=learner).update(created_at=yesterday)  # a new day
    upload(client, django_capture_on_commit_callbacks, good_model)
    assert Entry.objects.filter(user=learner).count() == 5
    client.force_login(other_learner)  # another learner has their own limit
    upload(client, django_capture_on_commit_callbacks, good_model)
    assert Entry.objects.filter(user=other_learner).count() == 1


def test_learners_see_only_their_own_entries_and_never_the_hidden_set(
    client, learner, other_learner, staff, good_model
):
    from tinymlkit.platform.competition.models import Entry
    from tinymlkit.platform.competition.tasks import hidden_folder, hidden_parts

    entry = Entry.objects.create(
        user=learner,
        challenge="small-person",
        model=good_model,
        size=len(good_model),
        sha256="x",
        model_name="secret-recipe.tflite",
    )
    client.force_login(other_learner)
    for name in ("compete-entry", "compete-entry-status"):
        assert client.get(reverse(name, args=[entry.pk])).status_code == 404
    assert client.post(reverse("compete-entry-retry", args=[entry.pk])).status_code == 404
    page = client.get(reverse("compete-challenge", args=["small-person"])).content.decode()
    assert "secret-recipe" not in page  # another learner's history is not listed
    client.force_login(staff)
    assert client.get(reverse("compete-entry", args=[entry.pk])).status_code == 200
    # The hidden set lives in the data folder, outside the static root, and no URL leads to it.
    hidden_parts(compete.get_challenge("small-person"))
    stored = list(hidden_folder().glob("*/hidden.npz"))
    assert stored and all(settings.STATIC_ROOT not in p.parents for p in stored)
    client.force_login(learner)
    for path in [
        f"/static/../competition/{stored[0].parent.name}/hidden.npz",
        "/static/competition/",
        f"/compete/{stored[0].parent.name}/hidden.npz",
        "/compete/small-person/hidden.npz",
    ]:
        assert client.get(path).status_code == 404, path
    client.logout()
    assert client.post(reverse("compete-submit", args=["small-person"])).status_code == 302  # log in first
    visitor = client.get(reverse("compete-challenge", args=["small-person"])).content.decode()
    assert 'id="public-board"' in visitor and "Log in to submit a model" in visitor and 'id="id_model"' not in visitor
    assert client.get(reverse("compete-challenge", args=["no-such-challenge"])).status_code == 404
    assert not Entry.objects.exclude(pk=entry.pk).exists()


def test_private_board_only_after_the_deadline_and_no_uploads_then(
    client, learner, other_learner, good_model, django_capture_on_commit_callbacks
):
    from tinymlkit.platform.competition.models import Entry

    def scored(user, public, private, challenge):
        return Entry.objects.create(
            user=user,
            challenge=challenge,
            model=b"m",
            size=1,
            sha256="m",
            status="scored",
            public_accuracy=public,
            private_accuracy=private,
            fits=True,
            flash_bytes=1000,
            arena_bytes=500,
            size_bytes=1500,
            latency_ms=3.0,
        )

    for challenge in ("small-person", "small-closed"):
        scored(learner, 0.90, 0.70, challenge)  # best on the public part, worse on the private one
        scored(learner, 0.60, 0.99, challenge)  # not this learner's best on the public part: not on the boards
        scored(other_learner, 0.80, 0.85, challenge)
    closed = client.get(reverse("compete-challenge", args=["small-closed"])).content.decode()
    public, private = closed.split('id="public-board"')[1], closed.split('id="private-board"')[1]
    first, second = f"<td>{learner.username}</td>", f"<td>{other_learner.username}</td>"
    assert public.index(first) < public.index(second)
    assert private.index(second) < private.index(first)  # the final ranking turns
    assert "99.0%" not in closed and "85.0%" in private and "70.0%" in private
    still_open = client.get(reverse("compete-challenge", args=["small-person"])).content.decode()
    assert 'id="private-board"' not in still_open and "85.0%" not in still_open and "70.0%" not in still_open
    client.force_login(learner)
    response = upload(client, django_capture_on_commit_callbacks, good_model, challenge="small-closed")
    assert "closed on 2020-01-01" in client.get(response["Location"]).content.decode()
    assert Entry.objects.filter(challenge="small-closed").count() == 3


def test_token_api_submits_and_reports_only_to_its_owner(
    client, learner, other_learner, good_model, immediate_queue, django_capture_on_commit_callbacks
):
    import base64

    from tinymlkit.platform.accounts.models import ApiToken

    token, other = ApiToken.issue(learner), ApiToken.issue(other_learner)
    url = reverse("api-compete-submit", args=["small-person"])
    body = {"name": "m.tflite", "model": base64.b64encode(good_model).decode(), "labels": ["no_person", "person"]}
    with django_capture_on_commit_callbacks(execute=True):
        made = client.post(url, body, content_type="application/json", HTTP_AUTHORIZATION=f"Token {token}")
    assert made.status_code == 201, made.content
    entry = made.json()
    state = client.get(reverse("api-compete-entry", args=[entry["id"]]), HTTP_AUTHORIZATION=f"Token {token}").json()
    assert state["status"] == "scored" and state["done"] and 0 <= state["public_accuracy"] <= 1
    assert list(state["score"]["accuracy"]) == ["public"]  # the private result waits for the deadline
    assert (
        client.get(reverse("api-compete-entry", args=[entry["id"]]), HTTP_AUTHORIZATION=f"Token {other}").status_code
        == 404
    )
    assert client.post(url, body, content_type="application/json").status_code == 401
    broken = client.post(
        url, {**body, "model": "not base64!"}, content_type="application/json", HTTP_AUTHORIZATION=f"Token {token}"
    )
    assert broken.status_code == 400
    junk = client.post(
        url,
        {**body, "model": base64.b64encode(b"junk").decode()},
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Token {token}",
    )
    assert junk.status_code == 400 and "not a TensorFlow Lite model" in junk.json()["error"]
    for _ in range(2):
        client.post(url, body, content_type="application/json", HTTP_AUTHORIZATION=f"Token {token}")
    limited = client.post(url, body, content_type="application/json", HTTP_AUTHORIZATION=f"Token {token}")
    assert limited.status_code == 429 and "used today" in limited.json()["error"]
    closed = client.post(
        reverse("api-compete-submit", args=["small-closed"]),
        body,
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Token {token}",
    )
    assert closed.status_code == 409
