"""Course platform under load: p50/p95 lesson-page latency and submission throughput, 100 learners, loopback.

Starts ``tinyml platform serve`` (uvicorn + the Huey grading worker) on 127.0.0.1 with a fresh data folder, makes
the learners (session + API token each), and runs Locust headless for a bounded time: every simulated learner
reads lesson pages (logged in) and now and then submits an exercise through the token API, which the worker
grades in the background. Then the chat: ``--chat-clients`` learners join one room over WebSockets, a few of
them send messages, and the time from sending to arrival at every open page gives the chat latency.
On SQLite, then on PostgreSQL + Redis when ``--database-url`` / ``--redis-url`` (or
``DATABASE_URL`` / ``REDIS_URL``) are given. Needs the ``bench`` extra (Locust): pip install -e ".[platform,bench]".

    python benchmarks/platform_load.py --users 100 --seconds 60
"""

import argparse
import asyncio
import csv
import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TARGET_P95_MS = 150


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def environment(data: Path, database_url: str | None, redis_url: str | None) -> dict:
    env = {
        **os.environ,
        "TINYML_PLATFORM_DIR": str(data),
        "PYTHONPATH": str(ROOT / "src"),
        "TINYML_QUEUE_NAME": f"bench-{os.getpid()}-{data.name}",
    }
    for name, value in (("DATABASE_URL", database_url), ("REDIS_URL", redis_url)):
        if value:
            env[name] = value
        else:
            env.pop(name, None)
    return env


SETUP = r"""
import json, sys
from tinymlkit.platform import server
from tinymlkit.platform.config import PlatformConfig
server.prepare(PlatformConfig.from_env())
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import User
from django.contrib.sessions.backends.db import SessionStore
from tinymlkit.platform.accounts.models import ApiToken
from tinymlkit.platform.courses import content
prefix, n = sys.argv[1], int(sys.argv[2])
password = make_password("bench-only-password")  # one hash for all: the benchmark measures pages, not PBKDF2
users = User.objects.bulk_create([User(username=f"{prefix}{i}", password=password) for i in range(n)])
learners = []
for user in User.objects.filter(username__startswith=prefix):
    session = SessionStore()
    session["_auth_user_id"] = str(user.pk)
    session["_auth_user_backend"] = "django.contrib.auth.backends.ModelBackend"
    session["_auth_user_hash"] = user.get_session_auth_hash()
    session.create()
    learners.append({"session": session.session_key, "token": ApiToken.issue(user)})
lessons = [f"/courses/{c.slug}/{u.slug}/{le.slug}/" for c in content.catalog().courses for u in c.units
           for le in u.lessons]
lab = next(u.lab for c in content.catalog().courses for u in c.units if u.lab and u.lab.exercises)
exercise = next(e for e in lab.exercises if e.kind == "code")
from tinymlkit.course.notebook import solution_cells
source = "import numpy as np\n\n" + solution_cells(lab.solution_text)[exercise.slug]
print(json.dumps({"learners": learners, "lessons": lessons,
                  "submission": {"lab": lab.slug, "exercise": exercise.slug, "name": "bench.py", "source": source}}))
"""

COUNTS = r"""
import json
from tinymlkit.platform.server import setup
from tinymlkit.platform.config import PlatformConfig
setup(PlatformConfig.from_env())
from django.db.models import Count
from tinymlkit.platform.grading.models import Submission
import sys
mine = Submission.objects.filter(user__username__startswith=sys.argv[1])
print(json.dumps(dict(mine.values_list("status").annotate(n=Count("id")))))
"""


def python(code: str, env: dict, *args: str) -> str:
    done = subprocess.run([sys.executable, "-c", code, *args], env=env, capture_output=True, text=True, timeout=600)
    if done.returncode != 0:
        sys.exit(f"setup failed:\n{done.stderr[-3000:]}")
    return done.stdout.strip().splitlines()[-1]


