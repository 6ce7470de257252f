"""Pages and permissions: public catalogue and lessons, everything else behind a login, light pages."""

import re

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def lesson_urls():
    from tinymlkit.platform.courses import content

    return [
        reverse("lesson", args=[c.slug, u.slug, le.slug])
        for c in content.catalog().courses
        for u in c.units
        for le in u.lessons
    ]


def test_catalogue_lists_the_four_courses(client):
    from tinymlkit.platform.courses import content

    page = client.get("/")
    assert page.status_code == 200
    courses = content.catalog().courses
    assert len(courses) == 4
    for c in courses:
        assert c.title in page.content.decode()


def test_course_unit_and_lesson_pages_are_public(client):
    from tinymlkit.platform.courses import content

    for c in content.catalog().courses:
        assert client.get(reverse("course", args=[c.slug])).status_code == 200
        for u in c.units:
            assert client.get(reverse("unit", args=[c.slug, u.slug])).status_code == 200
    urls = lesson_urls()
    assert urls, "the course content has no lessons"
    for url in urls:
        assert client.get(url).status_code == 200, url


def test_lesson_markdown_is_rendered_sanitized_and_light(client):
    for url in lesson_urls():
        html = client.get(url).content.decode()
        assert "<script" not in html.split("</footer>")[0].split("<main>")[1], url
        assert len(html.encode()) <= 200 * 1024, f"{url} is {len(html.encode())} bytes"
    # Every asset the layout links is served locally: no CDN.
    html = client.get(lesson_urls()[0]).content.decode()
    for ref in re.findall(r'(?:src|href)="([^"]+)"', html):
        assert not ref.startswith(("http://", "https://", "//")), ref


def test_lesson_figures_are_served(client):
    served = 0
    for url in lesson_urls():
        article = client.get(url).content.decode().split('<article class="lesson">')[1].split("</article>")[0]
        for src in re.findall(r'<img src="([^"]+)"', article):
            figure = client.get(url + src)
            assert figure.status_code == 200 and figure["Content-Type"].startswith("image/"), url + src
            served += 1
    from tinymlkit.platform.courses import content

    referenced = sum("![" in le.markdown for c in content.catalog().courses for u in c.units for le in u.lessons)
    assert served >= referenced
    if lesson_urls():
        assert client.get(lesson_urls()[0] + "../../../../pyproject.toml").status_code == 404
        assert client.get(lesson_urls()[0] + "lab.py").status_code == 404


def test_rendering_escapes_raw_html_and_highlights_code():
    from tinymlkit.platform.courses.rendering import render_markdown

    html = render_markdown(
        "Hi <script>alert(1)</script> [x](javascript:alert(1))\n\n```python\nimport numpy as np\n```"
    )
    assert "<script" not in html and 'href="javascript' not in html
    assert '<span class="kn">import</span>' in html
    assert "<table>" in render_markdown("| a | b |\n|---|---|\n| 1 | 2 |")


def test_unknown_pages_are_404(client):
    assert client.get("/courses/no-such-course/").status_code == 404
    assert client.get("/labs/no-such-lab/").status_code in (302, 404)


@pytest.mark.parametrize("name", ["dashboard", "submissions", "instructor", "token", "instructor-csv"])
def test_private_pages_need_a_login(client, name):
    response = client.get(reverse(name))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_lab_quiz_and_certificate_need_a_login(client, graded_lab, quiz_unit):
    c, u, lab = graded_lab
    for url in (
        reverse("lab", args=[lab.slug]),
        reverse("lab-notebook", args=[lab.slug]),
        reverse("quiz", args=list(_slugs(quiz_unit))),
        reverse("certificate", args=[c.slug]),
    ):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith(reverse("login")), url


def _slugs(course_unit):
    c, u = course_unit
    return c.slug, u.slug


def test_instructor_view_is_staff_only(client, learner):
    client.force_login(learner)
    assert client.get(reverse("instructor")).status_code == 403
    assert client.get(reverse("instructor-csv")).status_code == 403


