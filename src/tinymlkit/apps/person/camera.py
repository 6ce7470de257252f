"""The camera path of the person-detection board, in NumPy: a 176x144 grayscale frame -> the 96x96 model input.

The board's camera (OV7675 on the Nano 33 BLE Sense kit, QCIF) gives a 176x144 grayscale frame. The sketch keeps
its central 144x144 square and shrinks it to 96x96 by area averaging (each 3x3 block of pixels becomes 2x2, in
integer arithmetic), then feeds ``pixel - 128`` as int8. :func:`camera_crop` is that code, bit for bit, so every
image the model is trained and tested on is the one the board would see. Image files (PNG, JPEG, BMP) first become
the frame the camera would have taken (:func:`frame_from_image`: grayscale, scaled to cover 176x144 and centred).
"""

from pathlib import Path

import numpy as np

from tinymlkit.errors import TinyMLError
from tinymlkit.validate import MAX_PIXELS, check_image_size

FRAME_WIDTH, FRAME_HEIGHT = 176, 144  # the camera frame (QCIF)
SIZE = 96  # the model input is SIZE x SIZE x 1
FORMATS = ("PNG", "JPEG", "BMP")  # image files read by Pillow
SUFFIXES = (".png", ".jpg", ".jpeg", ".bmp")

# Area weights of a 3-pixel group for its 2 output pixels (times 2): [2, 1, 0] and [0, 1, 2]; 2-D weights sum to 9.
_W = np.array([[2, 1, 0], [0, 1, 2]], dtype=np.int32)


def camera_crop(frames: np.ndarray) -> np.ndarray:
    """Frames (..., 144, 176) uint8 -> model images (..., 96, 96) uint8, as the board computes them.

    The central 144x144 square is shrunk by 2/3: output pixel (2i+a, 2j+b) is the 3x3 block (i, j) weighted by
    ``_W[a] x _W[b]``, rounded: ``(sum + 4) // 9``.
    """
    frames = np.asarray(frames)
    if frames.shape[-2:] != (FRAME_HEIGHT, FRAME_WIDTH) or frames.dtype != np.uint8:
        raise TinyMLError(
            f"camera frames must be uint8 {FRAME_HEIGHT}x{FRAME_WIDTH}, got {frames.dtype} {frames.shape[-2:]}"
        )
    left = (FRAME_WIDTH - FRAME_HEIGHT) // 2
    square = frames[..., left : left + FRAME_HEIGHT].astype(np.int32)
    blocks = square.reshape(*square.shape[:-2], SIZE // 2, 3, SIZE // 2, 3)  # (..., bi, r, bj, c)
    out = np.einsum("...irjc,ar,bc->...iajb", blocks, _W, _W)
    out = (out + 4) // 9
    return out.reshape(*frames.shape[:-2], SIZE, SIZE).astype(np.uint8)


def model_input(images: np.ndarray) -> np.ndarray:
    """Model images (n, 96, 96) uint8 -> float input (n, 96, 96, 1) in [0, 1]; the int8 input is pixel - 128."""
    return (np.asarray(images, dtype=np.float32) / 255.0)[..., None]


def frame_from_image(image) -> np.ndarray:
    """A Pillow image as the camera frame it would give: grayscale, scaled to cover 176x144, centre cropped."""
    from PIL import Image, ImageOps

    if image.mode in ("I", "I;16", "I;16B", "F"):  # 16-bit or float grayscale: scale to 0..255 first
        a = np.asarray(image, dtype=np.float64)
        span = float(a.max() - a.min()) or 1.0
        image = Image.fromarray(np.round((a - a.min()) / span * 255).astype(np.uint8))
    gray = ImageOps.exif_transpose(image).convert("L")
    fitted = ImageOps.fit(gray, (FRAME_WIDTH, FRAME_HEIGHT), method=Image.Resampling.BILINEAR)
    return np.asarray(fitted, dtype=np.uint8)


def read_frame(path: str | Path) -> np.ndarray:
    """The camera frame (144, 176) uint8 of a PNG, JPEG or BMP file; damaged or other files are one-line errors."""
    from PIL import Image, UnidentifiedImageError

    path = Path(path)
    if not path.is_file():
        raise TinyMLError(f"image file {path} not found")
    try:
        with Image.open(path) as image:
            if image.format not in FORMATS:
                raise TinyMLError(f"{path} is a {image.format} image; use PNG, JPEG or BMP")
            check_image_size(path, *image.size)
            image.load()
            return frame_from_image(image)
    except Image.DecompressionBombError:
        raise TinyMLError(
            f"{path} is over the {MAX_PIXELS // 1_000_000} megapixel limit (decoding it would need "
            "gigabytes of memory); resize it first"
        ) from None
    except UnidentifiedImageError:
        raise TinyMLError(f"{path} is not an image Pillow can read; use PNG, JPEG or BMP") from None
    except (OSError, SyntaxError, ValueError) as exc:
        raise TinyMLError(f"{path} is damaged or truncated ({str(exc).strip()[:80]}); re-export the image") from None


def read_image(path: str | Path) -> np.ndarray:
    """The 96x96 uint8 model image of an image file, through the camera path."""
    return camera_crop(read_frame(path))
