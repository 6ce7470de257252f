"""Showcase pages: the list with search, a project page, and the owner's form. Staff can hide a project."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import F, Q
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseForbidden, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from tinymlkit.platform.courses.rendering import render_markdown
from tinymlkit.platform.forum import rules
from tinymlkit.platform.forum.models import ModerationAction
from tinymlkit.platform.showcase import tasks
from tinymlkit.platform.showcase.forms import ProjectForm
from tinymlkit.platform.showcase.models import Project


def visible(request: HttpRequest):
    projects = Project.objects.select_related("owner").defer("model_data", "body")
    if rules.is_moderator(request.user):
        return projects
    if request.user.is_authenticated:
        return projects.filter(Q(hidden=False) | Q(owner=request.user))
    return projects.filter(hidden=False)


def visible_project(request: HttpRequest, pk: int) -> Project:
    project = get_object_or_404(Project.objects.select_related("owner").defer("model_data"), pk=pk)
    if project.hidden and not (rules.is_moderator(request.user) or project.owner_id == request.user.pk):
        raise Http404("no such project")
    return project


@require_GET
def index(request: HttpRequest) -> HttpResponse:
    q = " ".join(request.GET.get("q", "").split())[:100]
    projects = visible(request)
    for word in q.split()[:6]:
        projects = projects.filter(
            Q(title__icontains=word)
            | Q(body__icontains=word)
            | Q(owner__username__iexact=word)
            | Q(ops__icontains=word)
        )
    page = Paginator(projects, 24).get_page(request.GET.get("page"))
    return render(request, "showcase/index.html", {"page": page, "q": q})


@require_GET
def project_page(request: HttpRequest, pk: int) -> HttpResponse:
    project = visible_project(request, pk)
    return render(
        request,
        "showcase/project.html",
        {
            "project": project,
            "html": render_markdown(project.body),
            "p": project.profile or {},
            "can_edit": request.user.is_authenticated
            and (project.owner_id == request.user.pk or rules.is_moderator(request.user)),
            "moderator": rules.is_moderator(request.user),
        },
    )


@require_GET
def status(request: HttpRequest, pk: int) -> JsonResponse:
    project = visible_project(request, pk)
    return JsonResponse({"id": project.pk, "status": project.profile_status, "done": project.profiled})


@login_required
@require_http_methods(["GET", "POST"])
def edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    project = visible_project(request, pk) if pk else None
    if project and project.owner_id != request.user.pk and not rules.is_moderator(request.user):
        return HttpResponseForbidden("Only the project's author (or staff) can edit it.")
    initial = {"title": project.title, "body": project.body, "board": project.board} if project else {}
    form = ProjectForm(request.POST or None, request.FILES or None, initial=initial)
    refusal = (
        _refusal(request.user)
        if project is None
        else (None if rules.is_moderator(request.user) or rules.ban_of(request.user) is None else "You are banned.")
    )
    if request.method == "POST" and form.is_valid():
        if refusal:
            messages.error(request, refusal)
        else:
            return _save(request, project, form)
    return render(
        request,
        "showcase/edit.html",
        {"form": form, "project": project, "refusal": refusal},
        status=400 if request.method == "POST" else 200,
    )


def _refusal(user) -> str | None:
    ban = rules.ban_of(user)
    if ban is not None:
        return f"You are banned from posting: {ban.reason}"
    return rules.over_rate(user, "showcase", Project.objects.filter(owner=user))


def _save(request: HttpRequest, project: Project | None, form: ProjectForm) -> HttpResponse:
    data = form.cleaned_data
    with transaction.atomic():
        if project is None:
            project = Project(owner=request.user)
        project.title, project.body = data["title"], data["body"]
        board_changed = (data.get("board") or "") != project.board
        project.board = data.get("board") or ""
        if data.get("model"):
            project.model_name, project.model_data = data["model"]
        profile_again = bool(data.get("model")) or (board_changed and project.model_name)
        if profile_again:
            project.model_version = (project.model_version or 0) + 1
            project.profile_status, project.profile, project.profile_error = Project.Profile.QUEUED, None, ""
        project.save()
        if profile_again:
            tasks.enqueue(project)
    if profile_again:
        messages.info(request, "The worker is profiling your model; this page updates by itself.")
    return redirect("showcase-project", pk=project.pk)


@login_required
@require_POST
def hide(request: HttpRequest, pk: int) -> HttpResponse:
    if not rules.is_moderator(request.user):
        return HttpResponseForbidden("Only moderators (staff) can hide projects.")
    project = get_object_or_404(Project, pk=pk)
    with transaction.atomic():
        Project.objects.filter(pk=pk).update(hidden=~F("hidden"))
        project.refresh_from_db(fields=["hidden"])
        ModerationAction.objects.create(
            actor=request.user,
            target_user_id=project.owner_id,
            action=ModerationAction.Kind.HIDE_PROJECT if project.hidden else ModerationAction.Kind.SHOW_PROJECT,
            note=f"project #{project.pk} {project.title}"[:300],
        )
    return redirect("showcase-project", pk=pk)
