"""Benchmark: the default ``tinyml optimize`` sweep on keyword spotting (built-in eSpeak NG "yes"/"no" data).

Prints every point (int8 accuracy in TFLM, flash, compressed size, sparsity, arena, latency), which points meet
the criterion (at most half the baseline's flash at no more than 2 points lower int8 accuracy), the stage times,
and wall and CPU time. Exits non-zero when no point meets the criterion. From the repository root:

    PYTHONPATH=src python benchmarks/optimize_kws.py [--runs DIR] [--fresh-data]
"""

import os
import sys

from _timing import options, print_data, timed


def main() -> None:
    args = options(__doc__.splitlines()[0])
    from tinymlkit.apps.kws.recipe import recipe
    from tinymlkit.optimize.sweep import SweepConfig, run_sweep

    result, wall, cpu = timed(lambda config: run_sweep(recipe, config), SweepConfig(runs=args.runs))
    print_data(result.data)
    print(
        f"{'point':<24}{'float':>7}{'int8':>7}{'flash B':>9}{'zlib B':>8}{'zeros':>7}{'arena B':>9}"
        f"{'MACs':>10}{'ms':>8}{'train s':>9}"
    )
    for p in result.points:
        latency = f"{p.latency_ms:8.1f}" if p.latency_ms is not None else f"{'-':>8}"
        mark = " *" if p.meets_criterion else " baseline" if p.name == result.baseline else ""
        print(
            f"{p.name:<24}{p.float_accuracy:7.3f}{p.int8_accuracy:7.3f}{p.flash_bytes:9,}{p.compressed_bytes:8,}"
            f"{p.weight_sparsity:7.2f}{p.arena_bytes:9,}{p.macs:10,}{latency}{p.seconds:9.1f}{mark}"
        )
    for note in result.notes:
        print(f"note: {note}")
    print("flash with tensor names (as converted): " + ", ".join(f"{p.name} {p.named_bytes:,}" for p in result.points))
    print(f"criterion: {result.criterion}")
    print("meets it: " + (", ".join(p.name for p in result.winners) or "none"))
    print("stages: " + ", ".join(f"{k} {v:.1f} s" for k, v in result.timings.items()))
    print(f"total: {wall:.1f} s wall, {cpu:.1f} s CPU (user + sys, with worker processes) on {os.cpu_count()} cores")
    print(f"sweep folder: {result.out_dir}")
    sys.exit(0 if result.winners else 1)


if __name__ == "__main__":
    main()
