"""``tinyml course ...``: the course's labs, auto-grader, quizzes and progress, all offline."""

import shutil
import subprocess
from pathlib import Path

import typer
from rich.markup import escape
from rich.table import Table

from tinymlkit.cli.ui import console
from tinymlkit.errors import TinyMLError

app = typer.Typer(
    help="The TinyML course: labs, auto-graded exercises, quizzes and your progress.", no_args_is_help=True
)


@app.command("list")
def list_courses() -> None:
    """Show the four courses, their units and labs (with the number of graded exercises)."""
    from tinymlkit.course import catalog

    for c in catalog().courses:
        status = "[green]complete[/]" if c.status == "complete" else "[yellow]coming[/]"
        t = Table(title=f"Course {c.number}: {c.title} ({status})", title_justify="left")
        for col in ("#", "unit", "lab", "exercises", "quiz"):
            t.add_column(col)
        for u in c.units:
            lab = u.lab.slug if u.lab else "-"
            exercises = str(len(u.lab.exercises)) if u.lab else "-"
            quiz = f"{len(u.quiz.questions)} questions" if u.quiz else "-"
            t.add_row(str(u.number), f"{u.title}\n[dim]{c.slug}/{u.slug}[/]", lab, exercises, quiz)
        console.print(t)
    console.print("Start a lab with [bold]tinyml course start LAB[/].")


@app.command()
def start(
    lab: str = typer.Argument(..., help="Lab name, e.g. c1-first-neuron (see `tinyml course list`)."),
    folder: Path = typer.Option(
        None, "--dir", help="Workspace folder; default $TINYML_COURSE_WORKSPACE or ./tinyml-course."
    ),
    open_lab: bool = typer.Option(False, "--open", help="Open the notebook in JupyterLab (the 'course' extra)."),
) -> None:
    """Put the lab notebook in your workspace (never overwriting your work) and say how to open it."""
    from tinymlkit.course.workspace import start_lab

    path, written = start_lab(lab, folder)
    console.print(f"[bold green]{'Lab written to' if written else 'Your lab is already at'}[/] {path}")
    jupyter = shutil.which("jupyter")
    if open_lab:
        if jupyter is None:
            raise TinyMLError('JupyterLab is not installed; run pip install -e ".[course]"')
        subprocess.run([jupyter, "lab", str(path)], check=False)
    else:
        console.print(
            f"Open it with [bold]jupyter lab {path}[/], then grade it with [bold]tinyml course check {lab}[/]."
        )


def _print_report(report) -> None:
    for r in report.results:
        mark = "[green]passed[/]" if r.passed else "[red]not yet[/]"
        console.print(f"[bold]{r.exercise}[/]: {r.score:g}/{r.max_score:g} {mark}")
        for c in r.failed:
            console.print(f"  [red]x[/] {escape(c.name)}: {escape(c.message)}", soft_wrap=True)
            if c.hint:
                console.print(f"    [cyan]hint:[/] {escape(c.hint)}", soft_wrap=True)
    if report.error:
        console.print(f"[red]{escape(report.error)}[/]", soft_wrap=True)
    console.print(f"[bold]score {report.score:g}/{report.max_score:g}[/] ({report.duration_s:.1f} s)")


@app.command()
def check(
    lab: str = typer.Argument(..., help="Lab name, e.g. c1-first-neuron."),
    exercise: str = typer.Argument(None, help="Grade only this exercise."),
    file: Path = typer.Option(
        None, "--file", help="Notebook (.ipynb), percent-format .py or Python file; default: the workspace notebook."
    ),
) -> None:
    """Grade your lab: run your exercise code in a separate, limited process against fresh random checks."""
    from tinymlkit.cli.ui import quiet_tensorflow
    from tinymlkit.course import ProgressStore, catalog, grade
    from tinymlkit.course.workspace import notebook_path

    quiet_tensorflow()
    catalog().lab(lab)
    path = file or notebook_path(lab)
    if not path.is_file():
        raise TinyMLError(f"{path} not found; run `tinyml course start {lab}` first or pass --file")
    try:
        source = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise TinyMLError(f"cannot read {path} ({exc}); pass the notebook you work in") from None
    store = ProgressStore()
    with console.status(f"Grading {lab}..."):
        report = grade(lab, source, exercise)
    store.record_grade(report)
    _print_report(report)
    if not report.passed:
        raise typer.Exit(1)


