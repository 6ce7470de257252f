"""The grader survives whatever the learner's code does, and says clearly what went wrong."""

import os
import socket
import sqlite3
import time

import pytest

from tinymlkit import TinyMLError, course
from tinymlkit.course.sandbox import isolation_mode

LAB = "c1-first-neuron"
GOOD = (
    "import numpy as np\n\ndef mean_squared_error(y_true, y_pred):\n"
    "    return float(np.mean((np.asarray(y_true) - np.asarray(y_pred)) ** 2))\n"
)
LOOP = "    while True:\n        pass\n    return"


def _grade(code: str, **limits) -> course.GradeReport:
    return course.grade(LAB, code, "loss", course.Limits(**limits) if limits else course.Limits())


def _failed(report: course.GradeReport) -> list:
    return [c for r in report.results for c in r.checks if not c.passed]


def test_good_code_passes():
    report = _grade(GOOD)
    assert report.passed and report.score == report.max_score == 1


def test_syntax_error_names_the_line():
    report = _grade("import numpy as np\ndef mean_squared_error(y_true, y_pred)\n    return 0\n")
    assert not report.passed
    assert report.error.startswith("syntax error at line 2")
    assert _failed(report)[0].name == "your code compiles"


def test_unknown_exercise_and_lab_raise_clear_errors():
    with pytest.raises(TinyMLError, match="has no exercise 'nope'; its exercises are: loss"):
        course.grade(LAB, GOOD, "nope")
    with pytest.raises(TinyMLError, match="no lab 'nope'"):
        course.grade("nope", GOOD)


@pytest.mark.parametrize("where", ["top level", "in the function"])
def test_infinite_loop_is_stopped(where):
    code = "while True:\n    pass\n" if where == "top level" else GOOD.replace("    return", LOOP)
    report = _grade(code, wall_s=3)
    assert report.duration_s < 20
    failed = _failed(report)
    assert failed[0].name == "finishes in time" and "within 3 s" in failed[0].message
    assert "loop" in failed[0].hint


def test_cpu_limit_stops_a_busy_loop():
    report = _grade(GOOD.replace("    return", LOOP), cpu_s=3, wall_s=60)
    failed = _failed(report)
    assert failed[0].name == "checks complete" and "CPU time" in failed[0].message and report.duration_s < 30


def test_huge_output_is_capped_and_checks_still_run():
    code = GOOD + "print('x' * 50_000_000)\nfor i in range(100_000):\n    print(i)\n"
    report = _grade(code, output_kb=8)
    assert report.passed
    assert len(report.output) < 9 * 1024 and "more characters of output not kept" in report.output


def test_memory_hog_fails_with_a_message():
    report = _grade(GOOD.replace("    return", "    big = np.ones(10**11)\n    return"), memory_mb=1500)
    failed = _failed(report)
    assert failed and "MemoryError" in failed[0].message


def test_exit_calls_do_not_kill_the_grader():
    report = _grade(GOOD.replace("    return", "    import os\n    os._exit(3)\n    return"))
    failed = _failed(report)
    assert failed[0].name == "checks complete" and "status 3" in failed[0].message
    report = _grade("import sys\nsys.exit(0)\n")
    assert "SystemExit" in report.error


@pytest.mark.skipif(isolation_mode() == "none", reason="file protection needs root (a container or CI)")
def test_deleting_files_cannot_touch_the_learners_files(tmp_path, monkeypatch):
    store = course.ProgressStore(tmp_path / "progress.sqlite")
    store.record_quiz(course.grade_quiz("fundamentals", "ml-paradigm", {}))
    victim = tmp_path / "precious.txt"
    victim.write_text("keep me")
    code = (
        "import os, shutil\n"
        f"for p in [{str(victim)!r}, {str(store.path)!r}]:\n"
        "    try:\n        os.remove(p)\n    except OSError as e:\n        print('refused', e)\n"
        f"shutil.rmtree({str(tmp_path)!r}, ignore_errors=True)\n"
        "shutil.rmtree(os.getcwd(), ignore_errors=True)\n" + GOOD
    )
    report = _grade(code)
    assert report.passed and "refused" in report.output
    assert victim.read_text() == "keep me"
    with sqlite3.connect(store.path) as db:
        assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert store.best_quizzes()["fundamentals/ml-paradigm"].attempts == 1


@pytest.mark.skipif(isolation_mode() == "none", reason="a network namespace needs root (a container or CI)")
def test_no_network():
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(1)
    port = server.getsockname()[1]
    # the learner's answer is right only when the connection fails
    code = GOOD.replace(
        "    return",
        f"    import socket\n    try:\n        socket.create_connection(('127.0.0.1', {port}), timeout=2)\n"
        "        return -1.0\n    except OSError:\n        pass\n    return",
    )
    try:
        assert _grade(code).passed
    finally:
        server.close()


def test_stray_processes_are_killed():
    code = "import subprocess, sys\np = subprocess.Popen([sys.executable, '-c', 'import time; time.sleep(600)'])\n"
    code += "print('PID', p.pid)\n" + GOOD
    report = _grade(code)
    assert report.passed
    pid = int(report.output.split("PID")[1].split()[0])
    for _ in range(50):  # SIGKILL was sent before grade() returned; its delivery takes a moment
        if not os.path.exists(f"/proc/{pid}"):
            break
        time.sleep(0.1)
    assert not os.path.exists(f"/proc/{pid}")


def test_learner_exception_names_line_and_error():
    report = _grade(GOOD.replace("    return", "    x = [1][5]\n    return"))
    failed = _failed(report)
    assert "line 4 of your code: IndexError" in failed[0].message
