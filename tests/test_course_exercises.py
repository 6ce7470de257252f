"""Every graded exercise: its reference solution passes, and typical wrong answers fail with the right message.

The wrong answers live in ``tests/course_wrong/<lab>.py`` (jupytext percent cells with the metadata
``exercise``, ``variant`` (1, 2, ...) and ``expect``: the name of the check that must fail). All exercises of a
variant are graded in one run (only those), so each lab costs one grading run per variant.
"""

from pathlib import Path

import nbformat
import pytest

from tinymlkit import course
from tinymlkit.course.grader import grade_exercises
from tinymlkit.course.notebook import read_text_notebook

WRONG = Path(__file__).parent / "course_wrong"


def _wrong_answers(lab_slug: str) -> dict[int, dict[str, tuple[str, str]]]:
    """{variant: {exercise: (code, expected failing check)}}"""
    path = WRONG / f"{lab_slug}.py"
    if not path.is_file():
        return {}
    variants: dict[int, dict[str, tuple[str, str]]] = {}
    for cell in read_text_notebook(path.read_text()).cells:
        m = cell.metadata
        if "exercise" in m:
            variants.setdefault(int(m["variant"]), {})[m["exercise"]] = (cell.source, m["expect"])
    return variants


def _with_cells(lab: course.Lab, replacements: dict[str, str]) -> str:
    nb = nbformat.reads(lab.solved_ipynb(), as_version=4)
    for cell in nb.cells:
        if cell.metadata.get("exercise") in replacements:
            cell.source = replacements[cell.metadata["exercise"]]
    return nbformat.writes(nb)


LABS = sorted(course.catalog().labs)
# Grading every lab's reference solution and wrong answers takes minutes (many checks train or convert models):
# it runs end to end (``-m e2e``, and in CI). The fast lane grades one quick lab per course (under a second each).
FAST_LABS = {"c1-will-it-fit", "c2-data", "c3-kws", "c4-versions"}


def _param(lab_slug: str, *values):
    return pytest.param(lab_slug, *values, marks=[] if lab_slug in FAST_LABS else [pytest.mark.e2e])


def test_fast_labs_are_one_per_course():
    assert FAST_LABS <= set(LABS) and len({slug.split("-")[0] for slug in FAST_LABS}) == len(FAST_LABS)


@pytest.mark.parametrize("lab_slug", [_param(slug) for slug in LABS])
def test_reference_solution_passes(lab_slug):
    lab = course.catalog().lab(lab_slug)
    report = course.grade(lab_slug, lab.solved_ipynb())
    failed = [(r.exercise, c) for r in report.results for c in r.checks if not c.passed]
    assert report.passed, failed
    assert report.score == report.max_score


def test_every_exercise_has_two_wrong_answers():
    for lab_slug in LABS:
        lab = course.catalog().lab(lab_slug)
        variants = _wrong_answers(lab_slug)
        for e in lab.exercises:
            assert sum(e.slug in v for v in variants.values()) >= 2, f"{lab_slug}/{e.slug}"


def _cases():
    for lab_slug in LABS:
        for variant in sorted(_wrong_answers(lab_slug)):
            yield _param(lab_slug, variant)


@pytest.mark.parametrize(("lab_slug", "variant"), list(_cases()))
def test_wrong_answers_fail_with_the_right_check(lab_slug, variant):
    lab = course.catalog().lab(lab_slug)
    wrong = _wrong_answers(lab_slug)[variant]
    report = grade_exercises(lab_slug, _with_cells(lab, {k: code for k, (code, _) in wrong.items()}), list(wrong))
    by_slug = {r.exercise: r for r in report.results}
    for slug, (_, expect) in wrong.items():
        result = by_slug[slug]
        assert not result.passed, f"{slug}: a wrong answer passed"
        names = [c.name for c in result.failed]
        assert any(expect in n for n in names), f"{slug}: expected failed check '{expect}', got {names}"
        assert all(c.message and c.hint for c in result.failed), result.failed


# Checks draw new inputs on every grading, so a right answer must pass on any draw: a check that fails the
# reference solution once in a few thousand gradings fails a learner's right answer as often (c1-home-assistant
# did: a draw where no threshold reached the target). These labs' checks take milliseconds, so their reference
# solutions go through them in this process on many seeds; the slow labs are graded above once per run.
CHEAP_LABS = {
    "c1-home-assistant": 200,
    "c1-will-it-fit": 2000,
    "c2-data": 500,
    "c2-fairness": 300,
    "c3-custom": 1000,
    "c3-embedded": 2000,
    "c3-project": 1000,
    "c3-wand": 300,
    "c4-benchmark": 2000,
    "c4-compression": 150,
    "c4-federated": 300,
    "c4-mlops": 1000,
    "c4-npu": 2000,
}


def _failed_checks_on_draws(lab_slug: str, notebook: str, slugs: list[str], seeds: int) -> list[tuple]:
    """(seed, exercise, failed check) of the exercises ``slugs`` of ``notebook`` on draws 0..seeds-1, checked in
    this process by the grader's child process's own function."""
    import numpy as np

    from tinymlkit.course.grader import extract_learner_code
    from tinymlkit.course.runner import check_exercise, load_checks

    checks = load_checks(str(course.catalog().lab(lab_slug).checks_path))
    namespace = {"__name__": "learner"}
    exec(compile(extract_learner_code(notebook).code, "<your code>", "exec"), namespace)
    failed = []
    with np.errstate(all="ignore"):  # a wrong answer may divide by zero
        for seed in range(seeds):
            for index, slug in enumerate(slugs):
                results = check_exercise(checks, namespace, slug, seed, index)
                failed += [(seed, slug, r.name) for r in results if not r.passed]
    return failed


@pytest.mark.parametrize(("lab_slug", "seeds"), sorted(CHEAP_LABS.items()))
def test_reference_solution_passes_on_many_draws(lab_slug, seeds):
    lab = course.catalog().lab(lab_slug)
    failed = _failed_checks_on_draws(lab_slug, lab.solved_ipynb(), [e.slug for e in lab.exercises], seeds)
    assert not failed, failed[:3]


@pytest.mark.parametrize("lab_slug", sorted(CHEAP_LABS))
def test_wrong_answers_fail_on_many_draws(lab_slug):
    lab = course.catalog().lab(lab_slug)
    for wrong in _wrong_answers(lab_slug).values():
        notebook = _with_cells(lab, {slug: code for slug, (code, _) in wrong.items()})
        failed = _failed_checks_on_draws(lab_slug, notebook, list(wrong), 100)
        for seed in range(100):
            for slug, (_, expect) in wrong.items():
                names = [name for s, e, name in failed if s == seed and e == slug]
                assert any(expect in name for name in names), (seed, slug, expect, names)
