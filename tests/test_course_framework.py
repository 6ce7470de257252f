"""The course package: the catalog contract, notebooks, quizzes, the progress store and the CLI."""

import json
import sqlite3

import nbformat
import pytest

from tinymlkit import TinyMLError, course
from tinymlkit.course.notebook import extract_learner_code, solution_cells

from clirun import tinyml


@pytest.fixture(autouse=True)
def _course_home(tmp_path, monkeypatch):
    monkeypatch.setenv("TINYML_COURSE_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("TINYML_COURSE_WORKSPACE", str(tmp_path / "work"))


def test_catalog_has_four_complete_courses():
    cat = course.catalog()
    assert [c.number for c in cat.courses] == [1, 2, 3, 4]
    assert [c.status for c in cat.courses] == ["complete"] * 4
    for c in cat.courses:
        assert c.units and all(u.title for u in c.units)
    with pytest.raises(TinyMLError, match="no course"):
        cat.course("nope")
    with pytest.raises(TinyMLError, match="no lab"):
        cat.lab("nope")


def _labs():
    return list(course.catalog().labs.values())


@pytest.mark.parametrize("lab", _labs(), ids=lambda lab: lab.slug)
def test_every_lab_is_complete(lab):
    """Each exercise has a marked cell in the notebook, a reference solution and a check."""
    import importlib.util

    nb = nbformat.reads(lab.to_ipynb(), as_version=4)
    marked = [c.metadata["exercise"] for c in nb.cells if "exercise" in c.metadata]
    slugs = [e.slug for e in lab.exercises]
    assert marked == slugs
    assert set(solution_cells(lab.solution_text)) == set(slugs)
    spec = importlib.util.spec_from_file_location("checks", lab.checks_path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert set(module.CHECKS) == set(slugs)
    assert lab.course in {"fundamentals", "applications", "deploying", "scaling"}
    unit = course.catalog().unit_of(lab)
    assert unit.lab is lab and unit.quiz is not None and unit.lessons


def test_lessons_and_quizzes_are_well_formed():
    for c in course.catalog().courses:
        for u in c.units:
            for lesson in u.lessons:
                assert lesson.title and lesson.markdown.startswith("#")
                assert not lesson.markdown.startswith("---")
                for name in __import__("re").findall(r"\]\((figures/[^)]+)\)", lesson.markdown):
                    assert lesson.asset(name).stat().st_size > 1000, name
            if u.quiz:
                for q in u.quiz.questions:
                    assert sum(ch.correct for ch in q.choices) == 1, q.id
                    assert all(ch.explanation for ch in q.choices)


def test_lesson_asset_outside_the_unit_is_refused():
    lesson = course.catalog().course("fundamentals").unit("ml-paradigm").lessons[0]
    with pytest.raises(TinyMLError):
        lesson.asset("../../catalog.yaml")


def test_grade_quiz_explains_every_answer():
    unit = course.catalog().course("fundamentals").unit("ml-paradigm")
    answers = {q.id: q.answer for q in unit.quiz.questions}
    report = course.grade_quiz("fundamentals", "ml-paradigm", answers)
    assert report.score == report.max_score == len(unit.quiz.questions)
    first = unit.quiz.questions[0]
    wrong = (first.answer + 1) % len(first.choices)
    report = course.grade_quiz("fundamentals", "ml-paradigm", {first.id: wrong})
    assert report.score == 0
    assert report.items[0].explanation == first.choices[wrong].explanation
    assert report.items[1].chosen == -1 and report.items[1].explanation.startswith("Not answered")
    assert json.loads(json.dumps(report.to_dict()))["max_score"] == len(unit.quiz.questions)
    with pytest.raises(TinyMLError, match="no question"):
        course.grade_quiz("fundamentals", "ml-paradigm", {"nope": 0})


def test_extract_learner_code_from_ipynb_text_and_python():
    lab = course.catalog().lab("c1-first-neuron")
    from_ipynb = extract_learner_code(lab.solved_ipynb())
    assert from_ipynb.origin == "exercise cells" and from_ipynb.syntax_error is None
    assert "def mean_squared_error" in from_ipynb.code and "import numpy as np" in from_ipynb.code
    assert "model.fit" not in from_ipynb.code  # the lab's training cells are not run by the grader
    assert extract_learner_code(lab.notebook_text).origin == "exercise cells"
    assert extract_learner_code("def f():\n    return 1\n").origin == "python file"
    # a notebook that lost its exercise markers: only its definitions
    nb = nbformat.reads(lab.solved_ipynb(), as_version=4)
    for cell in nb.cells:
        cell.metadata.pop("exercise", None)
    lost = extract_learner_code(nbformat.writes(nb))
    assert lost.origin == "definitions from all code cells" and "model.fit" not in lost.code
    assert "def build_first_model" in lost.code
    bad = extract_learner_code("def f(:\n  pass\n")
    assert bad.syntax_error.startswith("syntax error at line 1")


def test_progress_store_records_attempts_and_quizzes(tmp_path):
    store = course.ProgressStore(tmp_path / "p.sqlite")
    checks = [course.CheckResult("a", True), course.CheckResult("b", False, "expected 1, got 2", "hint")]
    result = course.ExerciseResult("loss", 0.5, 1.0, False, checks)
    report = course.GradeReport("c1-first-neuron", [result], None, 1.5)
    assert course.GradeReport.from_dict(json.loads(json.dumps(report.to_dict()))) == report
    store.record_grade(report)
    assert store.attempts("c1-first-neuron") == 1
    best = store.best_exercises()["c1-first-neuron/loss"]
    assert (best.score, best.max_score, best.attempts, best.passed) == (0.5, 1.0, 1, False)
    store.record_quiz(course.grade_quiz("fundamentals", "ml-paradigm", {}))
    assert store.best_quizzes()["fundamentals/ml-paradigm"].score == 0
    with sqlite3.connect(store.path) as db:
        assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def test_progress_store_in_unwritable_place_is_a_clear_error(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(TinyMLError, match="TINYML_COURSE_HOME"):
        course.ProgressStore(blocker / "sub" / "p.sqlite")


@pytest.mark.e2e
def test_cli_list_start_quiz_solution(tmp_path):
    env = {"TINYML_COURSE_HOME": str(tmp_path / "home"), "TINYML_COURSE_WORKSPACE": str(tmp_path / "work")}
    listed = tinyml("course", "list", env=env)
    assert listed.returncode == 0
    for title in ("Course 1", "Course 2", "Course 3", "Course 4", "c1-first-neuron", "c4-federated", "complete"):
        assert title in listed.stdout
    started = tinyml("course", "start", "c1-first-neuron", env=env)
    assert started.returncode == 0 and "Lab written to" in started.stdout
    path = tmp_path / "work" / "c1-first-neuron.ipynb"
    nbformat.validate(nbformat.read(path, as_version=4))
    path.write_text(path.read_text() + " ")  # the learner's work
    again = tinyml("course", "start", "c1-first-neuron", env=env)
    assert "already at" in again.stdout and path.read_text().endswith(" ")
    locked = tinyml("course", "solution", "c1-first-neuron", env=env)
    assert locked.returncode == 1 and "try the lab first" in locked.stderr
    unknown = tinyml("course", "check", "no-such-lab", env=env)
    assert unknown.returncode == 1 and "no lab 'no-such-lab'" in unknown.stderr and "Traceback" not in unknown.stderr
    bad_exercise = tinyml("course", "check", "c1-first-neuron", "nope", env=env)
    assert bad_exercise.returncode == 1 and "has no exercise 'nope'" in bad_exercise.stderr
    quiz = tinyml("course", "quiz", "fundamentals/ml-paradigm", "--answers", "2,1,2,2", env=env)
    assert quiz.returncode == 0 and "quiz score 4/4" in quiz.stdout
    checked = tinyml("course", "check", "c1-first-neuron", "loss", env=env)
    assert checked.returncode == 1 and "NotImplementedError" in checked.stdout
    progress = tinyml("course", "progress", env=env)
    assert "c1-first-neuron" in progress.stdout and "4/4" in progress.stdout and "0/1" in progress.stdout
    shown = tinyml("course", "solution", "c1-first-neuron", env=env)
    assert shown.returncode == 0 and "def mean_squared_error" in shown.stdout


def test_every_lesson_figure_is_made_by_code():
    """Each figure a lesson shows has a function in tinymlkit.course.figures (python -m ... rebuilds it)."""
    import re

    from tinymlkit.course.catalog import CONTENT
    from tinymlkit.course.figures import FIGURES

    shown = set()
    for c in course.catalog().courses:
        for u in c.units:
            for lesson in u.lessons:
                for name in re.findall(r"\]\((figures/[^)]+)\)", lesson.markdown):
                    shown.add(str(lesson.asset(name).relative_to(CONTENT.resolve())))
    assert shown == set(FIGURES)