async def chat_latency(url: str, sessions: list[str], messages: int) -> list[float]:
    """Milliseconds from sending each of ``messages`` chat messages to its arrival at each of the open pages."""
    from websockets.asyncio.client import connect

    ws_url = url.replace("http://", "ws://") + "/ws/chat/general/"
    sockets = [
        await connect(ws_url, origin=url, additional_headers={"Cookie": f"sessionid={key}"}, open_timeout=60)
        for key in sessions
    ]
    for ws in sockets:
        await ws.recv()  # the room's history
    sent: dict[str, float] = {}
    latencies: list[float] = []

    async def listen(ws) -> None:  # until this page has seen every benchmark message
        seen = 0
        while seen < messages:
            event = json.loads(await ws.recv())
            if event.get("type") == "message" and event.get("text") in sent:
                latencies.append((time.perf_counter() - sent[event["text"]]) * 1000)
                seen += 1

    listeners = [asyncio.create_task(listen(ws)) for ws in sockets]
    for i in range(messages):  # each sender stays far below the rate limit
        text = f"bench message {i}"
        sent[text] = time.perf_counter()
        await sockets[i % len(sockets)].send(json.dumps({"action": "say", "text": text}))
        await asyncio.sleep(0.25)
    try:
        await asyncio.wait_for(asyncio.gather(*listeners), timeout=120)
    except TimeoutError:
        for task in listeners:
            task.cancel()
    for ws in sockets:
        await ws.close()
    return latencies


def run_backend(label: str, args, database_url: str | None, redis_url: str | None) -> dict:
    data = Path(tempfile.mkdtemp(prefix=f"tinyml-bench-{label}-"))
    env = environment(data, database_url, redis_url)
    prefix = f"bench{os.getpid()}x"
    plan = json.loads(python(SETUP, env, prefix, str(args.users)))
    plan.update(think_min_s=args.think_min, think_max_s=args.think_max, lesson_weight=args.lesson_weight)
    (data / "plan.json").write_text(json.dumps(plan))
    port = free_port()
    log = (data / "serve.log").open("w")
    serve = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "tinymlkit",
            "platform",
            "serve",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--workers",
            str(args.grading_workers),
            *(["--web-workers", str(args.web_workers)] if args.web_workers else []),
        ],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                urllib.request.urlopen(url + plan["lessons"][0], timeout=5)
                break
            except OSError:
                if serve.poll() is not None or time.monotonic() > deadline:
                    sys.exit("the platform did not start:\n" + (data / "serve.log").read_text()[-2000:])
                time.sleep(0.5)
        size = len(urllib.request.urlopen(url + plan["lessons"][0]).read())
        stats = data / "locust"
        locust_env = {**env, "TINYML_BENCH_PLAN": str(data / "plan.json")}
        subprocess.run(
            [
                sys.executable,
                "-m",
                "locust",
                "-f",
                str(ROOT / "benchmarks" / "platform_locustfile.py"),
                "--headless",
                "--users",
                str(args.users),
                "--spawn-rate",
                str(args.users),
                "--run-time",
                f"{args.seconds}s",
                "--host",
                url,
                "--csv",
                str(stats),
                "--only-summary",
                "--stop-timeout",
                "5",
                "--loglevel",
                "WARNING",
            ],
            env=locust_env,
            check=False,
            timeout=args.seconds + 120,
            capture_output=True,
        )
        counts = json.loads(python(COUNTS, env, prefix))
        sessions = [learner["session"] for learner in plan["learners"][: args.chat_clients]]
        chat = asyncio.run(chat_latency(url, sessions, args.chat_messages)) if sessions else []
    finally:
        os.killpg(serve.pid, signal.SIGTERM)
        try:
            serve.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(serve.pid, signal.SIGKILL)
        log.close()
    rows = {r["Name"]: r for r in csv.DictReader((data / "locust_stats.csv").open())}
    return {
        "label": label,
        "rows": rows,
        "counts": counts,
        "lesson_bytes": size,
        "seconds": args.seconds,
        "load": os.getloadavg()[0],
        "chat": chat,
        "chat_expected": len(sessions) * args.chat_messages,
        "chat_clients": len(sessions),
    }


