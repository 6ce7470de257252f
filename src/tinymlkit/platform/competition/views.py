"""Challenge pages, uploads, entries and leaderboards. Scoring happens in the worker (:mod:`.tasks`)."""

import hashlib

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from tinymlkit.errors import TinyMLError
from tinymlkit.platform.competition import boards, tasks
from tinymlkit.platform.competition.forms import EntryForm, max_bytes
from tinymlkit.platform.competition.models import Entry
from tinymlkit.platform.grading.views import visible_submission


def get_challenge(name: str):
    from tinymlkit import compete

    try:
        return compete.get_challenge(name)
    except TinyMLError:
        raise Http404("no such challenge") from None


def visible_entry(request: HttpRequest, pk: int) -> Entry:
    """The entry, if it is the learner's own or the user is staff; 404 otherwise (no hint it exists)."""
    return visible_submission(request, pk, model=Entry)


class LimitReached(Exception):
    """The learner has used today's submissions to the challenge."""


def create_entry(user, challenge, data: dict) -> Entry:
    """Store a checked upload (``EntryForm.cleaned_data``) and queue it for scoring; :class:`LimitReached` when
    the daily limit is used up. Shared by the upload form and the token API."""
    with transaction.atomic():
        # One upload at a time per learner, so two at once cannot both pass the daily limit.
        get_user_model().objects.select_for_update().filter(pk=user.pk).exists()
        if boards.entries_today(user, challenge, timezone.now()) >= challenge.daily_limit:
            raise LimitReached(
                f"You have used today's {challenge.daily_limit} submissions to this challenge; "
                "you can submit again after midnight UTC."
            )
        content = data["content"]
        entry = Entry.objects.create(
            user=user,
            challenge=challenge.name,
            model=content,
            model_name=data["model_name"],
            size=len(content),
            sha256=hashlib.sha256(content).hexdigest(),
            labels=data["labels"],
        )
        tasks.enqueue(entry)
    return entry


@require_GET
def challenge_list(request: HttpRequest) -> HttpResponse:
    from tinymlkit import compete

    now = timezone.now()
    rows = []
    for c in compete.load_challenges().values():
        board = boards.leaderboard(c)
        rows.append(
            {"challenge": c, "open": c.open(now), "entrants": len(board), "leader": board[0] if board else None}
        )
    return render(request, "competition/list.html", {"rows": rows})


@require_GET
def challenge_page(request: HttpRequest, name: str) -> HttpResponse:
    challenge = get_challenge(name)
    now = timezone.now()
    closed = not challenge.open(now)
    context = {
        "challenge": challenge,
        "closed": closed,
        "board": challenge.board_info,
        "public_board": boards.leaderboard(challenge, "public"),
        "private_board": boards.leaderboard(challenge, "private") if closed else None,
        "max_kb": max_bytes(challenge) // 1024,
        "shapes": [list(s) for s in challenge.input.shapes],
    }
    if request.user.is_authenticated:
        context["form"] = EntryForm(challenge=challenge)
        context["mine"] = Entry.objects.filter(user=request.user, challenge=challenge.name).defer("model", "score")[
            :100
        ]
        context["used_today"] = boards.entries_today(request.user, challenge, now)
    return render(request, "competition/challenge.html", context)


@login_required
@require_POST
def submit(request: HttpRequest, name: str) -> HttpResponse:
    challenge = get_challenge(name)
    if not challenge.open(timezone.now()):
        messages.error(request, f"This challenge closed on {challenge.deadline:%Y-%m-%d %H:%M} UTC.")
        return redirect("compete-challenge", name=challenge.name)
    form = EntryForm(request.POST, request.FILES, challenge=challenge)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect("compete-challenge", name=challenge.name)
    try:
        entry = create_entry(request.user, challenge, form.cleaned_data)
    except LimitReached as exc:
        messages.error(request, str(exc))
        return redirect("compete-challenge", name=challenge.name)
    return redirect("compete-entry", pk=entry.pk)


@login_required
@require_GET
def entry_page(request: HttpRequest, pk: int) -> HttpResponse:
    entry = visible_entry(request, pk)
    challenge = get_challenge(entry.challenge)
    closed = not challenge.open(timezone.now())
    return render(
        request,
        "competition/entry.html",
        {"entry": entry, "challenge": challenge, "closed": closed, "score": entry.score or {}},
    )


@login_required
@require_GET
def entry_status(request: HttpRequest, pk: int) -> JsonResponse:
    entry = visible_entry(request, pk)
    return JsonResponse(
        {
            "id": entry.pk,
            "status": entry.status,
            "done": entry.done,
            "reason": entry.reason,
            "public_accuracy": entry.public_accuracy,
            "fits": entry.fits,
        }
    )


@login_required
@require_POST
def retry(request: HttpRequest, pk: int) -> HttpResponse:
    entry = visible_entry(request, pk)
    if tasks.retry(entry):
        messages.info(request, "Queued for scoring again.")
    else:
        messages.error(request, "Only an entry whose scoring job failed can be scored again.")
    return redirect("compete-entry", pk=entry.pk)
