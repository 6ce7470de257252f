"""The course catalog: courses, units, lessons, labs, exercises and quizzes, read from the shipped content.

Content lives under ``tinymlkit/course/content/``::

    catalog.yaml                      the courses, in order (folder names)
    <course>/course.yaml              slug, number, title, summary, status, units (folder names, in order)
    <course>/<unit>/unit.yaml         slug, title, summary, lessons (file names), lab (slug, title, exercises)
    <course>/<unit>/lessons/*.md      lesson pages: YAML front matter (title) + Markdown body
    <course>/<unit>/figures/*.png     figures the lessons reference (made by ``tinyml course figures``)
    <course>/<unit>/lab.py            the lab notebook, jupytext percent text; exercise cells carry
                                      ``exercise="<slug>"`` metadata
    <course>/<unit>/solution.py       the reference solution of each exercise cell (same metadata)
    <course>/<unit>/checks.py         ``CHECKS = {exercise slug: check function}`` run by the grader
    <course>/<unit>/quiz.yaml         multiple-choice questions with an explanation per answer
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from tinymlkit.errors import TinyMLError

CONTENT = Path(__file__).parent / "content"


@dataclass(frozen=True)
class Choice:
    text: str
    correct: bool
    explanation: str


@dataclass(frozen=True)
class Question:
    id: str
    text: str
    choices: list[Choice]

    @property
    def answer(self) -> int:
        """Index of the correct choice."""
        return next(i for i, c in enumerate(self.choices) if c.correct)


@dataclass(frozen=True)
class Quiz:
    questions: list[Question]

    def question(self, question_id: str) -> Question:
        for q in self.questions:
            if q.id == question_id:
                return q
        raise TinyMLError(
            f"no question '{question_id}' in this quiz; the questions are {[q.id for q in self.questions]}"
        )


@dataclass(frozen=True)
class Exercise:
    slug: str
    title: str
    points: int
    prompt: str
    function: str  # the name the learner's cell defines and the checks call
    kind: str = "code"  # "code" or "training" (trains a model and measures it in TFLM: slower)


@dataclass(frozen=True)
class Lab:
    slug: str
    title: str
    course: str
    unit: str
    path: Path  # the unit folder
    exercises: list[Exercise]

    @property
    def course_slug(self) -> str:
        return self.course

    @property
    def unit_slug(self) -> str:
        return self.unit

    @property
    def notebook_text(self) -> str:
        return (self.path / "lab.py").read_text(encoding="utf-8")

    @property
    def solution_text(self) -> str:
        return (self.path / "solution.py").read_text(encoding="utf-8")

    @property
    def checks_path(self) -> Path:
        return self.path / "checks.py"

    def exercise(self, slug: str) -> Exercise:
        for ex in self.exercises:
            if ex.slug == slug:
                return ex
        names = ", ".join(e.slug for e in self.exercises)
        raise TinyMLError(f"lab '{self.slug}' has no exercise '{slug}'; its exercises are: {names}")

    def to_ipynb(self) -> str:
        """The lab as notebook JSON (what ``tinyml course start`` writes into the learner's workspace)."""
        from tinymlkit.course.notebook import text_to_ipynb

        return text_to_ipynb(self.notebook_text)

    def solved_ipynb(self) -> str:
        """The lab with every exercise cell replaced by its reference solution (run in CI and benchmarks)."""
        from tinymlkit.course.notebook import solved_notebook

        return solved_notebook(self.notebook_text, self.solution_text)


@dataclass(frozen=True)
class Lesson:
    slug: str
    title: str
    markdown: str
    path: Path  # the lesson file

    def asset(self, name: str) -> Path:
        """A figure the lesson references, e.g. ``figures/loss.png``."""
        unit = self.path.parent.parent
        target = (unit / name).resolve()
        if unit.resolve() not in target.parents or not target.is_file():
            raise TinyMLError(f"lesson '{self.slug}' has no asset '{name}'")
        return target


@dataclass(frozen=True)
class Unit:
    slug: str
    number: int
    title: str
    summary: str
    lessons: list[Lesson]
    lab: Lab | None
    quiz: Quiz | None
    path: Path


@dataclass(frozen=True)
class Course:
    slug: str
    number: int
    title: str
    summary: str
    status: str  # "complete" | "coming"
    units: list[Unit]

    def unit(self, slug: str) -> Unit:
        for u in self.units:
            if u.slug == slug:
                return u
        raise TinyMLError(f"course '{self.slug}' has no unit '{slug}'; its units are: {', '.join(self.unit_slugs)}")

    @property
    def unit_slugs(self) -> list[str]:
        return [u.slug for u in self.units]


@dataclass(frozen=True)
class Catalog:
    courses: list[Course]
    labs: dict[str, Lab] = field(default_factory=dict)

    def course(self, slug: str) -> Course:
        for c in self.courses:
            if c.slug == slug:
                return c
        raise TinyMLError(f"no course '{slug}'; the courses are: {', '.join(c.slug for c in self.courses)}")

    def lab(self, slug: str) -> Lab:
        if slug not in self.labs:
            raise TinyMLError(f"no lab '{slug}'; `tinyml course list` shows the labs")
        return self.labs[slug]

    def unit_of(self, lab: Lab) -> Unit:
        return self.course(lab.course).unit(lab.unit)


def _yaml(path: Path) -> dict:
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError) as exc:
        raise TinyMLError(f"course content {path} cannot be read ({exc}); reinstall tinymlkit") from None


