"""Every lab notebook runs headless, top to bottom, with the reference solutions, in fast mode (nbclient)."""

import pytest

from tinymlkit import course
from tinymlkit.course.labrun import run_lab


@pytest.mark.e2e
@pytest.mark.parametrize("lab_slug", sorted(course.catalog().labs))
def test_lab_runs_in_fast_mode(lab_slug, tmp_path):
    run = run_lab(course.catalog().lab(lab_slug), tmp_path, fast=True)
    outputs = [o for c in run.notebook.cells if c.cell_type == "code" for o in c.get("outputs", [])]
    assert not [o for o in outputs if o.output_type == "error"]
    assert any(o.output_type == "stream" for o in outputs)  # the lab printed its figures
