"""``tinyml platform``: run the course website (Django, uvicorn, Huey) and manage its accounts."""

from pathlib import Path

import typer

from tinymlkit.cli.ui import console
from tinymlkit.errors import TinyMLError

app = typer.Typer(
    help="The course platform: a self-hosted website with accounts, lessons and graded labs.", no_args_is_help=True
)
admin_app = typer.Typer(help="Manage platform accounts.", no_args_is_help=True)
app.add_typer(admin_app, name="admin")

DATA_HELP = (
    "Folder for the database, queue, e-mails and secret key (default: $TINYML_PLATFORM_DIR, else "
    "~/.local/share/tinymlkit/platform)."
)
DB_HELP = "PostgreSQL URL (postgresql://USER:PASS@HOST/DB) instead of SQLite (env: DATABASE_URL)."
REDIS_HELP = "Redis URL (redis://HOST:6379/0) for the task queue instead of SQLite (env: REDIS_URL)."


def _config(data_dir: Path | None, database_url: str | None, redis_url: str | None):
    from tinymlkit.platform.config import PlatformConfig

    base = PlatformConfig.from_env()
    config = PlatformConfig(
        data_dir=(data_dir or base.data_dir).expanduser().resolve(),
        database_url=database_url or base.database_url,
        redis_url=redis_url or base.redis_url,
    )
    config.validate()
    return config


def _where(config) -> str:
    db = config.database_url.split("@")[-1] if config.database_url else str(config.data_dir / "platform.sqlite3")
    queue = "Redis " + config.redis_url.split("@")[-1] if config.redis_url else "SQLite"
    return f"database {db}, queue {queue}"


@app.command()
def serve(
    host: str = typer.Option("127.0.0.1", help="Address to listen on (0.0.0.0: every network interface)."),
    port: int = typer.Option(8000, help="TCP port."),
    data_dir: Path | None = typer.Option(None, "--data-dir", help=DATA_HELP),
    database_url: str | None = typer.Option(None, "--database-url", help=DB_HELP),
    redis_url: str | None = typer.Option(None, "--redis-url", help=REDIS_HELP),
    workers: int = typer.Option(
        1,
        min=0,
        help="Grading jobs at a time in the built-in worker; 0: no worker here "
        "(run `tinyml platform worker` elsewhere, with --redis-url).",
    ),
    web_workers: int | None = typer.Option(
        None,
        min=1,
        help="uvicorn worker processes serving pages (default: 2 "
        "with --redis-url, else 1: chat messages cross processes only via Redis).",
    ),
) -> None:
    """Start the platform: database (created on first run), course content, web server and grading worker."""
    from tinymlkit.platform import server

    config = _config(data_dir, database_url, redis_url)
    with console.status("Preparing the database and the course content..."):
        ready = server.prepare(config)
    console.print(f"[bold]TinyML Kit platform[/] — {ready.courses} courses, {ready.lessons} lessons; {_where(config)}")
    if ready.staff == 0:
        console.print(
            "No staff account yet. Create one in another terminal with:\n"
            "  tinyml platform admin create YOUR_NAME --email YOU@EXAMPLE.ORG"
            + (f" --data-dir {config.data_dir}" if data_dir else "")
        )
    worker = server.start_worker(config, workers) if workers else None
    shown = "localhost" if host in ("127.0.0.1", "0.0.0.0") else host
    console.print(
        f"Open [bold]http://{shown}:{port}/[/] (Ctrl-C stops the server{' and the worker' if worker else ''})."
    )
    if web_workers and web_workers > 1 and not config.redis_url:
        console.print(
            f"Note: {web_workers} web processes without Redis: a chat message reaches only the people "
            "served by the same process (use --redis-url, or one web process)."
        )
    try:
        server.run_web(host, port, server.web_processes(config, web_workers))
    finally:
        if worker is not None:
            worker.terminate()
            try:
                worker.wait(timeout=15)
            except Exception:
                worker.kill()


