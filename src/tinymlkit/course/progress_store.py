"""The learner's local progress: every graded attempt and quiz, in one SQLite file.

The file lives in ``$TINYML_COURSE_HOME`` (default: ``$XDG_DATA_HOME/tinymlkit/course``, i.e.
``~/.local/share/tinymlkit/course``). Each write is one transaction, so a crash never leaves half a record.
"""

from __future__ import annotations

import contextlib
import json
import os
import sqlite3
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from tinymlkit.errors import TinyMLError

SCHEMA = """
CREATE TABLE IF NOT EXISTS attempts (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    lab TEXT NOT NULL, exercise TEXT NOT NULL, score REAL NOT NULL, max_score REAL NOT NULL,
    passed INTEGER NOT NULL, at REAL NOT NULL, report TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS quizzes (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    course TEXT NOT NULL, unit TEXT NOT NULL, score INTEGER NOT NULL, max_score INTEGER NOT NULL,
    at REAL NOT NULL, report TEXT NOT NULL
);
"""


def course_home() -> Path:
    if os.environ.get("TINYML_COURSE_HOME"):
        return Path(os.environ["TINYML_COURSE_HOME"]).expanduser()
    data = Path(os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share")
    return data / "tinymlkit" / "course"


@dataclass(frozen=True)
class Best:
    key: str  # "lab/exercise" or "course/unit"
    score: float
    max_score: float
    attempts: int
    passed: bool


class ProgressStore:
    """Attempts and quiz results of one learner."""

    def __init__(self, path: str | Path | None = None):
        self.path = Path(path) if path else course_home() / "progress.sqlite"
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            with self._connect() as db:
                db.executescript(SCHEMA)
        except (OSError, sqlite3.Error) as exc:
            raise TinyMLError(
                f"cannot open the progress store {self.path} ({exc}); set TINYML_COURSE_HOME to a writable folder"
            ) from None

    @contextlib.contextmanager
    def _connect(self) -> Iterator[sqlite3.Connection]:
        """One transaction: committed on success, rolled back on error, and the connection closed."""
        db = sqlite3.connect(self.path, timeout=30)
        try:
            with db:
                yield db
        finally:
            db.close()

    def record_grade(self, report) -> None:
        """One row per exercise of a :class:`~tinymlkit.course.grader.GradeReport`."""
        now = time.time()
        full = json.dumps(report.to_dict())
        with self._connect() as db:
            db.executemany(
                "INSERT INTO attempts (lab, exercise, score, max_score, passed, at, report) VALUES (?,?,?,?,?,?,?)",
                [(report.lab, r.exercise, r.score, r.max_score, int(r.passed), now, full) for r in report.results],
            )

    def record_quiz(self, report) -> None:
        with self._connect() as db:
            db.execute(
                "INSERT INTO quizzes (course, unit, score, max_score, at, report) VALUES (?,?,?,?,?,?)",
                (report.course, report.unit, report.score, report.max_score, time.time(), json.dumps(report.to_dict())),
            )

    def attempts(self, lab: str) -> int:
        with self._connect() as db:
            return db.execute("SELECT COUNT(DISTINCT at) FROM attempts WHERE lab = ?", (lab,)).fetchone()[0]

    def best_exercises(self) -> dict[str, Best]:
        """Best score per ``lab/exercise``."""
        rows = self._rows(
            "SELECT lab || '/' || exercise, MAX(score), MAX(max_score), COUNT(*), MAX(passed) FROM attempts "
            "GROUP BY lab, exercise"
        )
        return {r[0]: Best(r[0], r[1], r[2], r[3], bool(r[4])) for r in rows}

    def best_quizzes(self) -> dict[str, Best]:
        """Best score per ``course/unit`` quiz."""
        rows = self._rows(
            "SELECT course || '/' || unit, MAX(score), MAX(max_score), COUNT(*), MAX(score = max_score) FROM quizzes "
            "GROUP BY course, unit"
        )
        return {r[0]: Best(r[0], r[1], r[2], r[3], bool(r[4])) for r in rows}

    def _rows(self, sql: str) -> list[tuple]:
        with self._connect() as db:
            return db.execute(sql).fetchall()