def split_front_matter(text: str) -> tuple[dict, str]:
    """``---``-delimited YAML front matter and the Markdown body after it."""
    if text.startswith("---\n"):
        end = text.find("\n---\n", 4)
        if end != -1:
            return yaml.safe_load(text[4:end]) or {}, text[end + 5 :].lstrip("\n")
    return {}, text


def _lesson(path: Path) -> Lesson:
    meta, body = split_front_matter(path.read_text(encoding="utf-8"))
    return Lesson(slug=path.stem, title=meta.get("title", path.stem), markdown=body, path=path)


def _quiz(path: Path) -> Quiz | None:
    if not path.is_file():
        return None
    questions = [
        Question(
            id=str(q["id"]),
            text=q["text"],
            choices=[Choice(c["text"], bool(c.get("correct", False)), c["explanation"]) for c in q["choices"]],
        )
        for q in _yaml(path)["questions"]
    ]
    return Quiz(questions)


def _lab(meta: dict | None, course: str, unit: str, path: Path) -> Lab | None:
    if not meta:
        return None
    exercises = [
        Exercise(
            slug=e["slug"],
            title=e["title"],
            points=int(e.get("points", 1)),
            prompt=e["prompt"].strip(),
            function=e["function"],
            kind=e.get("kind", "code"),
        )
        for e in meta.get("exercises", [])
    ]
    return Lab(meta["slug"], meta["title"], course, unit, path, exercises)


def _unit(path: Path, number: int, course: str) -> Unit:
    meta = _yaml(path / "unit.yaml")
    slug = meta["slug"]
    lessons = [_lesson(path / "lessons" / name) for name in meta.get("lessons", [])]
    return Unit(
        slug=slug,
        number=number,
        title=meta["title"],
        summary=meta.get("summary", "").strip(),
        lessons=lessons,
        lab=_lab(meta.get("lab"), course, slug, path),
        quiz=_quiz(path / "quiz.yaml"),
        path=path,
    )


def _course(path: Path) -> Course:
    meta = _yaml(path / "course.yaml")
    units = []
    for number, entry in enumerate(meta.get("units", []), start=1):
        if isinstance(entry, str):
            units.append(_unit(path / entry, number, meta["slug"]))
        else:  # a unit still to be written: title and summary only
            units.append(
                Unit(entry["slug"], number, entry["title"], entry.get("summary", "").strip(), [], None, None, path)
            )
    return Course(meta["slug"], int(meta["number"]), meta["title"], meta["summary"].strip(), meta["status"], units)


@functools.cache
def catalog(root: Path = CONTENT) -> Catalog:
    """All courses, loaded from the content shipped in the package (cached: content does not change at run time)."""
    courses = [_course(root / name) for name in _yaml(root / "catalog.yaml")["courses"]]
    labs: dict[str, Lab] = {}
    for c in courses:
        for u in c.units:
            if u.lab is not None:
                if u.lab.slug in labs:
                    raise TinyMLError(f"two labs are named '{u.lab.slug}'; lab slugs must be unique")
                labs[u.lab.slug] = u.lab
    return Catalog(courses, labs)
