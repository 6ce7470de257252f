"""Real-browser journeys against the real thing: ``tinyml platform serve`` (uvicorn + Huey worker) in headless
Chromium (Debian's package, driven by Playwright).

Screenshots (desktop and phone width) go to ``$TINYML_SCREENSHOTS`` when set.
"""

import csv
import io
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from clirun import SRC, tinyml
from quick_exercise import quick_exercise

CHROMIUM = "/usr/bin/chromium"
pytestmark = [
    pytest.mark.e2e,
    pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="needs Debian's chromium (apt-get install chromium)"),
]
PASSWORD = "tiny-ML-journey-2026"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def signed_up(browser, site, name: str, width: int = 1280):
    """A new context and page, signed up as ``name``: waits for the welcome, so that the next navigation cannot
    cancel the sign-up's redirect (and with it the session cookie)."""
    context = browser.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    page.goto(site["url"] + "/accounts/signup/")
    page.fill("#id_username", name)
    page.fill("#id_email", f"{name}@example.org")
    page.fill("#id_password1", PASSWORD)
    page.fill("#id_password2", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_selector(f"text=Welcome, {name}")  # after the redirect: content() during it can be empty
    return context, page


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """The platform as a user starts it, on a free loopback port, with its own data folder and queue."""
    data = tmp_path_factory.mktemp("platform-data")
    port = free_port()
    env = {
        **os.environ,
        "TINYML_PLATFORM_DIR": str(data),
        "TINYML_GRADE_WALL_S": "90",
        "TINYML_QUEUE_NAME": f"journey-{port}",
        "PYTHONPATH": str(SRC),
    }
    env.pop("DJANGO_SETTINGS_MODULE", None)
    log = (data / "serve.log").open("w")
    server = subprocess.Popen(
        [sys.executable, "-m", "tinymlkit", "platform", "serve", "--port", str(port)],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 180
    while True:
        try:
            urllib.request.urlopen(url + "/", timeout=5)
            break
        except OSError:
            if server.poll() is not None or time.monotonic() > deadline:
                log.close()
                pytest.fail("the platform did not start:\n" + (data / "serve.log").read_text()[-3000:])
            time.sleep(0.5)
    # Names unique to this run: on PostgreSQL the site's database outlives the test run.
    yield {
        "url": url,
        "env": env,
        "data": data,
        "learner": f"learner{port}",
        "offline": f"offline{port}",
        "staff": f"teacher{port}",
    }
    os.killpg(server.pid, signal.SIGTERM)
    try:
        server.wait(timeout=30)
    except subprocess.TimeoutExpired:
        os.killpg(server.pid, signal.SIGKILL)
        server.wait()
    log.close()
    text = (data / "serve.log").read_text()
    assert "Traceback" not in text, text[-3000:]


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, headless=True)
        yield chromium
        chromium.close()


def shoot(page, name: str) -> None:
    folder = os.environ.get("TINYML_SCREENSHOTS")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(folder) / f"{name}.png"), full_page=True)


def graded_content():
    quick = quick_exercise()
    if not (quick.unit.lessons and quick.unit.quiz and quick.unit.quiz.questions):
        pytest.skip("the quick exercise's unit has no lessons or quiz")
    return quick.course, quick.unit


def quick_solution(lab) -> tuple[str, str]:
    quick = quick_exercise()
    return quick.exercise.slug, quick.solution


