"""Progress of learners, computed from their lesson views, quiz attempts and graded submissions.

One set of functions serves the learner's dashboard, the certificate and the instructor's cohort view.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime

from tinymlkit.platform.courses import content
from tinymlkit.platform.courses.models import LessonView, QuizAttempt
from tinymlkit.platform.grading.models import Submission


@dataclass
class ItemStat:
    """One exercise or one quiz for one learner: attempts, best score, passed."""

    attempts: int = 0
    best: float = 0.0
    max_score: float = 0.0
    passed: bool = False
    last_at: datetime | None = None

    def add(self, score: float, max_score: float, passed: bool, at: datetime) -> None:
        self.attempts += 1
        self.best = max(self.best, score)
        self.max_score = max(self.max_score, max_score)
        self.passed = self.passed or passed
        self.last_at = at if self.last_at is None else max(self.last_at, at)


@dataclass
class UnitProgress:
    unit: object
    lessons_seen: int
    lessons_total: int
    quiz: ItemStat | None
    exercises: list[tuple[object, ItemStat]]

    @property
    def done(self) -> bool:
        return (self.quiz is None or self.quiz.passed) and all(s.passed for _, s in self.exercises)


@dataclass
class CourseProgress:
    course: object
    units: list[UnitProgress] = field(default_factory=list)

    @property
    def graded_items(self) -> int:
        return sum((u.quiz is not None) + len(u.exercises) for u in self.units)

    @property
    def passed_items(self) -> int:
        return sum(bool(u.quiz and u.quiz.passed) + sum(s.passed for _, s in u.exercises) for u in self.units)

    @property
    def lessons_seen(self) -> int:
        return sum(u.lessons_seen for u in self.units)

    @property
    def lessons_total(self) -> int:
        return sum(u.lessons_total for u in self.units)

    @property
    def complete(self) -> bool:
        """Every quiz and every graded exercise passed (a course without graded work cannot be completed)."""
        return self.graded_items > 0 and self.passed_items == self.graded_items

    @property
    def completed_at(self) -> datetime | None:
        if not self.complete:
            return None
        times = [s.last_at for u in self.units for s in ([u.quiz] if u.quiz else []) + [s for _, s in u.exercises]]
        return max((t for t in times if t), default=None)


def exercise_stats(submissions) -> dict[tuple[int, str, str], ItemStat]:
    """(user id, lab slug, exercise slug) -> stats, from graded submissions (whole-lab ones count for each)."""
    stats: dict[tuple[int, str, str], ItemStat] = defaultdict(ItemStat)
    for sub in submissions:
        for ex, (score, max_score, passed) in sub.exercise_scores().items():
            stats[(sub.user_id, sub.lab, ex)].add(score, max_score, passed, sub.created_at)
    return stats


def quiz_stats(attempts) -> dict[tuple[int, str, str], ItemStat]:
    stats: dict[tuple[int, str, str], ItemStat] = defaultdict(ItemStat)
    for a in attempts:
        stats[(a.user_id, a.course, a.unit)].add(a.score, a.max_score, a.passed, a.created_at)
    return stats


def graded_submissions(**filters):
    return Submission.objects.filter(status=Submission.Status.GRADED, **filters).only(
        "user_id", "lab", "report", "created_at"
    )


def course_progress(user, course, *, ex_stats=None, q_stats=None, seen=None) -> CourseProgress:
    if ex_stats is None:
        ex_stats = exercise_stats(graded_submissions(user=user))
    if q_stats is None:
        q_stats = quiz_stats(QuizAttempt.objects.filter(user=user, course=course.slug))
    if seen is None:
        seen = set(LessonView.objects.filter(user=user, course=course.slug).values_list("unit", "lesson"))
    progress = CourseProgress(course)
    for u in course.units:
        quiz = q_stats.get((user.pk, course.slug, u.slug), ItemStat()) if u.quiz and u.quiz.questions else None
        exercises = (
            [(ex, ex_stats.get((user.pk, u.lab.slug, ex.slug), ItemStat())) for ex in u.lab.exercises] if u.lab else []
        )
        n_seen = sum((u.slug, le.slug) in seen for le in u.lessons)
        progress.units.append(UnitProgress(u, n_seen, len(u.lessons), quiz, exercises))
    return progress


def all_progress(user) -> list[CourseProgress]:
    ex_stats = exercise_stats(graded_submissions(user=user))
    q_stats = quiz_stats(QuizAttempt.objects.filter(user=user))
    views = defaultdict(set)
    for c, u, le in LessonView.objects.filter(user=user).values_list("course", "unit", "lesson"):
        views[c].add((u, le))
    return [
        course_progress(user, c, ex_stats=ex_stats, q_stats=q_stats, seen=views[c.slug])
        for c in content.catalog().courses
    ]
