"""Benchmark: the default ``tinyml sine train`` on built-in data (1,000 noisy samples of sin(x)).

Prints float vs TFLM-int8 MAE (test split, and against sin(x) over [0, 2 pi]), model flash and arena bytes, stage
times, wall and CPU time. Exits non-zero if the int8 MAE against sin(x) is not below 0.05. From the repository root:

    PYTHONPATH=src python benchmarks/sine.py [--runs DIR] [--fresh-data]
"""

import sys

from _timing import options, print_common, timed


def main() -> None:
    args = options(__doc__.splitlines()[0])
    from tinymlkit.apps.sine.recipe import SineConfig, run

    report, wall, cpu = timed(run, SineConfig(runs=args.runs))
    print(f"data: {report.data.source}")
    for name in report.float_metrics:
        print(f"{name}: float {report.float_metrics[name]:.4f}, int8 in TFLM {report.int8_metrics[name]:.4f}")
    print_common(report, wall, cpu)
    sys.exit(0 if report.int8_metrics["sine_mae"] < 0.05 else 1)


if __name__ == "__main__":
    main()
