"""The instructor's view: cohort progress per exercise and quiz, struggling learners, a CSV export."""

import csv
from dataclasses import dataclass
from statistics import mean

from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from tinymlkit.platform.courses import content, progress
from tinymlkit.platform.courses.models import QuizAttempt
from tinymlkit.platform.grading.models import Submission

STRUGGLING_ATTEMPTS = 3  # graded attempts without a pass


@dataclass
class Item:
    """One graded item of the catalogue: an exercise of a lab or the quiz of a unit."""

    course: object
    unit: object
    kind: str  # "exercise" | "quiz"
    slug: str
    title: str
    key: tuple[str, str]  # (lab, exercise) or (course, unit): how stats are keyed


def graded_items() -> list[Item]:
    items = []
    for c in content.catalog().courses:
        for u in c.units:
            if u.lab:
                items += [
                    Item(c, u, "exercise", f"{u.lab.slug}/{e.slug}", e.title, (u.lab.slug, e.slug))
                    for e in u.lab.exercises
                ]
            if u.quiz and u.quiz.questions:
                items.append(Item(c, u, "quiz", f"{c.slug}/{u.slug}/quiz", f"Quiz: {u.title}", (c.slug, u.slug)))
    return items


def cohort_table():
    learners = list(User.objects.filter(is_staff=False, is_active=True).order_by("username"))
    ex = progress.exercise_stats(progress.graded_submissions(user__in=learners))
    qz = progress.quiz_stats(QuizAttempt.objects.filter(user__in=learners))

    def stat(item: Item, user: User) -> progress.ItemStat | None:
        return (ex if item.kind == "exercise" else qz).get((user.pk, *item.key))

    return learners, stat


def require_staff(request: HttpRequest) -> None:
    if not request.user.is_staff:
        raise PermissionDenied("The instructor view is for staff accounts.")


@login_required
@require_GET
def cohort(request: HttpRequest) -> HttpResponse:
    require_staff(request)
    learners, stat = cohort_table()
    rows, struggling = [], []
    for item in graded_items():
        stats = [(u, s) for u in learners if (s := stat(item, u)) is not None]
        passed = sum(s.passed for _, s in stats)
        rows.append(
            {
                "item": item,
                "attempted": len(stats),
                "passed": passed,
                "pass_rate": round(100 * passed / len(stats)) if stats else None,
                "mean_best": round(100 * mean(s.best / s.max_score for _, s in stats if s.max_score))
                if any(s.max_score for _, s in stats)
                else None,
                "mean_attempts": round(mean(s.attempts for _, s in stats), 1) if stats else None,
            }
        )
        struggling += [
            {"user": u, "item": item, "stat": s} for u, s in stats if not s.passed and s.attempts >= STRUGGLING_ATTEMPTS
        ]
    pending = Submission.objects.exclude(status__in=Submission.FINAL).count()
    failed_jobs = Submission.objects.filter(status=Submission.Status.ERROR).defer("source", "report")[:50]
    return render(
        request,
        "grading/cohort.html",
        {
            "learners": len(learners),
            "rows": rows,
            "struggling": struggling,
            "pending": pending,
            "failed_jobs": failed_jobs,
            "threshold": STRUGGLING_ATTEMPTS,
        },
    )


CSV_COLUMNS = [
    "username",
    "email",
    "course",
    "unit",
    "kind",
    "item",
    "attempts",
    "best_score",
    "max_score",
    "passed",
    "last_attempt_utc",
]


@login_required
@require_GET
def export_csv(request: HttpRequest) -> HttpResponse:
    require_staff(request)
    learners, stat = cohort_table()
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    stamp = timezone.now().strftime("%Y%m%d-%H%M")
    response["Content-Disposition"] = f'attachment; filename="tinyml-progress-{stamp}.csv"'
    writer = csv.writer(response)
    writer.writerow(CSV_COLUMNS)
    items = graded_items()
    for user in learners:
        for item in items:
            s = stat(item, user) or progress.ItemStat()
            writer.writerow(
                [
                    _safe(user.username),
                    _safe(user.email),
                    item.course.slug,
                    item.unit.slug,
                    item.kind,
                    item.slug,
                    s.attempts,
                    s.best,
                    s.max_score,
                    int(s.passed),
                    s.last_at.strftime("%Y-%m-%d %H:%M:%S") if s.last_at else "",
                ]
            )
    return response


def _safe(value: str) -> str:
    """Neutralise spreadsheet formulas in learner-chosen text (CSV injection)."""
    return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value
