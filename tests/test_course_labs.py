"""Every lab notebook runs headless, top to bottom, with the reference solutions, in fast mode (nbclient)."""

import os

import nbformat
import pytest
from nbclient import NotebookClient

from tinymlkit import course

SRC = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "src")


def run_lab(lab: course.Lab, folder, fast: bool = True, timeout: int = 900) -> nbformat.NotebookNode:
    """Execute the solved lab in ``folder``; returns the executed notebook (raises on any failing cell)."""
    os.environ["TINYML_COURSE_FAST"] = "1" if fast else "0"
    os.environ["PYTHONPATH"] = os.pathsep.join(p for p in (SRC, os.environ.get("PYTHONPATH", "")) if p)
    os.environ.setdefault("MPLBACKEND", "Agg")
    nb = nbformat.reads(lab.solved_ipynb(), as_version=4)
    NotebookClient(nb, timeout=timeout, kernel_name="python3", resources={"metadata": {"path": str(folder)}}).execute()
    return nb


@pytest.mark.e2e
@pytest.mark.parametrize("lab_slug", sorted(course.catalog().labs))
def test_lab_runs_in_fast_mode(lab_slug, tmp_path, monkeypatch):
    monkeypatch.setenv("TINYML_COURSE_FAST", "1")
    nb = run_lab(course.catalog().lab(lab_slug), tmp_path)
    errors = [o for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", []) if o.output_type == "error"]
    assert not errors
