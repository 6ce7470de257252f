"""Checks of the lab c4-ota."""

import numpy as np

from tinymlkit.course.checks import Checker


def _changed(old, new, block):
    old = bytes(old) + b"\xff" * max(0, len(new) - len(old))
    changed = []
    for i in range(-(-len(new) // block)):
        chunk = new[i * block:(i + 1) * block]
        if chunk != old[i * block:i * block + len(chunk)]:
            changed.append(i)
    return changed


def _ints(got):
    return [int(v) for v in got] if isinstance(got, list | tuple | np.ndarray) else got


def check_delta(t: Checker) -> None:
    fn = t.function("changed_blocks")
    hint = ("for each block i of the new image (the last may be shorter) compare new[i*block:(i+1)*block] with the "
            "same bytes of the old image, padded with b'\\xff' past its end; list the i that differ")
    block = int(t.rng.choice([64, 128, 256]))
    # the old image ends 4 or more bytes into a block, so the shorter one (3 bytes and a block less) never ends on a
    # block boundary: its last block is short, as the case is meant to test
    old = bytes(t.rng.integers(0, 256, int(t.rng.integers(20, 40)) * block + int(t.rng.integers(4, block)),
                               dtype=np.uint8))
    new = bytearray(old)
    for i in t.rng.choice(len(new) // block - 2, size=4, replace=False):  # the last blocks stay as they were, so
        new[int(i) * block + int(t.rng.integers(block))] ^= 0x5A  # the shorter image's last block is unchanged
    new = bytes(new)
    cases = [("the same size", old, new),
             ("a longer new image", old, new + bytes(t.rng.integers(0, 256, block + 7, dtype=np.uint8))),
             ("a shorter new image", old, new[: len(new) - block - 3])]
    grown = old + b"\xff" * (block * 2)  # the new image only adds erased bytes past the old end: nothing to write
    cases.append(("an image that ends in erased bytes", old, grown))
    for name, o, n in cases:
        ok, got = t.call(f"runs on {name}", fn, o, n, block, hint=hint)
        if ok and not t.equal(f"changed blocks for {name} ({len(o)} -> {len(n)} bytes, blocks of {block})", _ints(got),
                              _changed(o, n, block), hint):
            return


def _rollout(waves, failures, max_rate):
    updated = 0
    for devices, failed in zip(waves, failures):
        updated += devices
        if failed / devices > max_rate:
            return ("rolled back", updated)
    return ("complete", updated)


def check_rollout(t: Checker) -> None:
    fn = t.function("rollout")
    hint = ("add each wave's devices, then stop with ('rolled back', devices so far) when failures / devices of "
            "that wave is above max_rate; ('complete', all devices) otherwise")
    waves = [int(t.rng.integers(1, 5)) * 100] + [int(w) for w in sorted(t.rng.integers(500, 5000, 3))]
    max_rate = float(t.rng.choice([0.01, 0.02, 0.05]))
    good = [int(w * max_rate * 0.5) for w in waves]
    bad_at = int(t.rng.integers(1, 4))
    bad = list(good)
    bad[bad_at] = int(waves[bad_at] * max_rate) + 2
    exact = list(good)
    exact[0] = round(waves[0] * max_rate)  # a whole number of devices: the rate is exactly max_rate
    for name, failures in (("a good update", good), (f"a bad update failing in wave {bad_at + 1}", bad),
                           ("a wave exactly at the limit", exact)):
        ok, got = t.call(f"runs on {name}", fn, list(waves), list(failures), max_rate, hint=hint)
        if ok and not t.equal(f"result for {name}: waves {waves}, failures {failures}, max rate {max_rate}",
                              tuple(got) if isinstance(got, list | tuple) else got,
                              _rollout(waves, failures, max_rate), hint):
            return


CHECKS = {"delta": check_delta, "rollout": check_rollout}
