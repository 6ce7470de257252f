"""Benchmark: the default ``tinyml anomaly train`` on built-in data (synthesized fans, 4 machine ids).

Prints float vs TFLM-int8 autoencoder AUC, the K-means baseline's AUC, the operating points (TPR/FPR at the
thresholds chosen on normal validation recordings), model flash and arena bytes, stage times, wall and CPU time.
Exits non-zero below the 0.90 AUC target or when float and int8 AUC differ by more than 0.02. From the
repository root:

    PYTHONPATH=src python benchmarks/anomaly.py [--runs DIR] [--fresh-data]
"""

import sys

from _timing import options, print_common, timed


def main() -> None:
    args = options(__doc__.splitlines()[0])
    from tinymlkit.apps.anomaly.recipe import AnomalyConfig, run

    report, wall, cpu = timed(run, AnomalyConfig(runs=args.runs))
    d, x = report.data, report.details
    print(f"data: {d.source}")
    print(
        f"recordings (train/validation/test): {[sum(d.counts[s].values()) for s in ('train', 'validation', 'test')]}"
        f", test anomalies: {d.counts['test']['anomaly']}, machines: {d.groups['test']}"
    )
    f, q, k = report.float_metrics, report.int8_metrics, x.kmeans
    print(f"AUC: autoencoder float {f['auc']:.4f}, int8 in TFLM {q['auc']:.4f}; K-means {k['auc']:.4f}")
    print(
        f"threshold ({report.threshold_rule}): int8 TPR {q['tpr']:.3f} FPR {q['fpr']:.3f}; "
        f"float TPR {f['tpr']:.3f} FPR {f['fpr']:.3f}; K-means TPR {k['tpr']:.3f} FPR {k['fpr']:.3f}"
    )
    print("int8 AUC per machine: " + ", ".join(f"{g} {a:.3f}" for g, a in x.per_machine_auc_int8.items()))
    print("int8 AUC per fault: " + ", ".join(f"{g} {a:.3f}" for g, a in x.per_fault_auc_int8.items()))
    print_common(report, wall, cpu)
    ok = q["auc"] >= 0.9 and abs(q["auc"] - f["auc"]) <= 0.02
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
