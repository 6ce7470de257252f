"""Forum pages. Reading is public (hidden things excepted); every change is a POST with CSRF and a permission
check, and every moderator action lands in the audit log."""

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db import IntegrityError, transaction
from django.db.models import Count, F, Q
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseForbidden
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from tinymlkit.platform.courses.rendering import render_markdown
from tinymlkit.platform.forum import rules
from tinymlkit.platform.forum.forms import PostForm, ReasonForm, ThreadForm
from tinymlkit.platform.forum.models import Ban, Flag, ModerationAction, Post, Thread, Vote

PAGE = 30
Kind = ModerationAction.Kind


def visible_threads(request: HttpRequest):
    threads = Thread.objects.all()
    return threads if rules.is_moderator(request.user) else threads.filter(hidden=False)


def listed(request: HttpRequest):
    """Threads the user may see, with their author and reply count."""
    return (
        visible_threads(request)
        .select_related("author")
        .annotate(replies=Count("posts", filter=Q(posts__is_question=False, posts__hidden=False)))
        .order_by("-last_activity", "-pk")
    )


def visible_thread(request: HttpRequest, pk: int) -> Thread:
    thread = get_object_or_404(Thread, pk=pk)
    if thread.hidden and not rules.is_moderator(request.user):
        raise Http404("no such thread")
    return thread


def _page(request: HttpRequest, queryset):
    return Paginator(queryset, PAGE).get_page(request.GET.get("page"))


@require_GET
def index(request: HttpRequest) -> HttpResponse:
    counts = {
        (r["course"], r["unit"]): r["n"]
        for r in visible_threads(request).values("course", "unit").annotate(n=Count("pk")).order_by()
    }
    for (course, unit), n in list(counts.items()):
        if unit:  # a course's board counts its units' threads too
            counts[(course, "")] = counts.get((course, ""), 0) + n
    boards = [(b, counts.get(b.key, 0)) for b in rules.all_boards()]
    return render(request, "forum/index.html", {"boards": boards, "recent": listed(request)[:10]})


@require_GET
def board_page(request: HttpRequest, course: str = "", unit: str = "") -> HttpResponse:
    b = rules.board(course, unit)
    threads = b.filter(listed(request))
    return render(
        request,
        "forum/board.html",
        {"board": b, "page": _page(request, threads), "show_board": bool(b.course and not b.unit)},
    )


@require_GET
def search(request: HttpRequest) -> HttpResponse:
    q = " ".join(request.GET.get("q", "").split())[:100]
    page = None
    if q:
        words = q.split()[:6]
        found = listed(request)
        for word in words:  # every word, in the title or in a visible post (icontains: SQLite and PostgreSQL)
            posts = Post.objects.filter(body__icontains=word)
            if not rules.is_moderator(request.user):
                posts = posts.filter(hidden=False)
            found = found.filter(Q(title__icontains=word) | Q(pk__in=posts.values("thread_id")))
        page = _page(request, found)
    return render(request, "forum/search.html", {"q": q, "page": page})


@require_GET
def unanswered(request: HttpRequest) -> HttpResponse:
    threads = listed(request).filter(accepted__isnull=True, replies=0, locked=False)
    return render(request, "forum/unanswered.html", {"page": _page(request, threads)})


