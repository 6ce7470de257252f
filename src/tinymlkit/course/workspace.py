"""The learner's workspace: the folder where ``tinyml course start`` puts lab notebooks to work in."""

from __future__ import annotations

import os
from pathlib import Path

from tinymlkit.course.catalog import Catalog, Unit, catalog
from tinymlkit.errors import TinyMLError
from tinymlkit.fileio import write_text


def workspace() -> Path:
    """``$TINYML_COURSE_WORKSPACE``, default ``./tinyml-course``."""
    return Path(os.environ.get("TINYML_COURSE_WORKSPACE") or "tinyml-course")


def notebook_path(lab_slug: str, folder: Path | None = None) -> Path:
    return (folder or workspace()) / f"{lab_slug}.ipynb"


def start_lab(lab_slug: str, folder: Path | None = None) -> tuple[Path, bool]:
    """Write the lab notebook into the workspace unless it is there already (the learner's work is never
    overwritten); returns the path and whether it was written now."""
    lab = catalog().lab(lab_slug)
    path = notebook_path(lab.slug, folder)
    if path.exists():
        return path, False
    path.parent.mkdir(parents=True, exist_ok=True)
    write_text(path, lab.to_ipynb())
    return path, True


def find_unit(name: str, cat: Catalog | None = None) -> tuple[str, Unit]:
    """A unit by ``course/unit`` or by its slug alone when that is unique."""
    cat = cat or catalog()
    if "/" in name:
        course_slug, unit_slug = name.split("/", 1)
        return course_slug, cat.course(course_slug).unit(unit_slug)
    found = [(c.slug, u) for c in cat.courses for u in c.units if u.slug == name]
    if len(found) != 1:
        raise TinyMLError(
            f"no unit '{name}'" if not found else f"'{name}' names units in several courses; write COURSE/UNIT"
        )
    return found[0]