@app.command()
def worker(
    workers: int = typer.Option(1, min=1, help="Grading jobs at a time."),
    data_dir: Path | None = typer.Option(None, "--data-dir", help=DATA_HELP),
    database_url: str | None = typer.Option(None, "--database-url", help=DB_HELP),
    redis_url: str | None = typer.Option(None, "--redis-url", help=REDIS_HELP),
) -> None:
    """Run a grading worker (Huey consumer); with --redis-url and --database-url, on any machine."""
    from tinymlkit.platform import server

    server.run_worker(_config(data_dir, database_url, redis_url), workers)


@admin_app.command("create")
def admin_create(
    username: str = typer.Argument(..., help="The account's user name."),
    email: str = typer.Option(..., "--email", help="The account's e-mail (for password resets)."),
    password_file: Path | None = typer.Option(
        None, "--password-file", help="Read the password from this file instead of asking."
    ),
    learner: bool = typer.Option(False, "--learner", help="A learner account instead of staff."),
    data_dir: Path | None = typer.Option(None, "--data-dir", help=DATA_HELP),
    database_url: str | None = typer.Option(None, "--database-url", help=DB_HELP),
) -> None:
    """Create a staff account (instructor view, Django admin) or, with --learner, a learner account."""
    from tinymlkit.platform import server

    if password_file is not None:
        if not password_file.is_file():
            raise TinyMLError(f"{password_file} does not exist: write the password in it, or leave out --password-file")
        password = password_file.read_text().strip()
    else:
        password = typer.prompt("Password", hide_input=True, confirmation_prompt=True)
    config = _config(data_dir, database_url, None)
    if not server.create_account(config, username, email, password, staff=not learner):
        raise TinyMLError(f"the account {username!r} exists: pick another name, or reset its password on the site")
    console.print(f"Created {'learner' if learner else 'staff'} account [bold]{username}[/] ({_where(config)}).")


def submit(
    lab: str = typer.Argument(..., help="The lab's slug, e.g. c1-first-neuron."),
    notebook: Path | None = typer.Option(
        None,
        "--notebook",
        "-n",
        help="The file to send (default: the notebook `tinyml course start` wrote, else LAB.ipynb or LAB.py here).",
    ),
    exercise: str | None = typer.Option(None, "--exercise", "-e", help="Grade one exercise only."),
    url: str = typer.Option(..., "--url", envvar="TINYML_PLATFORM_URL", help="The platform's address."),
    token: str = typer.Option(..., "--token", envvar="TINYML_TOKEN", help="Your personal API token (site: API token)."),
    wait: float = typer.Option(600, help="Seconds to wait for the grade; 0: send and return."),
) -> None:
    """Send a lab notebook to the course platform for grading and print the grade."""
    from tinymlkit.platform.client import Platform, find_notebook

    path = find_notebook(lab, notebook)
    try:
        source = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise TinyMLError(f"{path} is not UTF-8 text: send the .ipynb or .py file itself") from exc
    platform = Platform(url, token)
    state = platform.submit(lab, source, path.name, exercise)
    console.print(f"Sent {path} as submission {state['id']}: {state['url']}")
    if wait > 0:
        with console.status("Waiting for the grade..."):
            state = platform.wait(state["id"], wait)
    _print_state(state)


def _print_state(state: dict) -> None:
    if state["status"] == "graded":
        colour = "green" if state["passed"] else "yellow"
        console.print(
            f"[bold {colour}]Score {state['score']:g} / {state['max_score']:g}"
            f"{' — passed' if state['passed'] else ''}[/]"
        )
        for result in (state.get("report") or {}).get("results", []):
            for check in result.get("checks", []):
                mark = "[green]✓[/]" if check.get("passed") else "[red]✗[/]"
                console.print(
                    f"  {mark} {result.get('exercise')}: {check.get('name')}"
                    + ("" if check.get("passed") else f" — {check.get('message', '')}"),
                    highlight=False,
                )
    elif state["status"] == "error":
        console.print(f"[red]The grading job failed:[/] {state['error']} (retry it on the site)")
    else:
        console.print(f"Still {state['status']}; see {state['url']}")
