"""What a lab's ``checks.py`` uses to test a learner's function: each check records name, expected vs got, hint.

A check module defines ``CHECKS = {"exercise-slug": check_function}``; a check function receives a
:class:`Checker` holding the learner's namespace and a random generator seeded at check time, so the inputs
(and therefore the expected answers) differ on every run and cannot be printed in advance::

    def check_mse(t: Checker) -> None:
        mse = t.function("mean_squared_error")
        y, p = t.rng.normal(size=20), t.rng.normal(size=20)
        ok, got = t.call("runs on random vectors", mse, y, p)
        if ok:
            t.close("value on random vectors", got, np.mean((y - p) ** 2), hint="square, then average")
"""

from __future__ import annotations

import os
import traceback
from collections.abc import Callable
from dataclasses import asdict, dataclass
from typing import Any

import numpy as np

FAST = os.environ.get("TINYML_COURSE_FAST") == "1"
ARENA = 256 * 1024  # tensor arena for the small models of the exercises: enough for all, so no measuring run


def as_pair(got: Any, kinds: tuple[type, type] = (float, float)) -> tuple | None:
    """A learner's answer of two values converted by ``kinds`` (e.g. ``(int, float)``), or None if it is not two
    such values."""
    try:
        a, b = got
        return kinds[0](a), kinds[1](b)
    except (TypeError, ValueError):
        return None


@dataclass
class CheckResult:
    name: str
    passed: bool
    message: str = ""  # expected vs got
    hint: str = ""

    def to_dict(self) -> dict:
        return asdict(self)


class MissingFunction(Exception):
    """The learner's code does not define the function an exercise needs (the check stops there)."""


def _short(value: Any, limit: int = 160) -> str:
    if isinstance(value, np.ndarray):
        text = f"array of shape {value.shape}, dtype {value.dtype}: " + np.array2string(
            value, precision=4, threshold=8, edgeitems=3
        )
    else:
        text = repr(value)
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 3] + "..."


def learner_traceback(exc: BaseException) -> str:
    """The last frame of the learner's code in a traceback, as 'line N: ExcType: message'."""
    frames = [f for f in traceback.extract_tb(exc.__traceback__) if f.filename == "<your code>"]
    where = f"line {frames[-1].lineno} of your code: " if frames else ""
    return f"{where}{type(exc).__name__}: {str(exc)[:200]}"


class Checker:
    """Records the checks of one exercise against the learner's namespace."""

    def __init__(self, namespace: dict, rng: np.random.Generator, fast: bool = FAST):
        self.namespace = namespace
        self.rng = rng
        self.fast = fast
        self.results: list[CheckResult] = []

    # --- recording -------------------------------------------------------------------------------------------
    def record(self, name: str, passed: bool, message: str = "", hint: str = "") -> bool:
        self.results.append(CheckResult(name, bool(passed), "" if passed else message, "" if passed else hint))
        return bool(passed)

    def function(self, name: str) -> Callable:
        """The learner's function ``name``; a failed check (and the end of this exercise) when it is missing."""
        fn = self.namespace.get(name)
        if not callable(fn):
            self.record(
                f"defines {name}()",
                False,
                f"expected a function named {name}, got {'nothing' if fn is None else type(fn).__name__}",
                f"keep the name and arguments of the exercise cell: def {name}(...)",
            )
            raise MissingFunction(name)
        return fn

    def call(self, name: str, fn: Callable, *args: Any, hint: str = "", **kwargs: Any) -> tuple[bool, Any]:
        """Call the learner's ``fn``; an exception becomes a failed check ``name`` naming the line and error."""
        try:
            return True, fn(*args, **kwargs)
        except NotImplementedError:
            self.record(
                name,
                False,
                "expected an answer, got NotImplementedError",
                "replace `raise NotImplementedError` by your code",
            )
        except Exception as exc:  # the learner's code may raise anything
            self.record(name, False, f"expected a result, got an error ({learner_traceback(exc)})", hint)
        return False, None

    # --- comparisons -----------------------------------------------------------------------------------------
    def close(self, name: str, got: Any, expected: Any, hint: str = "", rtol: float = 1e-4, atol: float = 1e-6) -> bool:
        """``got`` equals ``expected`` within tolerances, with the same shape."""
        try:
            g = np.asarray(got, dtype=np.float64)
        except (TypeError, ValueError):
            return self.record(name, False, f"expected {_short(expected)}, got {_short(got)} (not a number)", hint)
        e = np.asarray(expected, dtype=np.float64)
        if g.shape != e.shape:
            return self.record(name, False, f"expected shape {e.shape}, got shape {g.shape}", hint)
        ok = bool(np.allclose(g, e, rtol=rtol, atol=atol, equal_nan=False))
        return self.record(name, ok, f"expected {_short(e)}, got {_short(g)}", hint)

    def equal(self, name: str, got: Any, expected: Any, hint: str = "") -> bool:
        try:
            ok = bool(np.all(np.asarray(got) == np.asarray(expected))) and np.shape(got) == np.shape(expected)
        except Exception:  # comparing odd objects
            ok = False
        return self.record(name, ok, f"expected {_short(expected)}, got {_short(got)}", hint)

    def true(self, name: str, condition: bool, expected: str, got: str, hint: str = "") -> bool:
        return self.record(name, bool(condition), f"expected {expected}, got {got}", hint)

    def at_least(self, name: str, got: float, minimum: float, hint: str = "", unit: str = "") -> bool:
        ok = got is not None and np.isfinite(got) and got >= minimum
        return self.record(name, ok, f"expected at least {minimum:g}{unit}, got {got:.4g}{unit}", hint)

    def is_array(self, name: str, got: Any, shape: tuple | None = None, dtype: Any = None, hint: str = "") -> bool:
        if not isinstance(got, np.ndarray):
            return self.record(name, False, f"expected a NumPy array, got {type(got).__name__}", hint)
        if shape is not None and got.shape != tuple(shape):
            return self.record(name, False, f"expected shape {tuple(shape)}, got {got.shape}", hint)
        if dtype is not None and got.dtype != np.dtype(dtype):
            return self.record(name, False, f"expected dtype {np.dtype(dtype)}, got {got.dtype}", hint)
        return self.record(name, True)