@app.command()
def quiz(
    unit: str = typer.Argument(
        ..., help="Unit as COURSE/UNIT, e.g. fundamentals/ml-paradigm (or the unit name alone)."
    ),
    answers: str = typer.Option(
        None, "--answers", help="Answer numbers (1-based), comma-separated, instead of asking."
    ),
) -> None:
    """Take a unit's multiple-choice quiz; every answer is explained."""
    from tinymlkit.course import ProgressStore, grade_quiz
    from tinymlkit.course.workspace import find_unit

    course_slug, u = find_unit(unit)
    if u.quiz is None:
        raise TinyMLError(f"unit '{u.slug}' has no quiz yet")
    given = [a.strip() for a in answers.split(",")] if answers else None
    if given is not None and len(given) != len(u.quiz.questions):
        raise TinyMLError(f"--answers needs {len(u.quiz.questions)} numbers, one per question; got {len(given)}")
    chosen: dict[str, int] = {}
    for i, q in enumerate(u.quiz.questions):
        if given is None:
            console.print(f"\n[bold]{i + 1}. {escape(q.text)}[/]")
            for k, c in enumerate(q.choices, start=1):
                console.print(f"   {k}) {escape(c.text)}")
            value = typer.prompt("Your answer", type=int)
        else:
            try:
                value = int(given[i])
            except ValueError:
                raise TinyMLError(f"--answers: '{given[i]}' is not a number") from None
        chosen[q.id] = value - 1
    report = grade_quiz(course_slug, u.slug, chosen)
    ProgressStore().record_quiz(report)
    for i, item in enumerate(report.items, start=1):
        mark = "[green]right[/]" if item.correct else "[red]wrong[/]"
        console.print(f"{i}. {mark}: {escape(item.explanation)}", soft_wrap=True)
    console.print(f"[bold]quiz score {report.score}/{report.max_score}[/]")


@app.command()
def progress() -> None:
    """Your best score per exercise and quiz (from the local progress store)."""
    from tinymlkit.course import ProgressStore, catalog

    store = ProgressStore()
    best, quizzes = store.best_exercises(), store.best_quizzes()
    t = Table(title=f"Your progress ({store.path})", title_justify="left")
    for col in ("course", "lab or unit", "exercise", "best", "tries", "done"):
        t.add_column(col)
    done = total = 0
    for c in catalog().courses:
        for u in c.units:
            items = [(u.lab.slug, e.slug, e.points, best) for e in u.lab.exercises] if u.lab else []
            if u.quiz:
                items.append((u.slug, "quiz", len(u.quiz.questions), quizzes))
            for group, name, points, source in items:
                b = source.get(f"{group}/{name}" if source is best else f"{c.slug}/{u.slug}")
                total += 1
                done += bool(b and b.passed)
                t.add_row(
                    str(c.number),
                    group,
                    name,
                    f"{b.score:g}/{points:g}" if b else "-",
                    str(b.attempts) if b else "0",
                    "[green]yes[/]" if b and b.passed else "",
                )
    console.print(t)
    console.print(f"[bold]{done} of {total} exercises and quizzes done[/]")


@app.command()
def solution(lab: str = typer.Argument(..., help="Lab name, e.g. c1-first-neuron.")) -> None:
    """Show the reference solution of a lab (after you have checked it at least once)."""
    from tinymlkit.course import ProgressStore, catalog
    from tinymlkit.course.notebook import solution_cells

    the_lab = catalog().lab(lab)
    if ProgressStore().attempts(the_lab.slug) == 0:
        raise TinyMLError(f"try the lab first: `tinyml course check {lab}`; the solution opens after one attempt")
    for slug, code in solution_cells(the_lab.solution_text).items():
        console.rule(f"[bold]{slug}[/]")
        console.print(escape(code), highlight=False)
