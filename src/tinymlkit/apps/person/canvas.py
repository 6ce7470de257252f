"""Drawing primitives for the built-in person scenes: a grayscale camera frame painted through Pillow masks, and the
tones and fabrics that people and objects are painted in (one rule for both, so tone never tells them apart)."""

from collections.abc import Callable

import numpy as np
from PIL import Image, ImageDraw

from tinymlkit.apps.person.camera import FRAME_HEIGHT, FRAME_WIDTH

H, W = FRAME_HEIGHT, FRAME_WIDTH
CROP_LEFT = (W - H) // 2  # the camera keeps columns CROP_LEFT .. CROP_LEFT + H
YY, XX = np.mgrid[0:H, 0:W].astype(np.float32)


class Canvas:
    """A grayscale frame that shapes are painted into, through masks drawn with Pillow."""

    def __init__(self, image: np.ndarray):
        self.image = Image.fromarray(np.clip(np.round(image), 0, 255).astype(np.uint8))

    @staticmethod
    def mask(draw: Callable[[ImageDraw.ImageDraw], None]) -> Image.Image:
        layer = Image.new("1", (W, H), 0)
        draw(ImageDraw.Draw(layer))
        return layer

    def paint(self, mask: Image.Image, tone: float | np.ndarray) -> None:
        if isinstance(tone, np.ndarray):
            self.image.paste(Image.fromarray(np.clip(np.round(tone), 0, 255).astype(np.uint8)), (0, 0), mask)
        else:
            self.image.paste(int(np.clip(round(tone), 0, 255)), (0, 0, W, H), mask)

    def shape(self, kind: str, xy: list[float], tone: float | np.ndarray, **options) -> None:
        """Paint one Pillow shape (``"rectangle"``, ``"ellipse"``, ``"line"``...) at ``xy``."""
        self.paint(self.mask(lambda d: getattr(d, kind)(xy, fill=1, **options)), tone)

    def at(self, x: float, y: float) -> float:
        """The tone at a point (clamped to the frame)."""
        return float(self.image.getpixel((int(np.clip(x, 0, W - 1)), int(np.clip(y, 0, H - 1)))))

    def behind(self, mask: Image.Image) -> float:
        """The mean tone under a mask."""
        from PIL import ImageStat

        return float(ImageStat.Stat(self.image, mask).mean[0]) if mask.getbbox() else 128.0


def contrasting(rng: np.random.Generator, behind: float, gap: float = 35.0) -> float:
    """A tone at least ``gap`` from ``behind``: the same rule for people and objects."""
    while True:
        tone = float(rng.uniform(15, 240))
        if abs(tone - behind) >= gap:
            return tone


def texture(rng: np.random.Generator, tone: float) -> float | np.ndarray:
    """Flat, striped, checked or mottled fabric around ``tone``."""
    kind = rng.integers(0, 5)
    if kind <= 1:
        return tone
    amp = rng.uniform(12, 40)
    period = rng.uniform(3.0, 8.0)
    if kind == 2:
        a = rng.uniform(0, np.pi)
        wave = np.sin((XX * np.cos(a) + YY * np.sin(a)) * 2 * np.pi / period)
        return tone + amp * np.sign(wave)
    if kind == 3:
        return tone + amp * np.sign(np.sin(XX * np.pi / period) * np.sin(YY * np.pi / period))
    return tone + amp * smooth_noise(rng, 12)


def smooth_noise(rng: np.random.Generator, cells: int) -> np.ndarray:
    """Noise in [-1, 1] that varies over about ``W / cells`` pixels."""
    grid = Image.fromarray(rng.uniform(0, 255, (cells * H // W + 2, cells + 2)).astype(np.uint8))
    return np.asarray(grid.resize((W, H), Image.Resampling.BICUBIC), dtype=np.float32) / 127.5 - 1.0


def lit(rng: np.random.Generator, tone: float, x: float, y: float, size: float) -> np.ndarray:
    """``tone`` lit from one side: brighter towards a random direction across a thing of ``size`` at ``(x, y)``."""
    a = rng.uniform(0, 2 * np.pi)
    return tone + rng.uniform(10, 45) * ((XX - x) * np.cos(a) + (YY - y) * np.sin(a)) / size
