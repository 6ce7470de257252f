"""Start the platform: prepare the database and content, then run the ASGI server (uvicorn) and the worker (Huey).

The CLI (``tinyml platform serve`` / ``worker`` / ``admin create``) calls these functions and prints; nothing
here prints.
"""

import os
import subprocess
import sys
from dataclasses import dataclass

from tinymlkit.errors import TinyMLError
from tinymlkit.platform.config import PlatformConfig


def setup(config: PlatformConfig) -> None:
    """Export ``config`` and set Django up in this process."""
    config.export()
    import django

    django.setup()


@dataclass(frozen=True)
class Prepared:
    lessons: int
    courses: int
    accounts: int
    staff: int


def prepare(config: PlatformConfig) -> Prepared:
    """Create or upgrade the database (migrations), gather the static files and load the course content."""
    setup(config)
    from django.contrib.auth.models import User
    from django.core.management import call_command
    from django.db.utils import OperationalError

    try:
        call_command("migrate", interactive=False, verbosity=0)
    except OperationalError as exc:
        raise TinyMLError(
            f"cannot use the database: {exc}".splitlines()[0] + " (check --database-url and that the server is running)"
        ) from exc
    call_command("collectstatic", interactive=False, verbosity=0)
    from tinymlkit.platform.courses import content

    lessons = content.load()
    return Prepared(
        lessons=lessons,
        courses=len(content.catalog().courses),
        accounts=User.objects.count(),
        staff=User.objects.filter(is_staff=True).count(),
    )


WORKER_NICENESS = 10  # grading yields the CPU to page requests: pages stay fast while the queue drains


def start_worker(config: PlatformConfig, workers: int) -> subprocess.Popen:
    """The grading worker as a child process, with the same configuration, at a lower CPU priority."""
    config.export()
    return subprocess.Popen(
        [sys.executable, "-m", "tinymlkit", "platform", "worker", "--workers", str(workers)],
        env=dict(os.environ),
        preexec_fn=lambda: os.nice(WORKER_NICENESS),
    )


def web_processes(config: PlatformConfig, requested: int | None) -> int:
    """uvicorn processes to start: as asked, else 2 with Redis (the chat's channel layer spans processes) or 1
    without (the in-memory channel layer lives in one process)."""
    if requested:
        return requested
    return 2 if config.redis_url else 1


def run_web(host: str, port: int, web_workers: int = 1) -> None:
    """Serve the site with uvicorn until interrupted."""
    import uvicorn

    uvicorn.run(
        "tinymlkit.platform.asgi:application",
        host=host,
        port=port,
        workers=web_workers,
        log_level="warning",
        access_log=False,
        lifespan="off",
        timeout_graceful_shutdown=5,
    )


def run_worker(config: PlatformConfig, workers: int) -> None:
    """Run the Huey consumer (grading jobs and the lost-job sweep) until interrupted."""
    setup(config)
    from django.core.management import call_command

    call_command("run_huey", workers=workers, worker_type="thread")


def create_account(config: PlatformConfig, username: str, email: str, password: str, staff: bool) -> bool:
    """Create a staff (superuser) or learner account; False if the username is taken."""
    setup(config)
    from django.contrib.auth.models import User
    from django.contrib.auth.password_validation import validate_password
    from django.core.exceptions import ValidationError
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)
    if User.objects.filter(username=username).exists():
        return False
    try:
        validate_password(password, User(username=username, email=email))
    except ValidationError as exc:
        raise TinyMLError("password rejected: " + " ".join(exc.messages)) from exc
    if staff:
        User.objects.create_superuser(username=username, email=email, password=password)
    else:
        User.objects.create_user(username=username, email=email, password=password)
    return True
