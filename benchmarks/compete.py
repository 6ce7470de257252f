"""Competition scoring throughput: models scored per minute by the scorer the platform's worker runs.

Trains a tiny_conv and a DS-CNN keyword model for one epoch (on the challenge's public part: the point is the
models' size and shape, not their accuracy), then scores each one ``--rounds`` times on the kws-yes-no challenge
with both parts (public and private, 400 + 400 clips), as a platform worker does: contract check, child process
under limits, arena bisection in TFLM, latency estimate, 800 inferences. Also scores ``--bad`` broken uploads to
show how fast they are turned away.

    python benchmarks/compete.py --rounds 5
"""

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5, help="scorings per model")
    parser.add_argument("--bad", type=int, default=50, help="broken uploads to reject")
    parser.add_argument(
        "--data",
        default=os.path.join(tempfile.gettempdir(), "tinyml-bench-compete"),
        help="folder for the hidden sets (made once)",
    )
    args = parser.parse_args()
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

    import numpy as np

    import tinymlkit as tm
    from tinymlkit import compete
    from tinymlkit.errors import TinyMLError
    from tinymlkit.models import build_model

    challenge = compete.get_challenge("kws-yes-no")
    start = time.perf_counter()
    parts = {p: compete.load_part(challenge, p, args.data, secret="benchmark") for p in compete.PARTS}
    print(f"hidden set: {sum(len(y) for _, y in parts.values())} clips ready in {time.perf_counter() - start:.1f} s")
    x, y = parts["public"]
    models = {}
    for family, width in (("tiny_conv", 1.0), ("ds_cnn", 0.5)):
        model = build_model(family, (49, 40), len(challenge.labels), width)
        model.compile("adam", "sparse_categorical_crossentropy")
        model.fit(x.reshape(len(x), -1), y, epochs=1, batch_size=32, verbose=0)
        models[family] = tm.to_int8(model, x.reshape(len(x), -1)[:100], input_range=challenge.input.value_range)

    total, rows = 0.0, []
    for family, tflite in models.items():
        times = []
        for _ in range(args.rounds):
            t = time.perf_counter()
            score = compete.score_model(tflite, challenge, parts)
            times.append(time.perf_counter() - t)
        total += sum(times)
        rows.append((family, len(tflite), score.arena_bytes, score.latency_ms, statistics.median(times)))
    print(f"{'model':10} {'flash':>8} {'arena':>8} {'latency':>9} {'s/model':>8} {'models/min':>10}")
    for family, flash, arena, latency, median in rows:
        print(f"{family:10} {flash:8,} {arena:8,} {latency:7.1f}ms {median:8.2f} {60 / median:10.1f}")
    scored = args.rounds * len(models)
    print(
        f"overall: {scored} scorings (both parts, 800 clips each) in {total:.1f} s = {60 * scored / total:.1f} "
        "models per minute per worker"
    )

    rng = np.random.default_rng(0)
    good = models["tiny_conv"]
    t = time.perf_counter()
    rejected = 0
    for i in range(args.bad):
        data = good[: int(rng.integers(0, len(good)))] if i % 2 else rng.bytes(int(rng.integers(1, 4096)))
        try:
            compete.check_upload(data, challenge)
        except TinyMLError:
            rejected += 1
    took = time.perf_counter() - t
    print(f"broken uploads: {rejected} of {args.bad} rejected before TFLM, {1000 * took / args.bad:.2f} ms each")


if __name__ == "__main__":
    main()
