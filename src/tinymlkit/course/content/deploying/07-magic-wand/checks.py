"""Checks of the lab c3-wand: stroke points, colour by time and the rasterizer, against the toolkit's firmware code."""

import numpy as np

from tinymlkit.course.checks import Checker


def random_stroke(rng: np.random.Generator, length: int | None = None, size: float = 60.0) -> np.ndarray:
    """A smooth random path of angles in degrees (m, 2), like a stroke drawn in the air."""
    m = int(length or rng.integers(30, 400))
    heading = np.cumsum(rng.normal(0, 0.3, m))
    steps = np.stack([np.cos(heading), np.sin(heading)], axis=1) * rng.uniform(0.2, 1.0, (m, 1))
    path = np.cumsum(steps, axis=0)
    return path / max(np.ptp(path, axis=0).max(), 1e-9) * size + rng.uniform(-30, 30, 2)


def check_points(t: Checker) -> None:
    from tinymlkit.apps.wand.stroke import StrokeConfig, stroke_points

    fn = t.function("stroke_to_points")
    hint = ("stride = ceil(m / max_points), xy[::stride]; centre = (min + max) / 2 of the kept points; "
            "scale = 254 / max(width, height, min_extent); floor(v * scale + 0.5), clip to +-127, int8")
    cases = [("a long stroke", random_stroke(t.rng, int(t.rng.integers(200, 480))), 160, 15.0),
             ("a short stroke", random_stroke(t.rng, int(t.rng.integers(30, 150))), 160, 15.0),
             ("a tiny wobble", random_stroke(t.rng, 80, size=float(t.rng.uniform(2, 8))), 160, 15.0),
             ("other settings", random_stroke(t.rng), int(t.rng.integers(20, 100)), float(t.rng.uniform(5, 40)))]
    for name, stroke, max_points, min_extent in cases:
        expected = stroke_points(stroke, StrokeConfig(max_points=max_points, min_extent_deg=min_extent))
        ok, got = t.call(f"runs on {name}", fn, stroke.copy(), max_points, min_extent, hint=hint)
        if not ok or not t.is_array(f"int8 points for {name}", got, expected.shape, np.int8, hint):
            return
        if not t.equal(f"points of {name}", got, expected, hint):
            return


def check_colour(t: Checker) -> None:
    from tinymlkit.apps.wand.raster import segment_colour

    fn = t.function("segment_colour")
    hint = "q = k * 510 // max(1, segments - 1); red to green while q <= 255, then green to blue"
    segments = int(t.rng.integers(20, 200))
    ks = [0, segments - 1, (segments - 1) // 2, *[int(k) for k in t.rng.integers(0, segments, size=6)]]
    got_all, expected_all = [], []
    for k in ks:
        ok, got = t.call(f"runs on segment {k} of {segments}", fn, k, segments, hint=hint)
        if not ok:
            return
        try:
            got_all.append(tuple(int(v) for v in got))
        except (TypeError, ValueError):
            got_all.append(got)
        expected_all.append(tuple(segment_colour(k, segments)))
    t.equal(f"colours of segments {ks} of {segments}", got_all, expected_all, hint)
    ok, got = t.call("runs on a single segment", fn, 0, 1, hint=hint)
    if ok:
        t.equal("colour of a single segment", tuple(got) if isinstance(got, tuple | list) else got, (255, 0, 0),
                "with one segment, max(1, segments - 1) avoids a division by zero: the stroke is red")


def check_raster(t: Checker) -> None:
    from tinymlkit.apps.wand.raster import rasterize
    from tinymlkit.apps.wand.stroke import stroke_points

    fn = t.function("rasterize_points")
    hint = ("x gives the column and -y the row; margin + (v + 127) * (size - 1 - 2 * margin) / 254; each segment "
            "in its own colour, later ones on top")
    ok, got = t.call("runs on a vertical line drawn upwards", fn, np.array([[0, -127], [0, 0], [0, 127]], np.int8), hint=hint)
    if not ok or not t.is_array("a (32, 32, 3) uint8 image", got, (32, 32, 3), np.uint8, hint):
        return
    t.true("drawn upwards: red at the bottom, blue at the top", tuple(int(v) for v in got[29, 16]) == (255, 0, 0)
           and tuple(int(v) for v in got[2, 16]) == (0, 0, 255),
           "(255, 0, 0) at row 29 and (0, 0, 255) at row 2 of column 16",
           f"{tuple(int(v) for v in got[29, 16])} and {tuple(int(v) for v in got[2, 16])}",
           "y points up but rows count down: use -y for the row, and colour by segment")
    for i in range(3):
        points = stroke_points(random_stroke(t.rng, 8 if i == 0 else None))  # the first: long lines between points
        expected = rasterize(points)
        ok, got = t.call(f"runs on random stroke {i + 1}", fn, points.copy(), hint=hint)
        if not ok or not t.is_array(f"image of random stroke {i + 1}", got, expected.shape, np.uint8, hint):
            return
        lit, want = got.any(axis=2), expected.any(axis=2)
        overlap = float((lit & want).sum() / max(1, (lit | want).sum()))
        if not t.true(f"pixels of random stroke {i + 1}", overlap >= 0.85, "at least 85 % of the lit pixels shared "
                      "with the firmware's image", f"{overlap:.0%}", hint):
            return
        both = lit & want
        close = np.abs(got[both].astype(int) - expected[both].astype(int)).max(axis=1) <= 40
        t.true(f"colours of random stroke {i + 1}", close.mean() >= 0.85 if close.size else False,
               "the firmware's colour on at least 85 % of the shared pixels", f"{close.mean():.0%}",
               "colour segment k with segment_colour(k, len(points) - 1)")
    ok, got = t.call("runs with another size", fn, stroke_points(random_stroke(t.rng)), 48, 4, hint=hint)
    if ok:
        t.is_array("a (48, 48, 3) image for size 48", got, (48, 48, 3), np.uint8, "use the size argument")


CHECKS = {"points": check_points, "colour": check_colour, "raster": check_raster}
