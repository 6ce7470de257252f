"""The TinyML course: four courses of lessons, lab notebooks, auto-graded exercises and quizzes.

>>> from tinymlkit import course
>>> cat = course.catalog()
>>> report = course.grade("c1-first-neuron", open("c1-first-neuron.ipynb").read())
>>> report.score, report.max_score

The interface the course platform uses is listed in ``docs/course.md``.
"""

from tinymlkit.course.catalog import (
    Catalog,
    Choice,
    Course,
    Exercise,
    Lab,
    Lesson,
    Question,
    Quiz,
    Unit,
    catalog,
)
from tinymlkit.course.checks import CheckResult
from tinymlkit.course.grader import ExerciseResult, GradeReport, grade, grade_exercises
from tinymlkit.course.progress_store import ProgressStore
from tinymlkit.course.quiz import QuizItem, QuizReport, grade_quiz
from tinymlkit.course.sandbox import Limits

__all__ = [
    "Catalog",
    "CheckResult",
    "Choice",
    "Course",
    "Exercise",
    "ExerciseResult",
    "GradeReport",
    "Lab",
    "Lesson",
    "Limits",
    "ProgressStore",
    "Question",
    "Quiz",
    "QuizItem",
    "QuizReport",
    "Unit",
    "catalog",
    "grade",
    "grade_exercises",
    "grade_quiz",
]
