"""The token API behind ``tinyml compete submit --server``: the same checks, limit and worker as the upload form.

``POST /api/v1/compete/<challenge>/entries/`` with JSON ``{"name", "model" (base64), "labels"}``;
``GET /api/v1/compete/entries/<id>/`` for its state. A learner sees only their own entries; the private result
is never sent before the deadline.
"""

import base64
import binascii
import json

from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import HttpRequest, JsonResponse
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from tinymlkit.errors import TinyMLError
from tinymlkit.platform.competition.forms import EntryForm
from tinymlkit.platform.competition.models import Entry
from tinymlkit.platform.competition.views import LimitReached, create_entry
from tinymlkit.platform.grading.api import UNAUTHORIZED, _error, _token_user


@csrf_exempt
@require_POST
def create(request: HttpRequest, name: str) -> JsonResponse:
    from tinymlkit import compete

    user = _token_user(request)
    if user is None:
        return _error(UNAUTHORIZED, 401)
    try:
        challenge = compete.get_challenge(name)
    except TinyMLError as exc:
        return _error(str(exc), 404)
    if not challenge.open(timezone.now()):
        return _error(f"challenge {challenge.name} closed on {challenge.deadline:%Y-%m-%d %H:%M} UTC", 409)
    try:
        body = json.loads(request.body or b"{}")
        model = base64.b64decode(str(body["model"]), validate=True)
        labels = body.get("labels") or []
        filename = str(body.get("name") or "model.tflite")
        if not isinstance(labels, list):
            raise TypeError("labels")
    except (ValueError, KeyError, TypeError, binascii.Error):
        return _error('send JSON {"name": "model.tflite", "model": "<base64>", "labels": [...]}', 400)
    form = EntryForm(
        {"labels": ",".join(str(x) for x in labels)},
        {"model": SimpleUploadedFile(filename, model)},
        challenge=challenge,
    )
    if not form.is_valid():
        return _error(" ".join(e for errors in form.errors.values() for e in errors), 400)
    try:
        entry = create_entry(user, challenge, form.cleaned_data)
    except LimitReached as exc:
        return _error(str(exc), 429)
    return JsonResponse(describe(request, entry, challenge), status=201)


@require_GET
def detail(request: HttpRequest, pk: int) -> JsonResponse:
    from tinymlkit import compete

    user = _token_user(request)
    if user is None:
        return _error(UNAUTHORIZED, 401)
    entry = Entry.objects.filter(pk=pk, user=user).defer("model").first()
    if entry is None:
        return _error("no such entry", 404)
    return JsonResponse(describe(request, entry, compete.get_challenge(entry.challenge)))


def describe(request: HttpRequest, entry: Entry, challenge) -> dict:
    score = dict(entry.score or {})
    if challenge.open(timezone.now()) and "accuracy" in score:  # the private result waits for the deadline
        score["accuracy"] = {"public": score["accuracy"].get("public")}
    return {
        "id": entry.pk,
        "challenge": entry.challenge,
        "status": entry.status,
        "done": entry.done,
        "reason": entry.reason,
        "public_accuracy": entry.public_accuracy,
        "fits": entry.fits,
        "score": score or None,
        "url": request.build_absolute_uri(f"/compete/entries/{entry.pk}/"),
    }
