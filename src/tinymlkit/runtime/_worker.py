"""Worker process for :meth:`tinymlkit.runtime.tflm.TFLMModel.invoke`: it holds its own TFLM interpreter and runs
slices of a large batch, so that a batch uses every core (TFLM's ``Invoke`` keeps Python's lock, so threads would
not). Like :mod:`tinymlkit.runtime._probe` it imports nothing but NumPy and the TFLM runtime, so it starts fast;
it is started as ``python -m`` rather than by :mod:`multiprocessing`, which would run the caller's main script again
in every worker.

Protocol on stdin/stdout (little-endian 64-bit lengths): first the arena size, the model's length and the model;
then any number of requests, each the number of examples and their quantized inputs, answered with their raw
outputs. End of input ends the worker.
"""

import struct
import sys

import numpy as np
from tflite_micro.python.tflite_micro import runtime

HEADER = struct.Struct("<q")


def read_exactly(stream, size: int) -> bytes | None:
    """``size`` bytes from ``stream``, or None at its end."""
    data = stream.read(size)
    return data if len(data) == size else None


def serve(stdin, stdout) -> None:
    arena, length = (HEADER.unpack(read_exactly(stdin, HEADER.size))[0] for _ in range(2))
    interp = runtime.Interpreter.from_bytes(read_exactly(stdin, length), arena_size=arena)
    inp, out = interp.get_input_details(0), interp.get_output_details(0)
    in_shape, in_type = tuple(inp["shape"]), np.dtype(inp["dtype"])
    out_type = np.dtype(out["dtype"])
    per_example = int(np.prod(in_shape)) * in_type.itemsize
    while (header := read_exactly(stdin, HEADER.size)) is not None:
        count = HEADER.unpack(header)[0]
        q = np.frombuffer(read_exactly(stdin, count * per_example), dtype=in_type).reshape((count, *in_shape))
        results = []
        for example in q:
            interp.set_input(example, 0)
            interp.invoke()
            results.append(np.asarray(interp.get_output(0), dtype=out_type).tobytes())
        stdout.write(b"".join(results))
        stdout.flush()


if __name__ == "__main__":
    serve(sys.stdin.buffer, sys.stdout.buffer)
