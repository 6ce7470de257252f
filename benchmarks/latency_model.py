"""Benchmark: the profile's latency model against published TFLM latencies (src/tinymlkit/profile/measurements.json).

Prints, for every measurement, the measured and predicted latency and the relative error, then the mean absolute
error on the calibration measurements (the ones the per-core scales were fitted on) and on the held-out ones
(never used for fitting). ``--rebuild`` also rebuilds the reference models in Keras (benchmarks/reference_models.py),
converts them to int8, counts their work with tinymlkit.profile and checks it against the stored workloads
(``--write`` stores the new counts). From the repository root:

    PYTHONPATH=src python benchmarks/latency_model.py [--rebuild [--write]]
"""

import argparse
import json
import os
import sys
import time

from _timing import cpu_seconds


def rebuild(write: bool) -> bool:
    """Recount the reference models' work; True when it matches the stored workloads."""
    from reference_models import BUILDERS, int8_model

    from tinymlkit.fileio import write_json
    from tinymlkit.profile import profile_model
    from tinymlkit.profile.latency import HERE, workload

    path = HERE / "measurements.json"
    data = json.loads(path.read_text())
    same = True
    for name in BUILDERS:
        p = profile_model(int8_model(name), measure=False)
        w = workload([(layer.kind, layer.macs, layer.float_compute) for layer in p.layers])
        stored = data["workloads"][name]
        match = stored["work"] == w.work and stored["ops"] == w.ops
        same &= match
        print(
            f"{name:16s} {p.macs:>12,} MACs {p.parameters:>9,} parameters {w.ops:>3} ops "
            f"{'matches the stored workload' if match else 'DIFFERS from the stored workload'}"
        )
        stored.update(work=w.work, ops=w.ops, float_macs=w.float_macs, macs=p.macs, parameters=p.parameters)
    if write:
        write_json(path, data)
        print(f"workloads written to {path}")
    return same


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rebuild", action="store_true", help="recount the reference models' work (TensorFlow)")
    parser.add_argument("--write", action="store_true", help="with --rebuild: store the new counts")
    args = parser.parse_args()
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    wall, cpu = time.perf_counter(), cpu_seconds()
    ok = rebuild(args.write) if args.rebuild else True

    from tinymlkit.profile.latency import evaluate, fitted_models

    header = f"{'measurement':48s} {'split':12s} {'core / kernels':24s} {'measured':>10s} {'predicted':>10s}"
    print(f"\n{header} {'error':>7s}")
    rows = evaluate()
    for r in rows:
        print(
            f"{r.id:48s} {r.split:12s} {r.core + ' / ' + r.kernels:24s} {r.measured_ms:8.3f}ms "
            f"{r.predicted_ms:8.3f}ms {r.error:+7.1%}"
        )
    print("\nfitted scales (measured / prior cycles, geometric mean over the calibration measurements):")
    for (core, kernels), model in fitted_models().items():
        print(f"  {core:14s} {kernels:10s} x{model.scale:.3f}  {model.basis}")
    print()
    for split in ("calibration", "holdout", "prior"):
        errors = [abs(r.error) for r in rows if r.split == split]
        if errors:
            print(
                f"{split:12s} {len(errors):2d} measurements: mean absolute error {sum(errors) / len(errors):.1%}, "
                f"max {max(errors):.1%}"
            )
    print(f"total: {time.perf_counter() - wall:.1f} s wall, {cpu_seconds() - cpu:.1f} s CPU on {os.cpu_count()} cores")
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
