"""The token API behind ``tinyml course submit``: JSON in, JSON out, ``Authorization: Token <token>``.

No cookies are involved, so CSRF does not apply; the token identifies the learner, who sees only their own
submissions.
"""

import json

from django.core.exceptions import ValidationError
from django.http import HttpRequest, JsonResponse
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from tinymlkit.errors import TinyMLError
from tinymlkit.platform.accounts.models import ApiToken
from tinymlkit.platform.courses import content
from tinymlkit.platform.grading import tasks
from tinymlkit.platform.grading.forms import check_source
from tinymlkit.platform.grading.models import Submission


def _token_user(request: HttpRequest):
    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() not in ("token", "bearer") or not token.strip():
        return None
    user = ApiToken.user_for(token.strip())
    if user is not None:
        ApiToken.objects.filter(user=user).update(last_used_at=timezone.now())
    return user


def _error(message: str, status: int) -> JsonResponse:
    return JsonResponse({"error": message}, status=status)


UNAUTHORIZED = "missing or unknown token: make one on the site's 'API token' page and pass it with --token"


@csrf_exempt
@require_POST
def create_submission(request: HttpRequest) -> JsonResponse:
    user = _token_user(request)
    if user is None:
        return _error(UNAUTHORIZED, 401)
    try:
        body = json.loads(request.body or b"{}")
        lab_slug, exercise = str(body["lab"]), str(body.get("exercise") or "")
        name, source = str(body.get("name") or "submission.ipynb"), str(body["source"])
    except (ValueError, KeyError, TypeError):
        return _error('send JSON {"lab": ..., "source": ..., "name": ..., "exercise": ...}', 400)
    try:
        lab = content.catalog().lab(lab_slug)
    except TinyMLError as exc:
        return _error(str(exc), 404)
    if exercise and exercise not in content.exercise_slugs(lab):
        return _error(
            f"lab {lab.slug!r} has no exercise {exercise!r}: use one of {', '.join(content.exercise_slugs(lab))}", 404
        )
    try:
        text = check_source(name, source.encode("utf-8"))
    except ValidationError as exc:
        return _error(" ".join(exc.messages), 400)
    sub = Submission.objects.create(
        user=user, lab=lab.slug, exercise=exercise, source=text, source_name=name[:200], via="api"
    )
    tasks.enqueue(sub)
    return JsonResponse(_describe(request, sub), status=201)


@require_GET
def submission_detail(request: HttpRequest, pk: int) -> JsonResponse:
    user = _token_user(request)
    if user is None:
        return _error(UNAUTHORIZED, 401)
    sub = Submission.objects.filter(pk=pk, user=user).first()
    if sub is None:
        return _error("no such submission", 404)
    return JsonResponse(_describe(request, sub))


def _describe(request: HttpRequest, sub: Submission) -> dict:
    return {
        "id": sub.pk,
        "lab": sub.lab,
        "exercise": sub.exercise,
        "status": sub.status,
        "done": sub.done,
        "score": sub.score,
        "max_score": sub.max_score,
        "passed": sub.passed,
        "error": sub.error,
        "report": sub.report if sub.status == Submission.Status.GRADED else None,
        "url": request.build_absolute_uri(f"/submissions/{sub.pk}/"),
    }