def report(result: dict) -> bool:
    lesson, submit = result["rows"]["lesson page"], result["rows"].get("submit exercise", {})
    total = result["rows"]["Aggregated"]
    p95 = float(lesson["95%"])
    graded = result["counts"].get("graded", 0)
    print(f"\n{result['label']} (machine load average at the end: {result['load']:.1f}):")
    print(
        f"  lesson pages     {int(lesson['Request Count']):6d} requests  p50 {float(lesson['50%']):5.0f} ms  "
        f"p95 {p95:5.0f} ms  p99 {float(lesson['99%']):5.0f} ms  ({result['lesson_bytes'] / 1024:.1f} KB)"
    )
    if submit:
        print(
            f"  submissions      {int(submit['Request Count']):6d} accepted  p50 {float(submit['50%']):5.0f} ms  "
            f"p95 {float(submit['95%']):5.0f} ms  {int(submit['Request Count']) / result['seconds']:.2f}/s"
        )
    print(
        f"  graded by the worker during the run: {graded} ({graded * 60 / result['seconds']:.1f}/min); "
        f"waiting: {result['counts'].get('queued', 0) + result['counts'].get('running', 0)}"
    )
    print(f"  all requests     {float(total['Requests/s']):.1f}/s, failed: {int(total['Failure Count'])}")
    chat = sorted(result["chat"])
    if result["chat_expected"]:
        pct = {q: chat[min(len(chat) - 1, int(q / 100 * len(chat)))] for q in (50, 95)} if chat else {}
        print(
            f"  chat             {result['chat_clients']} open pages, {len(chat)} of {result['chat_expected']} "
            f"deliveries arrived"
            + (f": p50 {pct[50]:.0f} ms  p95 {pct[95]:.0f} ms  max {chat[-1]:.0f} ms" if chat else "")
        )
    ok = p95 < TARGET_P95_MS and int(total["Failure Count"]) == 0
    print(f"  target p95 < {TARGET_P95_MS} ms with no failed request: {'met' if ok else 'NOT met'}")
    return ok


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=100)
    parser.add_argument("--seconds", type=int, default=60, help="measured time per database")
    parser.add_argument("--think-min", type=float, default=1.0, help="a learner's shortest pause between pages (s)")
    parser.add_argument("--think-max", type=float, default=3.0)
    parser.add_argument("--lesson-weight", type=int, default=20, help="lesson pages read per submission")
    parser.add_argument("--chat-clients", type=int, default=100, help="pages open in one chat room (0: no chat)")
    parser.add_argument("--chat-messages", type=int, default=20)
    parser.add_argument(
        "--web-workers",
        type=int,
        default=None,
        help="uvicorn processes (default: the server's own: 1 without Redis, 2 with it)",
    )
    parser.add_argument("--grading-workers", type=int, default=1)
    parser.add_argument("--database-url", default=os.environ.get("DATABASE_URL"))
    parser.add_argument("--redis-url", default=os.environ.get("REDIS_URL"))
    args = parser.parse_args()
    print(
        f"{args.users} learners for {args.seconds} s each, pauses {args.think_min}-{args.think_max} s, "
        f"1 submission per {args.lesson_weight} lesson pages; {os.cpu_count()} CPU cores, load average "
        f"{os.getloadavg()[0]:.1f} before; server on 127.0.0.1 ({args.web_workers or 'default'} web workers)"
    )
    results = [run_backend("SQLite (queue: SQLite)", args, None, None)]
    if args.database_url:
        results.append(
            run_backend(
                f"PostgreSQL (queue: {'Redis' if args.redis_url else 'SQLite'})",
                args,
                args.database_url,
                args.redis_url,
            )
        )
    else:
        print("PostgreSQL skipped: pass --database-url postgresql://... (and --redis-url redis://...)")
    ok = all([report(r) for r in results])
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
