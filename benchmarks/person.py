"""Benchmark: the default ``tinyml person train`` on built-in data (16,000 synthetic scenes, not photographs).

Prints float vs TFLM-int8 accuracy on held-out scenes, model flash and arena bytes, stage times, wall and CPU time.
Exits non-zero below the 85 % target. From the repository root:

    PYTHONPATH=src python benchmarks/person.py [--runs DIR] [--fresh-data]
"""

import sys

from _timing import options, print_common, print_data, timed


def main() -> None:
    args = options(__doc__.splitlines()[0])
    from tinymlkit.apps.person.recipe import PersonConfig, run

    report, wall, cpu = timed(run, PersonConfig(runs=args.runs))
    print_data(report.data)
    print(
        f"accuracy on held-out scenes: float {report.float_metrics['accuracy']:.4f}, "
        f"int8 in TFLM {report.int8_metrics['accuracy']:.4f}; recall per class (int8): "
        f"{report.per_class_recall}"
    )
    print_common(report, wall, cpu)
    sys.exit(0 if report.int8_metrics["accuracy"] >= 0.85 else 1)


if __name__ == "__main__":
    main()
