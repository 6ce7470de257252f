"""Shared by the benchmark scripts: run one recipe with its default settings and measure wall and CPU time."""

import argparse
import os
import resource
import tempfile
import time


def cpu_seconds() -> float:
    """User + system CPU seconds of this process and its finished child processes (the TFLM workers)."""
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def options(description: str) -> argparse.Namespace:
    """``--runs DIR`` and ``--fresh-data`` (a new, empty cache: data synthesis is timed too)."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--runs", default=os.path.join(tempfile.gettempdir(), "tinyml-bench-runs"))
    parser.add_argument("--fresh-data", action="store_true", help="synthesize the built-in data again")
    args = parser.parse_args()
    if args.fresh_data:
        os.environ["TINYML_CACHE"] = tempfile.mkdtemp(prefix="tinyml-bench-cache-")
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    return args


def timed(run, config):
    """``run(config)`` and the wall and CPU seconds it took."""
    wall, cpu = time.perf_counter(), cpu_seconds()
    report = run(config)
    return report, time.perf_counter() - wall, cpu_seconds() - cpu


def print_data(data, groups: str | None = None) -> None:
    """Where the data (a report's ``DataSummary``) came from and how many examples each split has, and with
    ``groups`` (users, voices...) how many groups."""
    counts = [sum(data.counts[s].values()) for s in ("train", "validation", "test")]
    extra = f", {groups}: {data.groups}, notes: {data.notes}" if groups else ""
    print(f"data: {data.source}")
    print(f"examples (train/validation/test): {counts}{extra}")


def print_common(report, wall: float, cpu: float) -> None:
    """Model size, stage times and totals, the same for every benchmark."""
    m = report.model
    print(
        f"model: {m.family}, {m.parameters} parameters, {m.flash_bytes} bytes flash, {m.arena_bytes} bytes arena "
        f"({m.arena_note})"
    )
    print(f"epochs: {report.training.epochs_run} (best {report.training.best_epoch})")
    print("stages: " + ", ".join(f"{k} {v:.1f} s" for k, v in report.timings.items()))
    print(f"total: {wall:.1f} s wall, {cpu:.1f} s CPU (user + sys, with worker processes) on {os.cpu_count()} cores")
    print(f"run folder: {report.run_dir}")
