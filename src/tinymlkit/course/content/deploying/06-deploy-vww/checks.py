"""Checks of the lab c3-vww: the camera path against the toolkit's (the board's) code, and the cascade's schedule."""

import numpy as np

from tinymlkit.course.checks import Checker


def _expected_input(frame: np.ndarray) -> np.ndarray:
    from tinymlkit.apps.person.camera import camera_crop

    return (camera_crop(frame).astype(np.int16) - 128).astype(np.int8)


def check_crop(t: Checker) -> None:
    from tinymlkit.apps.person.synth import render_scene

    fn = t.function("frame_to_input")
    hint = ("crop columns 16..159, then for each 3x3 block: (sum of pixel * W[a][r] * W[b][c] + 4) // 9 for the 2x2 "
            "outputs, then subtract 128 and return int8")
    frames = [("a random frame", t.rng.integers(0, 256, (144, 176)).astype(np.uint8)),
              ("a camera scene", render_scene([int(t.rng.integers(1 << 30)), 0], bool(t.rng.integers(2))).frame),
              ("a frame with a bright right edge", np.pad(np.zeros((144, 160), np.uint8), ((0, 0), (0, 16)),
                                                          constant_values=255))]
    for name, frame in frames:
        ok, got = t.call(f"runs on {name}", fn, frame.copy(), hint=hint)
        if not ok or not t.is_array(f"int8 input of {name}", got, (96, 96), np.int8, hint):
            return
        expected = _expected_input(frame)
        if not t.equal(f"pixels of {name}", got, expected, hint):
            return


def reference_runs(yes_times, frame_ms: int, busy_ms: int) -> list[int]:
    runs, free_at = [], 0
    for t in yes_times:
        if t < free_at:
            continue
        frame = -(-int(t) // frame_ms)
        runs.append(frame)
        free_at = frame * frame_ms + busy_ms
    return runs


def check_tenancy(t: Checker) -> None:
    fn = t.function("person_runs")
    hint = ("frame = ceil(time / frame_ms); skip a yes that arrives before the running detection ends "
            "(its frame's arrival + busy_ms)")
    frame_ms = int(t.rng.choice([100, 200, 250]))
    for name in ("sparse words", "words in quick succession", "words on frame times"):
        n = int(t.rng.integers(8, 20))
        if name == "sparse words":
            times = np.cumsum(t.rng.integers(1800, 5000, n))  # never while busy
        elif name == "words in quick succession":
            times = np.cumsum(t.rng.integers(50, 900, n))
        else:
            times = np.cumsum(t.rng.integers(1, 8, n)) * frame_ms
        busy = int(t.rng.integers(300, 1500))
        expected = reference_runs(times, frame_ms, busy)
        ok, got = t.call(f"runs on {name}", fn, [int(v) for v in times], frame_ms, busy, hint=hint)
        if not ok:
            return
        try:
            got = [int(v) for v in got]
        except (TypeError, ValueError):
            pass
        if not t.equal(f"frames for {name} (frame every {frame_ms} ms, busy {busy} ms)", got, expected, hint):
            return


CHECKS = {"crop": check_crop, "tenancy": check_tenancy}
