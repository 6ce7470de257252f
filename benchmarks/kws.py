"""Benchmark: the quick start's keyword spotter (``tinyml quickstart`` = ``tinyml kws train --words yes,no``).

Prints the stage times (data, features, train, convert, verify in TFLM, ...), float vs TFLM-int8 accuracy on
held-out synthetic voices, model flash and arena bytes, the streaming check, and wall and CPU time. Exits non-zero
below the issue's targets (int8 >= 90 %, within 2 points of float). From the repository root:

    PYTHONPATH=src python benchmarks/kws.py [--runs DIR] [--fresh-data]

``--fresh-data`` synthesizes the voices again (as on a fresh clone) so the data stage is timed too.
"""

import sys

from _timing import options, print_common, print_data, timed


def main() -> None:
    args = options(__doc__.splitlines()[0])
    from tinymlkit.apps.kws.recipe import KwsConfig, run

    report, wall, cpu = timed(run, KwsConfig(runs=args.runs))
    print_data(report.data, "voices")
    float_acc, int8_acc = report.float_metrics["accuracy"], report.int8_metrics["accuracy"]
    print(f"accuracy on held-out voices: float {float_acc:.4f}, int8 in TFLM {int8_acc:.4f}")
    s = report.details.streaming
    print(
        f"listening to {s.streams} held-out recordings ({s.seconds:.0f} s): {s.hits}/{s.words} keywords "
        f"found (recall {s.recall:.3f}), {s.false_alarms} false alarms"
    )
    print_common(report, wall, cpu)
    sys.exit(0 if int8_acc >= 0.9 and float_acc - int8_acc <= 0.02 else 1)


if __name__ == "__main__":
    main()