def test_signup_logs_in_and_login_logout_work(client):
    response = client.post(
        reverse("signup"),
        {"username": "newbie", "email": "n@example.org", "password1": "tiny-ML-2026!", "password2": "tiny-ML-2026!"},
    )
    assert response.status_code == 302
    assert client.get(reverse("dashboard")).status_code == 200
    client.post(reverse("logout"))
    assert client.get(reverse("dashboard")).status_code == 302
    assert client.post(reverse("login"), {"username": "newbie", "password": "tiny-ML-2026!"}).status_code == 302
    assert client.get(reverse("dashboard")).status_code == 200


def test_signup_rejects_a_weak_password_and_a_taken_email(client, learner):
    response = client.post(
        reverse("signup"), {"username": "x", "email": "ada@example.org", "password1": "123", "password2": "123"}
    )
    assert response.status_code == 200
    text = response.content.decode()
    assert "An account with this e-mail exists" in text and "too short" in text


def test_password_reset_sends_a_working_link(client, learner):
    from django.core import mail

    client.post(reverse("password_reset"), {"email": "ada@example.org"})
    assert len(mail.outbox) == 1
    link = re.search(r"https?://[^/]+(/\S+)", mail.outbox[0].body).group(1)
    form = client.get(link, follow=True)
    assert form.status_code == 200 and "new password" in form.content.decode().lower()
    done = client.post(
        form.redirect_chain[-1][0], {"new_password1": "An0ther-long-one", "new_password2": "An0ther-long-one"}
    )
    assert done.status_code == 302
    assert client.login(username="ada", password="An0ther-long-one")


def test_file_email_backend_is_the_default():
    from tinymlkit.platform import settings as site_settings  # the tests themselves run with Django's outbox

    assert site_settings.EMAIL_BACKEND.endswith("filebased.EmailBackend")
    assert site_settings.EMAIL_FILE_PATH == site_settings.DATA_DIR / "mail"


def test_forms_need_a_csrf_token(learner, graded_lab, quiz_unit):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    strict.force_login(learner)
    c, u, lab = graded_lab
    assert strict.post(reverse("submit", args=[lab.slug]), {"code": "x = 1"}).status_code == 403
    assert strict.post(reverse("quiz", args=list(_slugs(quiz_unit))), {}).status_code == 403
    assert strict.post(reverse("token")).status_code == 403
    assert strict.post(reverse("logout")).status_code == 403


def test_lab_page_offers_the_notebook(client, learner, graded_lab):
    import json

    c, u, lab = graded_lab
    client.force_login(learner)
    page = client.get(reverse("lab", args=[lab.slug])).content.decode()
    for ex in lab.exercises:
        assert ex.title in page
    notebook = client.get(reverse("lab-notebook", args=[lab.slug]))
    assert notebook["Content-Disposition"] == f'attachment; filename="{lab.slug}.ipynb"'
    assert json.loads(notebook.content)["cells"]


def test_quiz_is_graded_on_submit(client, learner, quiz_unit):
    from tinymlkit.platform.courses.models import QuizAttempt

    c, u = quiz_unit
    client.force_login(learner)
    right = {f"q-{q.id}": next(i for i, ch in enumerate(q.choices) if ch.correct) for q in u.quiz.questions}
    response = client.post(reverse("quiz", args=[c.slug, u.slug]), right, follow=True)
    attempt = QuizAttempt.objects.get(user=learner)
    assert attempt.score == attempt.max_score > 0
    assert "passed" in response.content.decode()
    incomplete = client.post(reverse("quiz", args=[c.slug, u.slug]), {})
    assert incomplete.status_code == 400 and QuizAttempt.objects.count() == 1
    # One learner's attempt is not another's.
    client.force_login(learner.__class__.objects.create_user("eve", "e@example.org", "a-long-Passw0rd"))
    assert client.get(reverse("quiz-result", args=[attempt.pk])).status_code == 404


def test_the_database_and_queue_follow_the_environment():
    import os

    from django.db import connection
    from huey import RedisHuey, SqliteHuey
    from huey.contrib.djhuey import HUEY

    assert connection.vendor == ("postgresql" if os.environ.get("DATABASE_URL") else "sqlite")
    assert isinstance(HUEY, RedisHuey if os.environ.get("REDIS_URL") else SqliteHuey)