@require_GET
def thread_page(request: HttpRequest, pk: int) -> HttpResponse:
    thread = visible_thread(request, pk)
    user = request.user
    moderator = rules.is_moderator(user)
    posts = list(
        thread.posts.select_related("author").annotate(
            open_flags=Count("flags", filter=Q(flags__resolved_at__isnull=True))
        )
    )
    voted = (
        set(Vote.objects.filter(user=user, post__thread=thread).values_list("post_id", flat=True))
        if user.is_authenticated
        else set()
    )
    i_am_banned = rules.ban_of(user) is not None
    items = [
        {
            "post": p,
            "html": render_markdown(p.body),
            "voted": p.pk in voted,
            "can_edit": user.is_authenticated and rules.can_edit(user, p, thread, i_am_banned),
        }
        for p in posts
    ]
    refusal = rules.cannot_post(user) if user.is_authenticated else None
    banned = (
        {b for b in Ban.objects.filter(user_id__in={p.author_id for p in posts}).values_list("user_id", flat=True)}
        if moderator
        else set()
    )
    return render(
        request,
        "forum/thread.html",
        {
            "thread": thread,
            "board": rules.board_of(thread),
            "items": items,
            "form": PostForm(),
            "can_accept": rules.can_accept(user, thread),
            "moderator": moderator,
            "refusal": refusal,
            "banned": banned,
            "edit_minutes": int(rules.EDIT_WINDOW.total_seconds() // 60),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def new_thread(request: HttpRequest, course: str = "", unit: str = "") -> HttpResponse:
    b = rules.board(course, unit)
    form = ThreadForm(request.POST or None)
    refusal = rules.cannot_post(request.user)
    if request.method == "POST" and form.is_valid():
        if refusal:
            messages.error(request, refusal)
        else:
            with transaction.atomic():
                thread = Thread.objects.create(
                    course=b.course, unit=b.unit, title=form.cleaned_data["title"], author=request.user
                )
                Post.objects.create(
                    thread=thread, author=request.user, body=form.cleaned_data["body"], is_question=True
                )
            return redirect("forum-thread", pk=thread.pk)
    return render(
        request,
        "forum/new_thread.html",
        {"board": b, "form": form, "refusal": refusal},
        status=400 if request.method == "POST" else 200,
    )


@login_required
@require_POST
def reply(request: HttpRequest, pk: int) -> HttpResponse:
    thread = visible_thread(request, pk)
    if thread.locked and not rules.is_moderator(request.user):
        messages.error(request, "This thread is locked: no new replies.")
        return redirect("forum-thread", pk=thread.pk)
    refusal = rules.cannot_post(request.user)
    form = PostForm(request.POST)
    if refusal or not form.is_valid():
        messages.error(request, refusal or " ".join(e for errors in form.errors.values() for e in errors))
        return redirect("forum-thread", pk=thread.pk)
    with transaction.atomic():
        post = Post.objects.create(thread=thread, author=request.user, body=form.cleaned_data["body"])
        Thread.objects.filter(pk=thread.pk).update(last_activity=timezone.now())
    return redirect(reverse("forum-thread", args=[thread.pk]) + f"#post-{post.pk}")


@login_required
@require_http_methods(["GET", "POST"])
def edit(request: HttpRequest, pk: int) -> HttpResponse:
    post = get_object_or_404(Post.objects.select_related("thread"), pk=pk)
    thread = visible_thread(request, post.thread_id)
    if not rules.can_edit(request.user, post):
        return HttpResponseForbidden(
            f"You can edit your own posts for {rules.EDIT_WINDOW.seconds // 60} minutes "
            "after posting, while the thread is open."
        )
    form_class = ThreadForm if post.is_question else PostForm
    initial = {"body": post.body, "title": thread.title}
    form = form_class(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            post.body, post.edited_at = form.cleaned_data["body"], timezone.now()
            post.save(update_fields=["body", "edited_at"])
            if post.is_question:
                Thread.objects.filter(pk=thread.pk).update(title=form.cleaned_data["title"])
            if post.author_id != request.user.pk:
                ModerationAction.objects.create(
                    actor=request.user, action=Kind.EDIT, thread=thread, post=post, target_user=post.author
                )
        return redirect(reverse("forum-thread", args=[thread.pk]) + f"#post-{post.pk}")
    return render(
        request,
        "forum/edit.html",
        {"form": form, "post": post, "thread": thread},
        status=400 if request.method == "POST" else 200,
    )


@login_required
@require_POST
def vote(request: HttpRequest, pk: int) -> HttpResponse:
    post = get_object_or_404(Post, pk=pk, hidden=False)
    thread = visible_thread(request, post.thread_id)
    if post.author_id == request.user.pk:
        messages.error(request, "You cannot vote for your own post.")
    else:
        with transaction.atomic():
            removed, _ = Vote.objects.filter(post=post, user=request.user).delete()
            if removed:
                Post.objects.filter(pk=post.pk).update(votes=F("votes") - 1)
            else:
                try:
                    with transaction.atomic():
                        Vote.objects.create(post=post, user=request.user)
                    Post.objects.filter(pk=post.pk).update(votes=F("votes") + 1)
                except IntegrityError:
                    pass  # the same vote sent twice at once
    return redirect(reverse("forum-thread", args=[thread.pk]) + f"#post-{post.pk}")


@login_required
@require_POST
def accept(request: HttpRequest, pk: int) -> HttpResponse:
    post = get_object_or_404(Post, pk=pk, hidden=False, is_question=False)
    thread = visible_thread(request, post.thread_id)
    if not rules.can_accept(request.user, thread):
        return HttpResponseForbidden("Only the person who asked, or staff, can accept an answer.")
    thread.accepted = None if thread.accepted_id == post.pk else post
    thread.save(update_fields=["accepted"])
    return redirect(reverse("forum-thread", args=[thread.pk]) + f"#post-{post.pk}")


@login_required
@require_POST
def flag(request: HttpRequest, pk: int) -> HttpResponse:
    post = get_object_or_404(Post, pk=pk)
    thread = visible_thread(request, post.thread_id)
    form = ReasonForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Say in a few words why this post needs a moderator.")
    else:
        _, made = Flag.objects.get_or_create(
            post=post, user=request.user, defaults={"reason": form.cleaned_data["reason"]}
        )
        messages.info(request, "Thank you: a moderator will look at it." if made else "You already flagged it.")
    return redirect(reverse("forum-thread", args=[thread.pk]) + f"#post-{post.pk}")


def moderator_only(view):
    @login_required
    @require_POST
    def wrapped(request, *args, **kwargs):
        if not rules.is_moderator(request.user):
            return HttpResponseForbidden("Only moderators (staff) can do this.")
        return view(request, *args, **kwargs)

    wrapped.__name__ = view.__name__
    wrapped.__doc__ = view.__doc__
    return wrapped


def _note(request: HttpRequest) -> str:
    return " ".join(request.POST.get("reason", "").split())[:300]


@moderator_only
def hide_post(request: HttpRequest, pk: int) -> HttpResponse:
    post = get_object_or_404(Post, pk=pk)
    with transaction.atomic():
        post.hidden = not post.hidden
        post.save(update_fields=["hidden"])
        if post.hidden and post.thread.accepted_id == post.pk:
            Thread.objects.filter(pk=post.thread_id).update(accepted=None)
        resolved = Flag.objects.filter(post=post, resolved_at__isnull=True).update(
            resolved_at=timezone.now(), resolved_by=request.user
        )
        ModerationAction.objects.create(
            actor=request.user,
            action=Kind.HIDE_POST if post.hidden else Kind.SHOW_POST,
            thread_id=post.thread_id,
            post=post,
            target_user_id=post.author_id,
            note=_note(request) or (f"{resolved} flag(s) resolved" if resolved else ""),
        )
    return redirect(reverse("forum-thread", args=[post.thread_id]) + f"#post-{post.pk}")


@moderator_only
def resolve_flags(request: HttpRequest, pk: int) -> HttpResponse:
    post = get_object_or_404(Post, pk=pk)
    with transaction.atomic():
        n = Flag.objects.filter(post=post, resolved_at__isnull=True).update(
            resolved_at=timezone.now(), resolved_by=request.user
        )
        ModerationAction.objects.create(
            actor=request.user,
            action=Kind.RESOLVE_FLAG,
            thread_id=post.thread_id,
            post=post,
            target_user_id=post.author_id,
            note=_note(request) or f"{n} flag(s), post kept",
        )
    return redirect("forum-moderation")


def _toggle_thread(request: HttpRequest, pk: int, field: str, on: str, off: str) -> HttpResponse:
    """Flip a thread's ``field`` (locked, hidden) and log it as ``on`` or ``off``, in one transaction."""
    thread = get_object_or_404(Thread, pk=pk)
    with transaction.atomic():
        setattr(thread, field, not getattr(thread, field))
        thread.save(update_fields=[field])
        ModerationAction.objects.create(
            actor=request.user,
            action=on if getattr(thread, field) else off,
            thread=thread,
            target_user_id=thread.author_id,
            note=_note(request),
        )
    return redirect("forum-thread", pk=thread.pk)


@moderator_only
def lock(request: HttpRequest, pk: int) -> HttpResponse:
    return _toggle_thread(request, pk, "locked", Kind.LOCK, Kind.UNLOCK)


@moderator_only
def hide_thread(request: HttpRequest, pk: int) -> HttpResponse:
    return _toggle_thread(request, pk, "hidden", Kind.HIDE_THREAD, Kind.SHOW_THREAD)


@moderator_only
def ban(request: HttpRequest, username: str = "") -> HttpResponse:
    """Ban a user from posting, or lift their ban (a toggle, with the reason in the log)."""
    target = get_user_model().objects.filter(username=username or request.POST.get("username", "").strip()).first()
    if target is None:
        messages.error(request, "No account has that username.")
        return redirect("forum-moderation")
    if target.is_staff:
        messages.error(request, "Staff accounts cannot be banned here; change their role in the admin.")
    elif Ban.objects.filter(user=target).exists():
        with transaction.atomic():
            Ban.objects.filter(user=target).delete()
            ModerationAction.objects.create(
                actor=request.user, action=Kind.UNBAN, target_user=target, note=_note(request)
            )
        messages.info(request, f"{target.username} may post again.")
    else:
        reason = _note(request) or "breaking the community rules"
        with transaction.atomic():
            Ban.objects.create(user=target, reason=reason, by=request.user)
            ModerationAction.objects.create(actor=request.user, action=Kind.BAN, target_user=target, note=reason)
        messages.info(request, f"{target.username} can no longer post.")
    return redirect(request.POST.get("next") if _safe_next(request) else "forum-moderation")


def _safe_next(request: HttpRequest) -> bool:
    from django.utils.http import url_has_allowed_host_and_scheme

    nxt = request.POST.get("next", "")
    return bool(nxt) and url_has_allowed_host_and_scheme(
        nxt, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )


@login_required
@require_GET
def moderation(request: HttpRequest) -> HttpResponse:
    if not rules.is_moderator(request.user):
        return HttpResponseForbidden("Only moderators (staff) can see this page.")
    flagged = (
        Post.objects.filter(flags__resolved_at__isnull=True)
        .select_related("thread", "author")
        .annotate(n=Count("flags"))
        .order_by("-n", "-pk")[:100]
    )
    return render(
        request,
        "forum/moderation.html",
        {
            "flagged": flagged,
            "bans": Ban.objects.select_related("user", "by").order_by("-created_at"),
            "log": ModerationAction.objects.select_related("actor", "target_user", "thread")[:100],
        },
    )
