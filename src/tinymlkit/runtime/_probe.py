"""Worker process for :mod:`tinymlkit.runtime.tflm`: allocate-and-invoke a model at given arena sizes.

``python -m tinymlkit.runtime._probe MODEL LO HI`` bisects for the smallest arena in (LO, HI] that allocates
and invokes, printing ``ok N`` or ``fail N`` for every size it tries. With LO = HI - 1 it tries HI alone.
A segfault (TFLM can hit one when the arena is far too small) kills only this process; the parent restarts
it with the bounds learned so far. TFLM's own messages go to this process's stderr, which the parent reads.
It imports nothing but NumPy and the TFLM runtime, so it starts in a fraction of a second.
"""

import sys

import numpy as np
from tflite_micro.python.tflite_micro import runtime


def allocates_and_invokes(model: bytes, arena_size: int) -> bool:
    """True when TFLM can allocate the model in ``arena_size`` bytes and invoke it on zeros."""
    try:
        interp = runtime.Interpreter.from_bytes(model, arena_size=arena_size)
        index = 0
        while True:
            try:
                details = interp.get_input_details(index)
            except (RuntimeError, ValueError, IndexError):
                break
            interp.set_input(np.zeros(details["shape"], dtype=details["dtype"]), index)
            index += 1
        interp.invoke()
    except RuntimeError:
        return False
    return True


def main(path: str, lo: int, hi: int) -> None:
    with open(path, "rb") as f:
        model = f.read()
    if hi - lo == 1:
        print("ok" if allocates_and_invokes(model, hi) else "fail", hi, flush=True)
        return
    while hi - lo > 1:
        mid = (lo + hi) // 2
        ok = allocates_and_invokes(model, mid)
        print("ok" if ok else "fail", mid, flush=True)
        lo, hi = (lo, mid) if ok else (mid, hi)


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]), int(sys.argv[3]))
