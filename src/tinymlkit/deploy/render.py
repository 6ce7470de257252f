"""Render the template files under ``deploy/templates/`` with Jinja2."""

from pathlib import Path

import jinja2

TEMPLATES = Path(__file__).parent / "templates"


def environment(folder: Path = TEMPLATES, autoescape: bool = False) -> jinja2.Environment:
    """A Jinja2 environment over a template folder (default: the deploy templates) that fails on any undefined
    name; ``autoescape`` for HTML templates."""
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(folder),
        undefined=jinja2.StrictUndefined,
        autoescape=autoescape,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )


def render(template: str, **context: object) -> str:
    """Render one template, e.g. ``render("c_array/model_data.h.j2", name=...)``."""
    return environment().get_template(template).render(**context)
