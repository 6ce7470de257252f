"""The course content the site serves, loaded once from the package through :func:`tinymlkit.course.catalog`."""

from dataclasses import dataclass
from functools import lru_cache

from django.http import Http404

from tinymlkit import course as course_pkg
from tinymlkit.errors import TinyMLError
from tinymlkit.platform.courses.rendering import render_markdown


@lru_cache(maxsize=1)
def catalog():
    return course_pkg.catalog()


def load() -> int:
    """Load the catalogue and render every lesson, prompt and question once; returns the number of lessons."""
    count = 0
    for c in catalog().courses:
        render_markdown(c.summary or "")
        for u in c.units:
            for lesson in u.lessons:
                render_markdown(lesson.markdown)
                count += 1
            if u.lab:
                for ex in u.lab.exercises:
                    render_markdown(ex.prompt)
    return count


@dataclass(frozen=True)
class Place:
    """A course, one of its units and optionally one lesson: what a URL points to."""

    course: object
    unit: object | None = None
    lesson: object | None = None


def get_course(slug: str):
    try:
        return catalog().course(slug)
    except TinyMLError as exc:
        raise Http404(str(exc)) from exc


def get_unit(course_slug: str, unit_slug: str):
    c = get_course(course_slug)
    for u in c.units:
        if u.slug == unit_slug:
            return c, u
    raise Http404(f"no unit {unit_slug!r} in course {course_slug!r}")


def get_lesson(course_slug: str, unit_slug: str, lesson_slug: str):
    c, u = get_unit(course_slug, unit_slug)
    for lesson in u.lessons:
        if lesson.slug == lesson_slug:
            return c, u, lesson
    raise Http404(f"no lesson {lesson_slug!r} in unit {unit_slug!r}")


def get_lab(lab_slug: str):
    try:
        return catalog().lab(lab_slug)
    except TinyMLError as exc:
        raise Http404(str(exc)) from exc


def exercise_slugs(lab) -> list[str]:
    return [e.slug for e in lab.exercises]


def graded_labs(course) -> list:
    """The labs of a course that carry graded exercises."""
    return [u.lab for u in course.units if u.lab is not None and u.lab.exercises]


def neighbours(course, unit, lesson) -> tuple:
    """The lessons before and after ``lesson`` across the whole course, as (unit, lesson) pairs or None."""
    flat = [(u, le) for u in course.units for le in u.lessons]
    i = next(i for i, (u, le) in enumerate(flat) if u.slug == unit.slug and le.slug == lesson.slug)
    return (flat[i - 1] if i > 0 else None), (flat[i + 1] if i + 1 < len(flat) else None)
