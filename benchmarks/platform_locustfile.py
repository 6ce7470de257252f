"""Locust learners for benchmarks/platform_load.py: read lessons (logged in), now and then submit an exercise by token.

The benchmark writes the learners' session cookies, tokens and the lesson URLs to $TINYML_BENCH_PLAN (JSON).
"""

import itertools
import json
import os
import random

from locust import HttpUser, between, task

PLAN = json.loads(open(os.environ["TINYML_BENCH_PLAN"]).read())
LEARNERS = itertools.cycle(PLAN["learners"])


class Learner(HttpUser):
    wait_time = between(PLAN["think_min_s"], PLAN["think_max_s"])

    def on_start(self) -> None:
        me = next(LEARNERS)
        self.client.cookies.set("sessionid", me["session"])
        self.token = me["token"]

    @task(PLAN["lesson_weight"])
    def read_lesson(self) -> None:
        self.client.get(random.choice(PLAN["lessons"]), name="lesson page")

    @task(1)
    def submit_exercise(self) -> None:
        self.client.post(
            "/api/v1/submissions/",
            json=PLAN["submission"],
            name="submit exercise",
            headers={"Authorization": f"Token {self.token}"},
        )
