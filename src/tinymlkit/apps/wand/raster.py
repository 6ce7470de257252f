"""Stroke points to the magic wand's input image, in integer arithmetic identical to the sketch's C++.

The int8 points (see :func:`tinymlkit.apps.wand.stroke.stroke_points`) are drawn as connected line segments into
a ``size`` x ``size`` RGB image, coloured by time as in the course: the first half of the stroke fades from
red to green, the second half from green to blue, so the image also shows the direction of drawing. Later
segments paint over earlier ones. Pixel values are 0..255 (0 = background); the model's int8 input is
``value - 128`` (input scale 1/255, zero point -128) and its float input ``value / 255``.

Coordinates are fixed point with 8 fractional bits, and every division has non-negative operands, so Python's
``//`` and C's ``/`` agree.
"""

import numpy as np

from tinymlkit.apps.wand.stroke import WAND, StrokeConfig

FRACTION_BITS = 8
ONE = 1 << FRACTION_BITS


def pixel_fp(v: int, size: int, margin: int) -> int:
    """A coordinate in [-127, 127] to a fixed-point pixel position in [margin, size - 1 - margin]."""
    span = (size - 1 - 2 * margin) * ONE
    return margin * ONE + ((v + 127) * span + 127) // 254


def segment_colour(k: int, segments: int) -> tuple[int, int, int]:
    """The colour of segment ``k`` of ``segments``: red -> green over the first half, green -> blue after."""
    q = k * 510 // max(1, segments - 1)
    return (255 - q, q, 0) if q <= 255 else (0, 510 - q, q - 255)


def rasterize(points: np.ndarray, config: StrokeConfig = WAND) -> np.ndarray:
    """The (size, size, 3) uint8 image of int8 stroke points (k, 2), x right and y up."""
    size, margin = config.raster_size, config.raster_margin
    image = np.zeros((size, size, 3), dtype=np.uint8)
    pts = [(pixel_fp(int(x), size, margin), pixel_fp(-int(y), size, margin)) for x, y in points]
    if len(pts) == 1:
        x0, y0 = pts[0]
        image[(y0 + ONE // 2) // ONE, (x0 + ONE // 2) // ONE] = segment_colour(0, 1)
        return image
    segments = len(pts) - 1
    for k in range(segments):
        colour = segment_colour(k, segments)
        (x0, y0), (x1, y1) = pts[k], pts[k + 1]
        steps = (max(abs(x1 - x0), abs(y1 - y0)) + ONE // 2) // ONE
        if steps == 0:
            image[(y0 + ONE // 2) // ONE, (x0 + ONE // 2) // ONE] = colour
            continue
        for i in range(steps + 1):
            col = (x0 * (steps - i) + x1 * i + steps * (ONE // 2)) // (steps * ONE)
            row = (y0 * (steps - i) + y1 * i + steps * (ONE // 2)) // (steps * ONE)
            image[row, col] = colour
    return image


def model_input(images: np.ndarray) -> np.ndarray:
    """Images (n, size, size, 3) uint8 as the model's float input in [0, 1] (int8 input = value - 128)."""
    return np.asarray(images, dtype=np.float32) / 255.0
