"""Django set up for the platform tests: a private data folder, the real course content, an in-process queue.

With ``DATABASE_URL`` / ``REDIS_URL`` in the environment (as ``.ci/run`` sets them) the same tests run on
PostgreSQL and Redis.
"""

import os
import tempfile

import pytest

os.environ["TINYML_PLATFORM_DIR"] = tempfile.mkdtemp(prefix="tinyml-platform-test-")
os.environ["DJANGO_SETTINGS_MODULE"] = "tinymlkit.platform.settings"
os.environ.setdefault("TINYML_QUEUE_NAME", f"tinyml-platform-test-{os.getpid()}")  # apart from a real site's queue
os.environ.setdefault("TINYML_GRADE_WALL_S", "60")
os.environ.setdefault("TINYML_GRADE_CPU_S", "40")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402

settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # fast accounts in tests only


@pytest.fixture
def immediate_queue():
    """Grading jobs run as soon as they are queued, in this process (the worker's code, without a worker)."""
    from huey.contrib.djhuey import HUEY

    HUEY.immediate = True
    yield HUEY
    HUEY.immediate = False


@pytest.fixture
def learner(django_user_model):
    return django_user_model.objects.create_user("ada", "ada@example.org", "a-long-Passw0rd")


@pytest.fixture
def other_learner(django_user_model):
    return django_user_model.objects.create_user("bo", "bo@example.org", "a-long-Passw0rd")


@pytest.fixture
def staff(django_user_model):
    return django_user_model.objects.create_user("teach", "t@example.org", "a-long-Passw0rd", is_staff=True)


@pytest.fixture
def graded_lab():
    """The first lab of the catalogue with graded exercises, with its course and unit."""
    from tinymlkit.platform.courses import content

    for c in content.catalog().courses:
        for u in c.units:
            if u.lab and u.lab.exercises:
                return c, u, u.lab
    pytest.skip("the course content has no graded lab yet")


@pytest.fixture
def quiz_unit():
    from tinymlkit.platform.courses import content

    for c in content.catalog().courses:
        for u in c.units:
            if u.quiz and u.quiz.questions:
                return c, u
    pytest.skip("the course content has no quiz yet")
