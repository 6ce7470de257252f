"""Lab notebooks: jupytext percent text <-> .ipynb, and the learner's exercise code taken out of a submission."""

from __future__ import annotations

import ast
import json
from dataclasses import dataclass

import jupytext
import nbformat

EXERCISE_KEY = "exercise"


def read_text_notebook(text: str) -> nbformat.NotebookNode:
    return jupytext.reads(text, fmt="py:percent")


def text_to_ipynb(text: str) -> str:
    """Notebook JSON for the lab text, with a Python 3 kernel so Jupyter opens it directly."""
    nb = read_text_notebook(text)
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nb.metadata.pop("jupytext", None)
    return nbformat.writes(nb)


def _solutions(solution_text: str) -> dict[str, str]:
    nb = read_text_notebook(solution_text)
    return {c.metadata[EXERCISE_KEY]: c.source for c in nb.cells if EXERCISE_KEY in c.metadata}


def solved_notebook(lab_text: str, solution_text: str) -> str:
    """The lab notebook JSON with every exercise cell replaced by its reference solution."""
    nb = nbformat.reads(text_to_ipynb(lab_text), as_version=4)
    solutions = _solutions(solution_text)
    for cell in nb.cells:
        slug = cell.metadata.get(EXERCISE_KEY)
        if slug is not None:
            cell.source = solutions[slug]
    return nbformat.writes(nb)


def solution_cells(solution_text: str) -> dict[str, str]:
    """Reference code per exercise slug (what ``tinyml course solution`` shows)."""
    return _solutions(solution_text)


@dataclass(frozen=True)
class LearnerCode:
    """The code the grader runs: the exercise cells of a notebook (or a whole plain-Python file)."""

    code: str
    origin: str  # "exercise cells", "definitions from all code cells", "python file"
    syntax_error: str | None = None


def _syntax_error(code: str) -> str | None:
    try:
        ast.parse(code)
    except SyntaxError as exc:
        where = f"line {exc.lineno}" if exc.lineno else "somewhere"
        text = (exc.text or "").strip()
        return f"syntax error at {where} of your exercise code: {exc.msg}" + (f" (`{text[:80]}`)" if text else "")
    return None


def _definitions_only(code: str) -> str:
    """Imports, functions, classes and constants of ``code``: what a notebook defines, without running its work."""
    tree = ast.parse(code)
    keep = (ast.Import, ast.ImportFrom, ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)
    nodes = [n for n in tree.body if isinstance(n, keep)]
    return ast.unparse(ast.Module(body=nodes, type_ignores=[]))


def _names_used(code: str) -> set[str]:
    try:
        return {n.id for n in ast.walk(ast.parse(code)) if isinstance(n, ast.Name)}
    except SyntaxError:
        return set()


def _imports_only(code: str, needed: set[str]) -> str:
    """The imports of one cell that bind a name in ``needed`` ('' if none, or if the cell does not parse).

    Exercise cells use the lab's imports (``np``, ``tf``); only those they use are run, so a NumPy exercise is
    graded without waiting for TensorFlow to load.
    """
    try:
        tree = ast.parse(code)
    except SyntaxError:
        return ""
    kept = []
    for node in tree.body:
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            aliases = [a for a in node.names if (a.asname or a.name.split(".")[0]) in needed]
            if aliases:
                node.names = aliases
                kept.append(node)
    return ast.unparse(ast.Module(body=kept, type_ignores=[]))


def _code_cells(source: str) -> list[nbformat.NotebookNode] | None:
    """Code cells of a notebook given as .ipynb JSON or jupytext percent text; None for plain Python."""
    stripped = source.lstrip()
    if stripped.startswith("{"):
        try:
            nb = nbformat.reads(source, as_version=4)
        except (json.JSONDecodeError, nbformat.reader.NotJSONError, ValueError, KeyError, TypeError):
            return None
        return [c for c in nb.cells if c.cell_type == "code"]
    if "# %%" in source:
        return [c for c in read_text_notebook(source).cells if c.cell_type == "code"]
    return None


def _strip_magics(code: str) -> str:
    """Drop IPython magics and shell escapes (``%matplotlib``, ``!pip``), which are not Python."""
    return "\n".join("" if line.lstrip().startswith(("%", "!")) else line for line in code.splitlines())


def extract_learner_code(source: str) -> LearnerCode:
    """The learner's exercise code from a submission (.ipynb JSON, jupytext percent text or plain Python).

    Only the cells marked as exercises run (the rest of a lab trains and plots: the grader does not need it).
    A notebook whose exercise markers were lost gives the imports and definitions of all its code cells.
    """
    cells = _code_cells(source)
    if cells is None:
        code, origin = source, "python file"
    else:
        marked = [c for c in cells if EXERCISE_KEY in c.metadata]
        if marked:
            exercises = [_strip_magics(c.source) for c in marked]
            needed = _names_used("\n\n".join(exercises))
            imports = [_imports_only(_strip_magics(c.source), needed) for c in cells if EXERCISE_KEY not in c.metadata]
            code, origin = "\n\n".join([i for i in imports if i] + exercises), "exercise cells"
        else:
            code = "\n\n".join(_strip_magics(c.source) for c in cells)
            error = _syntax_error(code)
            if error:
                return LearnerCode(code, "all code cells", error)
            code, origin = _definitions_only(code), "definitions from all code cells"
    return LearnerCode(code, origin, _syntax_error(code))
