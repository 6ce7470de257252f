"""Run every course lab in full mode (as a learner would) and print its time; the target is <= 10 min each.

    python benchmarks/course.py                 # all labs
    python benchmarks/course.py c1-digits-dnn   # some labs

Also grades each lab's reference solution and prints the grading time, and rebuilds the lessons' figures
(``--figures``), which trains the small models they show.
"""

import sys
import tempfile
import time

from tinymlkit import course
from tinymlkit.course.labrun import run_lab

TARGET_S = 600


def main(args: list[str]) -> int:
    figures = "--figures" in args
    names = [a for a in args if not a.startswith("--")] or sorted(course.catalog().labs)
    worst = 0.0
    print(f"{'lab':22s} {'full run (s)':>12s} {'grading (s)':>12s}  score")
    for name in names:
        lab = course.catalog().lab(name)
        with tempfile.TemporaryDirectory() as folder:
            run = run_lab(lab, folder, fast=False, timeout_s=TARGET_S * 2)
        report = course.grade(lab.slug, lab.solved_ipynb())
        worst = max(worst, run.seconds)
        print(f"{name:22s} {run.seconds:12.1f} {report.duration_s:12.1f}  {report.score:g}/{report.max_score:g}")
    if figures:
        from tinymlkit.course.figures import build

        start = time.monotonic()
        written = build()
        print(f"{len(written)} lesson figures rebuilt in {time.monotonic() - start:.1f} s")
    print(f"slowest lab {worst:.1f} s (target <= {TARGET_S} s on 2 cores): {'OK' if worst <= TARGET_S else 'TOO SLOW'}")
    return 0 if worst <= TARGET_S else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
