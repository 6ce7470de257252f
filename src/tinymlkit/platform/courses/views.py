"""Catalogue, course, unit and lesson pages (public); labs, quizzes, dashboard and certificates (logged in)."""

import hashlib
import mimetypes

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.db import IntegrityError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from tinymlkit.platform.courses import content, progress
from tinymlkit.platform.courses.models import QUIZ_PASS_FRACTION, LessonView, QuizAttempt
from tinymlkit.platform.courses.rendering import render_markdown
from tinymlkit.platform.grading.forms import SubmissionForm
from tinymlkit.platform.grading.models import Submission

FIGURE_TYPES = {".png", ".jpg", ".jpeg", ".gif", ".svg", ".webp"}


@require_GET
def catalogue(request: HttpRequest) -> HttpResponse:
    return render(request, "courses/catalogue.html", {"courses": content.catalog().courses})


@require_GET
def course_page(request: HttpRequest, course: str) -> HttpResponse:
    c = content.get_course(course)
    prog = progress.course_progress(request.user, c) if request.user.is_authenticated else None
    return render(request, "courses/course.html", {"course": c, "progress": prog})


@require_GET
def unit_page(request: HttpRequest, course: str, unit: str) -> HttpResponse:
    c, u = content.get_unit(course, unit)
    return render(request, "courses/unit.html", {"course": c, "unit": u})


@require_GET
def lesson_page(request: HttpRequest, course: str, unit: str, lesson: str) -> HttpResponse:
    c, u, le = content.get_lesson(course, unit, lesson)
    if request.user.is_authenticated:
        try:
            LessonView.objects.get_or_create(user=request.user, course=c.slug, unit=u.slug, lesson=le.slug)
        except IntegrityError:
            pass  # the same learner opened it twice at once
    before, after = content.neighbours(c, u, le)
    body = render_markdown(le.markdown)
    return render(
        request,
        "courses/lesson.html",
        {
            "course": c,
            "unit": u,
            "lesson": le,
            "before": before,
            "after": after,
            "body": body,
            "titled": body.lstrip().startswith("<h1"),
        },
    )


@require_GET
def lesson_asset(request: HttpRequest, course: str, unit: str, lesson: str, name: str) -> FileResponse:
    _, _, le = content.get_lesson(course, unit, lesson)
    suffix = "." + name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if suffix not in FIGURE_TYPES or ".." in name.split("/") or "\\" in name:
        raise Http404("not a figure")
    try:
        path = le.asset(name)
    except Exception as exc:
        raise Http404("no such figure") from exc
    if not path.is_file():
        raise Http404("no such figure")
    response = FileResponse(path.open("rb"), content_type=mimetypes.guess_type(name)[0])
    response["Cache-Control"] = "public, max-age=3600"
    if suffix == ".svg":
        response["Content-Security-Policy"] = "default-src 'none'; style-src 'unsafe-inline'"
    return response


@login_required
@require_GET
def lab_page(request: HttpRequest, lab: str) -> HttpResponse:
    the_lab = content.get_lab(lab)
    c, u = content.get_unit(the_lab.course, the_lab.unit)
    mine = Submission.objects.filter(user=request.user, lab=the_lab.slug).defer("source", "report")[:10]
    stats = progress.exercise_stats(progress.graded_submissions(user=request.user, lab=the_lab.slug))
    exercises = [
        (ex, render_markdown(ex.prompt), stats.get((request.user.pk, the_lab.slug, ex.slug), progress.ItemStat()))
        for ex in the_lab.exercises
    ]
    return render(
        request,
        "courses/lab.html",
        {
            "lab": the_lab,
            "course": c,
            "unit": u,
            "exercises": exercises,
            "submissions": mine,
            "form": SubmissionForm(lab=the_lab),
            "max_kb": settings.SUBMISSION_MAX_BYTES // 1024,
        },
    )


@login_required
@require_GET
def lab_notebook(request: HttpRequest, lab: str) -> HttpResponse:
    the_lab = content.get_lab(lab)
    response = HttpResponse(the_lab.to_ipynb(), content_type="application/x-ipynb+json")
    response["Content-Disposition"] = f'attachment; filename="{the_lab.slug}.ipynb"'
    return response


@login_required
@require_http_methods(["GET", "POST"])
def quiz_page(request: HttpRequest, course: str, unit: str) -> HttpResponse:
    from tinymlkit import course as course_pkg

    c, u = content.get_unit(course, unit)
    if u.quiz is None or not u.quiz.questions:
        raise Http404("this unit has no quiz")
    answers, missing = {}, []
    if request.method == "POST":
        for q in u.quiz.questions:
            raw = request.POST.get(f"q-{q.id}", "")
            if raw.isdigit() and int(raw) < len(q.choices):
                answers[str(q.id)] = int(raw)
            else:
                missing.append(str(q.id))
        if not missing:
            report = course_pkg.grade_quiz(c.slug, u.slug, answers)
            attempt = QuizAttempt.objects.create(
                user=request.user,
                course=c.slug,
                unit=u.slug,
                answers=answers,
                score=report.score,
                max_score=report.max_score,
                report=report.to_dict(),
            )
            return redirect("quiz-result", pk=attempt.pk)
    best = progress.quiz_stats(QuizAttempt.objects.filter(user=request.user, course=c.slug, unit=u.slug))
    return render(
        request,
        "courses/quiz.html",
        {
            "course": c,
            "unit": u,
            "questions": u.quiz.questions,
            "answers": answers,
            "missing": missing,
            "stat": best.get((request.user.pk, c.slug, u.slug)),
        },
        status=400 if missing else 200,
    )


@login_required
@require_GET
def quiz_result(request: HttpRequest, pk: int) -> HttpResponse:
    attempt = get_object_or_404(QuizAttempt, pk=pk, user=request.user)
    c, u = content.get_unit(attempt.course, attempt.unit)
    questions = {str(q.id): q for q in u.quiz.questions}
    items = []
    for item in attempt.report["items"]:
        qid, chosen, correct, explanation = _quiz_item(item)
        q = questions.get(str(qid))
        items.append(
            {
                "question": q,
                "chosen": q.choices[chosen].text if q and 0 <= chosen < len(q.choices) else "",
                "correct": correct,
                "explanation": explanation,
            }
        )
    return render(
        request,
        "courses/quiz_result.html",
        {"attempt": attempt, "course": c, "unit": u, "items": items, "pass_percent": round(100 * QUIZ_PASS_FRACTION)},
    )


def _quiz_item(item) -> tuple[str, int, bool, str]:
    if isinstance(item, dict):
        return (
            (item.get("question") or item.get("id")),
            int(item.get("chosen", -1)),
            bool(item.get("correct")),
            item.get("explanation", ""),
        )
    qid, chosen, correct, explanation = item
    return qid, int(chosen), bool(correct), explanation


@login_required
@require_GET
def dashboard(request: HttpRequest) -> HttpResponse:
    recent = Submission.objects.filter(user=request.user).defer("source", "report")[:10]
    return render(
        request, "courses/dashboard.html", {"progress": progress.all_progress(request.user), "recent": recent}
    )


@login_required
@require_GET
def certificate(request: HttpRequest, course: str) -> HttpResponse:
    c = content.get_course(course)
    prog = progress.course_progress(request.user, c)
    if not prog.complete:
        return render(request, "courses/certificate_pending.html", {"course": c, "progress": prog}, status=403)
    code = hashlib.sha256(f"{settings.SECRET_KEY}:{request.user.pk}:{c.slug}".encode()).hexdigest()[:16].upper()
    return render(request, "courses/certificate.html", {"course": c, "progress": prog, "code": code})
