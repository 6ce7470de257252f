"""Benchmark: one sketch for a keyword spotter and a person detector sharing one tensor arena (``tinyml deploy multi``).

Builds the toolkit's tiny_conv keyword model (49x40 features, 4 classes) and its MobileNet v1 0.25 person model
(96x96x1, 2 classes) untrained, as int8 (the arena depends on the shapes, not on the weights), writes the
multi-model sketch and prints each model's measured arena, the shared arena against one arena per model, the op
resolver and the time taken. Exits non-zero unless the shared arena is the larger measured need, both models ran
at it, and the sketch's files are there. From the repository root:

    PYTHONPATH=src python benchmarks/deploy_multi.py [--out DIR]
"""

import argparse
import os
import sys
import tempfile
import time

import numpy as np


def _int8(model, shape, input_range=None) -> bytes:
    """``model`` as int8 after giving its biases small random values (all-zero biases shared by several layers make
    the host interpreter abort: see docs/profile.md)."""
    import tinymlkit as tm

    rng = np.random.default_rng(0)
    for layer in model.layers:
        weights = layer.get_weights()
        if weights and "normalization" not in type(layer).__name__.lower():
            layer.set_weights([w if w.ndim > 1 else rng.normal(0, 0.05, w.shape).astype(w.dtype) for w in weights])
    low, high = input_range or (-1.0, 1.0)
    return tm.to_int8(model, rng.uniform(low, high, (32, *shape)).astype(np.float32), input_range)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default=os.path.join(tempfile.mkdtemp(prefix="tinyml-bench-"), "pair"))
    args = parser.parse_args()
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    import keras

    import tinymlkit as tm
    from tinymlkit.apps.kws.frontend import MICRO_SPEECH
    from tinymlkit.apps.kws.recipe import FEATURE_RANGE
    from tinymlkit.models import build_model
    from tinymlkit.runtime.tflm import check_runs

    keras.utils.set_random_seed(0)
    kws = _int8(build_model("tiny_conv", MICRO_SPEECH.shape, 4, 1.0), MICRO_SPEECH.shape, FEATURE_RANGE)
    person = _int8(build_model("mobilenet_v1", (96, 96, 1), 2, 0.25), (96, 96, 1))
    start = time.perf_counter()
    d = tm.deploy_multi([kws, person], args.out, names=["kws", "person"])
    seconds = time.perf_counter() - start
    for m in d.models:
        print(
            f"{m.name}: {m.model_bytes:,} bytes, arena {m.arena_bytes:,} (32-bit est. {m.arena_bytes_32bit:,}), "
            f"operators {', '.join(m.ops)}"
        )
    print(
        f"shared arena {d.shared_arena_bytes:,} bytes vs {d.separate_arena_bytes:,} in separate arenas: "
        f"{d.saving_bytes:,} saved ({d.saving_share:.0%}); sketch kTensorArenaSize {d.sketch_arena_bytes:,}"
    )
    print(f"32-bit estimate: shared {d.shared_arena_32bit:,} vs {d.separate_arena_32bit:,}; {d.arena_note}")
    print(f"op resolver ({len(d.ops)}): {', '.join(d.ops)}")
    print(f"measured and written in {seconds:.1f} s: {args.out}")
    ok = d.shared_arena_bytes == max(m.arena_bytes for m in d.models)
    ok = ok and all(check_runs(model, d.shared_arena_bytes)[0] for model in (kws, person))
    ok = ok and os.path.isfile(os.path.join(args.out, "multi_sketch", "multi_sketch.ino"))
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
