"""Image folders (``person/``, ``no_person/``...) as a data-tools kind: reading, checks, features, augmentation.

Images are judged and augmented as 8-bit grayscale, the camera path of the person-detection board.
"""

import io
from pathlib import Path

import numpy as np

from tinymlkit.datatools.kinds import Clip, DataKind
from tinymlkit.errors import TinyMLError
from tinymlkit.fileio import write_bytes
from tinymlkit.validate import check_image_size

SUFFIXES = (".png", ".jpg", ".jpeg", ".bmp")
BLANK_STD = 3.0  # grey levels: a uniform picture (lens cap, dark room)
EXPOSED_SHARE = 0.25  # over a quarter of the pixels black or white: under- or over-exposed


def read_gray(path: Path) -> np.ndarray:
    """An image file as a (height, width) uint8 grayscale array."""
    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(path) as img:
            check_image_size(Path(path), *img.size)
            return np.asarray(img.convert("L"), dtype=np.uint8)
    except (UnidentifiedImageError, Image.DecompressionBombError, OSError, SyntaxError, ValueError):
        raise TinyMLError(f"cannot read {path} as an image; use PNG or JPEG files") from None


def write_png(path: Path, image: np.ndarray) -> Path:
    """Write a grayscale image as PNG, atomically."""
    from PIL import Image

    buf = io.BytesIO()
    Image.fromarray(np.clip(image, 0, 255).astype(np.uint8)).save(buf, format="PNG")
    return write_bytes(Path(path).with_suffix(".png"), buf.getvalue())


def _small(image: np.ndarray, size: int = 16) -> np.ndarray:
    """Block means on a ``size`` x ``size`` grid (any image size)."""
    rows = np.array_split(np.arange(image.shape[0]), size)
    cols = np.array_split(np.arange(image.shape[1]), size)
    return np.array([[image[np.ix_(r, c)].mean() for c in cols] for r in rows])


def inspect(path: Path) -> Clip:
    """Read one image and judge it: blank, badly exposed."""
    image = read_gray(path)
    small = _small(image.astype(np.float64))
    histogram = np.histogram(image, bins=16, range=(0, 256))[0] / image.size
    features = np.concatenate([small.ravel() / 255.0, histogram])
    v = small.ravel() - small.mean()
    norm = np.linalg.norm(v)
    problems = []
    if image.std() < BLANK_STD:
        problems.append(("silent", f"blank image (grey-level spread {image.std():.1f})", "retake the picture"))
    dark, bright = float(np.mean(image <= 2)), float(np.mean(image >= 253))
    if max(dark, bright) > EXPOSED_SHARE:
        what = "over-exposed" if bright > dark else "under-exposed"
        problems.append(
            (
                "clipped",
                f"{what}: {100 * max(dark, bright):.0f} % of pixels {'white' if bright > dark else 'black'}",
                "retake it with better light",
            )
        )
    return Clip(0.0, 0.0, features, v / norm if norm > 0 else v, problems)


def draw(ax, path: Path) -> None:
    ax.imshow(read_gray(path), cmap="gray", vmin=0, vmax=255)


def flip_op(image: np.ndarray, rng: np.random.Generator, context: dict) -> tuple[np.ndarray, dict]:
    """Mirror left-right, every other time."""
    flipped = bool(rng.random() < 0.5)
    return (image[:, ::-1] if flipped else image), {"flipped": flipped}


def brightness_op(image: np.ndarray, rng: np.random.Generator, context: dict) -> tuple[np.ndarray, dict]:
    """Brighter or darker by up to 30 %."""
    factor = float(rng.uniform(0.7, 1.3))
    return np.clip(image.astype(np.float64) * factor, 0, 255).astype(np.uint8), {"brightness": round(factor, 3)}


IMAGE = DataKind(
    name="image",
    suffixes=SUFFIXES,
    group_word="group",
    inspect=inspect,
    duration=None,
    expected_duration_s=None,
    draw=draw,
    read=read_gray,
    write=write_png,
    augmenters={"flip": flip_op, "brightness": brightness_op},
)