def test_learner_signs_up_reads_takes_a_quiz_submits_and_sees_grade_and_progress(site, browser):
    c, u = graded_content()
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.goto(site["url"] + "/")
    assert page.locator("h1").inner_text() == "Courses"
    shoot(page, "catalogue-desktop")
    page.click("text=Sign up")
    page.fill("#id_username", site["learner"])
    page.fill("#id_email", f"{site['learner']}@example.org")
    page.fill("#id_password1", PASSWORD)
    page.fill("#id_password2", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_selector(f"text=Welcome, {site['learner']}")  # after the redirect: content() during it can be empty

    # A lesson, with its figures and highlighted code.
    page.click(f"text={c.title}")
    page.click(f"text={u.lessons[0].title}")
    assert page.locator("article.lesson h1").inner_text() == u.lessons[0].title
    shoot(page, "lesson-desktop")

    # The quiz, graded on submit.
    page.goto(f"{site['url']}/quiz/{c.slug}/{u.slug}/")
    for q in u.quiz.questions:
        page.check(f"input[name='q-{q.id}'][value='{q.answer}']")
    page.click("text=Submit answers")
    assert "passed" in page.locator("#quiz-score").inner_text()

    # An exercise, pasted, graded by the worker; the result page updates by itself.
    exercise, code = quick_solution(u.lab)
    page.goto(f"{site['url']}/labs/{u.lab.slug}/")
    shoot(page, "lab-desktop")
    page.select_option("#id_exercise", exercise)
    page.fill("#id_code", code)
    page.click("text=Submit for grading")
    page.wait_for_selector("text=updates by itself")
    page.wait_for_selector("#score", timeout=150_000)
    assert "passed" in page.locator("#score").inner_text()
    shoot(page, "result-desktop")

    page.click("text=Your progress")
    progress = page.locator("main").inner_text()
    assert "passed" in progress and "1 / " in progress
    shoot(page, "dashboard-desktop")

    # The same pages on a phone: nothing wider than the screen.
    phone = browser.new_context(
        viewport={"width": 390, "height": 844},
        device_scale_factor=2,
        is_mobile=True,
        storage_state=context.storage_state(),
    )
    mobile = phone.new_page()
    for path, name in (
        (f"/courses/{c.slug}/{u.slug}/{u.lessons[0].slug}/", "lesson-phone"),
        (f"/labs/{u.lab.slug}/", "lab-phone"),
        ("/dashboard/", "dashboard-phone"),
    ):
        mobile.goto(site["url"] + path)
        width = mobile.evaluate("document.documentElement.scrollWidth")
        assert width <= 390, f"{path} is {width} px wide on a 390 px phone"
        shoot(mobile, name)
    phone.close()
    context.close()


def test_cli_submit_with_a_personal_token(site, browser, tmp_path):
    c, u = graded_content()
    context, page = signed_up(browser, site, site["offline"])
    page.goto(site["url"] + "/accounts/token/")
    page.click("text=Make a token")
    token = page.locator("#new-token").inner_text().strip()
    context.close()
    exercise, code = quick_solution(u.lab)
    notebook = tmp_path / f"{u.lab.slug}.py"
    notebook.write_text(code)
    done = tinyml(
        "course",
        "submit",
        u.lab.slug,
        "--exercise",
        exercise,
        cwd=tmp_path,
        timeout=300,
        env={"TINYML_PLATFORM_URL": site["url"], "TINYML_TOKEN": token},
    )
    assert done.returncode == 0, done.stderr
    assert re.search(r"Score (\d+) / \1 — passed", done.stdout), done.stdout
    refused = tinyml(
        "course",
        "submit",
        u.lab.slug,
        "--notebook",
        str(notebook),
        "--url",
        site["url"],
        "--token",
        "tml_wrong",
        cwd=tmp_path,
    )
    assert refused.returncode == 1 and "unknown token" in refused.stderr and "Traceback" not in refused.stderr


def test_staff_exports_the_cohort_csv(site, browser, tmp_path):
    password_file = tmp_path / "pw"
    password_file.write_text(PASSWORD)
    made = tinyml(
        "platform",
        "admin",
        "create",
        site["staff"],
        "--email",
        "t@example.org",
        "--password-file",
        str(password_file),
        env=site["env"],
    )
    assert made.returncode == 0, made.stderr
    page = browser.new_context(accept_downloads=True).new_page()
    page.goto(site["url"] + "/accounts/login/?next=/instructor/")
    page.fill("#id_username", site["staff"])
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_selector("h1:has-text('Cohort progress')")  # the login page has an h1 too
    assert page.locator("h1").inner_text() == "Cohort progress"
    shoot(page, "instructor-desktop")
    with page.expect_download() as download:
        page.click("#csv-export")
    rows = list(csv.DictReader(io.StringIO(Path(download.value.path()).read_text())))
    learners = {r["username"] for r in rows}
    assert site["staff"] not in learners and rows
    if site["learner"] in learners:  # the learner journey ran first in this module
        assert any(r["username"] == site["learner"] and r["passed"] == "1" for r in rows)
