"""Grade a unit's multiple-choice quiz: every answer comes back with the explanation of the choice made."""

from __future__ import annotations

from dataclasses import asdict, dataclass

from tinymlkit.course.catalog import catalog
from tinymlkit.errors import TinyMLError


@dataclass(frozen=True)
class QuizItem:
    question: str  # question id
    chosen: int  # index of the chosen answer, -1 when unanswered
    correct: bool
    explanation: str


@dataclass(frozen=True)
class QuizReport:
    course: str
    unit: str
    items: list[QuizItem]

    @property
    def score(self) -> int:
        return sum(item.correct for item in self.items)

    @property
    def max_score(self) -> int:
        return len(self.items)

    def to_dict(self) -> dict:
        return {**asdict(self), "score": self.score, "max_score": self.max_score}


def grade_quiz(course_slug: str, unit_slug: str, answers: dict[str, int]) -> QuizReport:
    """Score ``answers`` ({question id: chosen index}); unknown course, unit or question ids raise TinyMLError."""
    unit = catalog().course(course_slug).unit(unit_slug)
    if unit.quiz is None:
        raise TinyMLError(f"unit '{unit_slug}' has no quiz yet")
    known = {q.id for q in unit.quiz.questions}
    unknown = sorted(set(answers) - known)
    if unknown:
        raise TinyMLError(f"no question {', '.join(unknown)} in the quiz of '{unit_slug}'; its ids are {sorted(known)}")
    items = []
    for q in unit.quiz.questions:
        chosen = answers.get(q.id, -1)
        if not isinstance(chosen, int) or not 0 <= chosen < len(q.choices):
            items.append(QuizItem(q.id, -1, False, f"Not answered. {q.choices[q.answer].explanation}"))
            continue
        choice = q.choices[chosen]
        items.append(QuizItem(q.id, chosen, choice.correct, choice.explanation))
    return QuizReport(course_slug, unit_slug, items)
