"""Benchmark: the default ``tinyml wand train`` on built-in data (60 synthetic users drawing the digits 0-9).

Prints float vs TFLM-int8 accuracy on held-out users, model flash and arena bytes, stage times, wall and CPU time.
Exits non-zero below the 90 % target. From the repository root:

    PYTHONPATH=src python benchmarks/wand.py [--runs DIR] [--fresh-data]
"""

import sys

from _timing import options, print_common, print_data, timed


def main() -> None:
    args = options(__doc__.splitlines()[0])
    from tinymlkit.apps.wand.recipe import WandConfig, run

    report, wall, cpu = timed(run, WandConfig(runs=args.runs))
    print_data(report.data, "users")
    print(
        f"accuracy on held-out users: float {report.float_metrics['accuracy']:.4f}, "
        f"int8 in TFLM {report.int8_metrics['accuracy']:.4f}"
    )
    print_common(report, wall, cpu)
    sys.exit(0 if report.int8_metrics["accuracy"] >= 0.9 else 1)


if __name__ == "__main__":
    main()
