"""Run a lab notebook headless, top to bottom, with its reference solutions (CI in fast mode, benchmarks in full).

Needs the ``test`` or ``course`` extra (nbclient and ipykernel).
"""

from __future__ import annotations

import os
import time
from dataclasses import dataclass
from pathlib import Path

import nbformat

import tinymlkit
from tinymlkit.course.catalog import Lab
from tinymlkit.errors import TinyMLError


@dataclass(frozen=True)
class LabRun:
    lab: str
    seconds: float
    notebook: nbformat.NotebookNode


def run_lab(lab: Lab, folder: str | Path, fast: bool = True, timeout_s: int = 900) -> LabRun:
    """Execute the solved lab in ``folder`` with a Python 3 kernel; raises TinyMLError naming the failing cell."""
    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionError

    package_root = str(Path(tinymlkit.__file__).resolve().parent.parent)
    saved = {k: os.environ.get(k) for k in ("TINYML_COURSE_FAST", "PYTHONPATH", "MPLBACKEND")}
    os.environ["TINYML_COURSE_FAST"] = "1" if fast else "0"
    os.environ["PYTHONPATH"] = os.pathsep.join(p for p in (package_root, saved["PYTHONPATH"]) if p)
    os.environ["MPLBACKEND"] = "Agg"
    nb = nbformat.reads(lab.solved_ipynb(), as_version=4)
    start = time.monotonic()
    try:
        NotebookClient(
            nb, timeout=timeout_s, kernel_name="python3", resources={"metadata": {"path": str(folder)}}
        ).execute()
    except CellExecutionError as exc:
        raise TinyMLError(f"lab {lab.slug} failed: {str(exc).strip().splitlines()[-1][:300]}") from None
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
    return LabRun(lab.slug, time.monotonic() - start, nb)
