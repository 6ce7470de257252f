"""Submitting exercises, following their grading, and the instructor's view of the cohort."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_POST

from tinymlkit.platform.courses import content
from tinymlkit.platform.grading import tasks
from tinymlkit.platform.grading.forms import SubmissionForm
from tinymlkit.platform.grading.models import Submission


def visible_submission(request: HttpRequest, pk: int, model=Submission):
    """The submission (of ``model``: any with a ``user``), if it is the learner's own or the user is staff; 404
    otherwise (no hint it exists)."""
    sub = get_object_or_404(model, pk=pk)
    if sub.user_id != request.user.pk and not request.user.is_staff:
        raise Http404("no such submission")
    return sub


@login_required
@require_POST
def submit(request: HttpRequest, lab: str) -> HttpResponse:
    the_lab = content.get_lab(lab)
    form = SubmissionForm(request.POST, request.FILES, lab=the_lab)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect("lab", lab=the_lab.slug)
    sub = Submission.objects.create(
        user=request.user,
        lab=the_lab.slug,
        exercise=form.cleaned_data["exercise"],
        source=form.cleaned_data["source"],
        source_name=form.cleaned_data["source_name"],
    )
    tasks.enqueue(sub)
    return redirect("submission", pk=sub.pk)


@login_required
@require_GET
def submission_page(request: HttpRequest, pk: int) -> HttpResponse:
    sub = visible_submission(request, pk)
    the_lab = content.get_lab(sub.lab)
    report, results = None, []
    if sub.status == Submission.Status.GRADED and sub.report:
        from tinymlkit.course import GradeReport

        report = GradeReport.from_dict(sub.report)
        titles = {e.slug: e.title for e in the_lab.exercises}
        results = [(titles.get(r.exercise, r.exercise), r) for r in report.results]
    return render(
        request, "grading/submission.html", {"sub": sub, "lab": the_lab, "report": report, "results": results}
    )


@login_required
@require_GET
def submission_status(request: HttpRequest, pk: int) -> JsonResponse:
    sub = visible_submission(request, pk)
    return JsonResponse(
        {
            "id": sub.pk,
            "status": sub.status,
            "done": sub.done,
            "score": sub.score,
            "max_score": sub.max_score,
            "passed": sub.passed,
        }
    )


@login_required
@require_POST
def retry(request: HttpRequest, pk: int) -> HttpResponse:
    sub = visible_submission(request, pk)
    if tasks.retry(sub):
        messages.info(request, "Queued for grading again.")
    else:
        messages.error(request, "Only a submission whose grading failed can be retried.")
    return redirect("submission", pk=sub.pk)


@login_required
@require_GET
def my_submissions(request: HttpRequest) -> HttpResponse:
    subs = Submission.objects.filter(user=request.user).defer("source", "report")[:200]
    return render(request, "grading/submissions.html", {"submissions": subs})
