"""Photo-like backgrounds for the built-in person scenes: the busy surfaces real photos are full of.

A model trained only on flat drawn scenes learns that detail means "person" (a person is the most detailed thing
in such a scene), and then calls a brick wall, gravel or a printed page a person. These backgrounds put detail of
every scale everywhere, in scenes with and without people alike, so that only a person's shape tells the classes
apart. Kinds: a "dead leaves" pile of overlapping shapes of every size (the statistics of natural images),
granular ground (gravel, sand, grass), tiling (bricks, tiles, rows of round things), print and handwriting, a night
sky, and a plain surface with one big round thing on it (a dish, a dial, the moon).

Where photos without people are installed (:data:`PHOTO_FOLDERS`: Debian's ``mate-backgrounds`` nature photos, or
the folders in ``$TINYML_BACKGROUND_PHOTOS``), :data:`REAL_SHARE` of these surfaces are a random part of one of
them instead, at a random scale: real texture that, being in both classes, says nothing about people either.
"""

import functools

import numpy as np
from PIL import Image, ImageDraw, ImageFilter, ImageFont, ImageOps

from tinymlkit.apps.person.canvas import XX, YY, H, W, smooth_noise
from tinymlkit.data.installed import Installed, fingerprint

KINDS = ("leaves", "granular", "tiles", "print", "sky", "dish")
PHOTO_FOLDERS = ("/usr/share/backgrounds/mate/nature",)
"""Folders of photos without people, used when installed (``sudo apt-get install mate-backgrounds``)."""
REAL_SHARE = 0.4
"""Share of the busy surfaces taken from real photos, when there are any."""
PHOTO_SIDE = 480  # photos are kept in memory this size (longest side), in grayscale
BACKGROUNDS = Installed("TINYML_BACKGROUND_PHOTOS", PHOTO_FOLDERS, (".jpg", ".jpeg", ".png"))
LETTERS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.,:;()-"


def photo_background(rng: np.random.Generator, photos: bool = True) -> tuple[np.ndarray, str]:
    """A 144x176 float frame of one randomly chosen kind of busy surface, and the kind (one of :data:`KINDS`);
    ``photos`` False never takes the installed photos (the same surfaces as on a machine without them)."""
    real, kind = rng.random() < REAL_SHARE, KINDS[int(rng.integers(len(KINDS)))]
    if real and photos and photo_library():
        return _photo_part(rng), "photo"
    image = {
        "leaves": _leaves,
        "granular": _granular,
        "tiles": _tiles,
        "print": _print,
        "sky": _sky,
        "dish": _dish,
    }[kind](rng)
    a = rng.uniform(0, 2 * np.pi)  # uneven light over the surface
    shade = 1 + rng.uniform(0, 0.3) * ((XX - W / 2) * np.cos(a) + (YY - H / 2) * np.sin(a)) / (W / 2)
    return image * shade, kind


@functools.cache
def photo_library() -> tuple[np.ndarray, ...]:
    """The background photos in grayscale (longest side :data:`PHOTO_SIDE`); empty when none are installed."""
    photos = []
    for f in BACKGROUNDS.files():
        with Image.open(f) as image:
            image = ImageOps.exif_transpose(image).convert("L")
            image.thumbnail((PHOTO_SIDE, PHOTO_SIDE))
            photos.append(np.asarray(image))
    return tuple(photos)


def library_key() -> str:
    """A short fingerprint of the background photos (names and sizes), "" without any: part of the cache key of
    the built-in scenes, which differ with and without them."""
    return fingerprint(BACKGROUNDS.files())


def _photo_part(rng: np.random.Generator) -> np.ndarray:
    """A random part of a random background photo, from a tenth of its width to all of it, maybe mirrored."""
    library = photo_library()
    photo = Image.fromarray(library[int(rng.integers(len(library)))])
    width = min(photo.width, photo.height * W / H) * rng.uniform(0.1, 1.0)
    height = width * H / W
    x, y = rng.uniform(0, photo.width - width), rng.uniform(0, photo.height - height)
    part = photo.resize((W, H), Image.Resampling.BILINEAR, box=(x, y, x + width, y + height))
    if rng.random() < 0.5:
        part = part.transpose(Image.Transpose.FLIP_LEFT_RIGHT)
    return np.asarray(part, dtype=np.float32) * rng.uniform(0.7, 1.2) + rng.uniform(-30, 30)


def busy_fabric(rng: np.random.Generator, tone: float, photos: bool = True) -> np.ndarray:
    """A frame of busy surface around ``tone`` at a lower contrast: patterned clothes, a printed shirt."""
    image, _ = photo_background(rng, photos)
    return tone + (image - image.mean()) * rng.uniform(0.3, 0.8)


def _leaves(rng: np.random.Generator) -> np.ndarray:
    """Overlapping discs, ellipses and boxes whose sizes follow a power law (many small, few large)."""
    image = Image.new("L", (W, H), int(rng.uniform(20, 235)))
    d = ImageDraw.Draw(image)
    smallest, largest = rng.uniform(1.5, 4), rng.uniform(25, 70)
    for _ in range(int(rng.integers(150, 600))):
        u = rng.random()  # inverse CDF of a size density ~ 1/r^3 between smallest and largest
        r = 1 / np.sqrt(u / largest**2 + (1 - u) / smallest**2)
        x, y = rng.uniform(-r, W + r), rng.uniform(-r, H + r)
        tone = int(rng.uniform(10, 245))
        if rng.random() < 0.6:
            e = rng.uniform(0.5, 1.5)
            d.ellipse([x - r * e, y - r / e, x + r * e, y + r / e], fill=tone)
        else:
            d.polygon(
                _rotated_box(x, y, r * rng.uniform(0.5, 1.5), r * rng.uniform(0.3, 1.0), rng.uniform(0, np.pi)), tone
            )
    return np.asarray(image.filter(ImageFilter.GaussianBlur(rng.uniform(0, 1.2))), dtype=np.float32)


def _granular(rng: np.random.Generator) -> np.ndarray:
    """Gravel, sand or grass: fine grain, specks and (for grass) short blades leaning one way."""
    base = rng.uniform(50, 200)
    grain = rng.standard_normal((H, W)).astype(np.float32)
    grain = np.asarray(
        Image.fromarray(np.clip(128 + 40 * grain, 0, 255).astype(np.uint8)).filter(
            ImageFilter.GaussianBlur(rng.uniform(0.3, 2.0))
        ),
        dtype=np.float32,
    )
    image = base + rng.uniform(1.0, 2.5) * (grain - 128) + rng.uniform(5, 25) * smooth_noise(rng, 8)
    canvas = Image.fromarray(np.clip(image, 0, 255).astype(np.uint8))
    d = ImageDraw.Draw(canvas)
    if rng.random() < 0.5:  # grass blades
        lean = rng.uniform(-0.5, 0.5)
        for _ in range(int(rng.integers(300, 1200))):
            x, y = rng.uniform(0, W), rng.uniform(0, H)
            length = rng.uniform(3, 12)
            angle = lean + rng.normal(0, 0.3)
            d.line([(x, y), (x + length * np.sin(angle), y - length * np.cos(angle))], fill=int(rng.uniform(10, 245)))
    else:  # pebbles
        for _ in range(int(rng.integers(100, 500))):
            x, y, r = rng.uniform(0, W), rng.uniform(0, H), rng.uniform(0.8, 4)
            d.ellipse([x - r, y - r * rng.uniform(0.6, 1), x + r, y + r], fill=int(rng.uniform(10, 245)))
    return np.asarray(canvas, dtype=np.float32)


def _tiles(rng: np.random.Generator) -> np.ndarray:
    """A wall of bricks or tiles, or rows of round things (coins, buttons, plates), seen at a slant."""
    ground, face = rng.uniform(20, 235, 2)
    image = Image.new("L", (W * 2, H * 2), int(ground))
    d = ImageDraw.Draw(image)
    w = rng.uniform(12, 50)
    h = w * (rng.uniform(0.3, 0.6) if rng.random() < 0.6 else 1.0)
    gap = rng.uniform(1.5, 5)
    rounds = rng.random() < 0.35
    for row, y in enumerate(np.arange(-h, 2 * H + h, h + gap)):
        shift = (row % 2) * w / 2 if rng.random() < 0.9 else 0.0
        for x in np.arange(-w - shift, 2 * W + w, w + gap):
            tone = int(np.clip(face + rng.normal(0, 18), 0, 255))
            if rounds:
                r = min(w, h) * rng.uniform(0.3, 0.48)
                d.ellipse([x + w / 2 - r, y + h / 2 - r, x + w / 2 + r, y + h / 2 + r], fill=tone)
            else:
                d.rectangle([x, y, x + w, y + h], fill=tone)
    angle = float(rng.uniform(-30, 30))
    skew = (1, rng.uniform(-0.4, 0.4), 0, rng.uniform(-0.2, 0.2), 1, 0)
    image = image.transform(image.size, Image.Transform.AFFINE, skew).rotate(angle)
    return np.asarray(image.crop((W // 2, H // 2, W // 2 + W, H // 2 + H)), dtype=np.float32)


def _print(rng: np.random.Generator) -> np.ndarray:
    """A page of printed lines or handwriting, at a slant."""
    paper, ink = rng.uniform(150, 250), rng.uniform(0, 90)
    if rng.random() < 0.3:
        paper, ink = ink, paper  # light on dark: a sign, a screen
    image = Image.new("L", (W * 2, H * 2), int(paper))
    d = ImageDraw.Draw(image)
    size = float(rng.uniform(8, 26))
    font = ImageFont.load_default(size)
    handwriting = rng.random() < 0.3
    for y in np.arange(rng.uniform(0, size), 2 * H, size * rng.uniform(1.2, 1.8)):
        if handwriting:
            x = rng.uniform(0, 20)
            while x < 2 * W:
                points = [(x + i * size * 0.25, y + size * 0.5 * np.sin(i * rng.uniform(1, 3))) for i in range(8)]
                d.line(points, fill=int(ink), width=max(1, int(size / 10)))
                x += size * 2.5
        else:
            text = "".join(rng.choice(list(LETTERS + " " * 12), size=int(3 * W / size)))
            d.text((rng.uniform(-10, 10), y), text, fill=int(ink), font=font)
    image = image.rotate(float(rng.uniform(-20, 20)), fillcolor=int(paper))
    return np.asarray(image.crop((W // 2, H // 2, W // 2 + W, H // 2 + H)), dtype=np.float32)


def _sky(rng: np.random.Generator) -> np.ndarray:
    """A dark sky with stars of every brightness, or bright dots on any plain surface."""
    dark = rng.uniform(0, 60)
    image = Image.new("L", (W, H), int(dark))
    d = ImageDraw.Draw(image)
    for _ in range(int(rng.integers(50, 600))):
        x, y = rng.uniform(0, W), rng.uniform(0, H)
        r = rng.pareto(2.5) * 0.6 + 0.3
        d.ellipse([x - r, y - r, x + r, y + r], fill=int(rng.uniform(dark + 30, 255)))
    return np.asarray(image.filter(ImageFilter.GaussianBlur(rng.uniform(0, 1.0))), dtype=np.float32)


def _dish(rng: np.random.Generator) -> np.ndarray:
    """A plain surface with one large round thing seen close: a cup on a saucer, a dial, a planet."""
    image = Image.fromarray(
        np.clip(rng.uniform(30, 220) + rng.uniform(5, 30) * smooth_noise(rng, 5), 0, 255).astype(np.uint8)
    )
    d = ImageDraw.Draw(image)
    cx, cy = rng.uniform(0.3, 0.7) * W, rng.uniform(0.3, 0.7) * H
    r = rng.uniform(0.25, 0.6) * H
    squash = rng.uniform(0.6, 1.0)
    for ring in range(int(rng.integers(1, 5))):  # rim, inner rims, a fill
        k = 1 - ring * rng.uniform(0.1, 0.3)
        if k <= 0.1:
            break
        d.ellipse([cx - r * k, cy - r * k * squash, cx + r * k, cy + r * k * squash], fill=int(rng.uniform(0, 255)))
    if rng.random() < 0.5:  # marks or hands of a dial, craters of a moon
        for _ in range(int(rng.integers(3, 13))):
            a, k = rng.uniform(0, 2 * np.pi), rng.uniform(0.2, 0.9)
            x, y = cx + r * k * np.cos(a), cy + r * k * squash * np.sin(a)
            s = rng.uniform(1, 0.15 * r)
            d.ellipse([x - s, y - s, x + s, y + s], fill=int(rng.uniform(0, 255)))
    if rng.random() < 0.4:  # a handle
        side = rng.choice([-1, 1])
        d.ellipse(
            [cx + side * r * 0.9 - r * 0.25, cy - r * 0.2, cx + side * r * 0.9 + r * 0.25, cy + r * 0.3],
            outline=int(rng.uniform(0, 255)),
            width=max(2, int(r * 0.08)),
        )
    return np.asarray(image.filter(ImageFilter.GaussianBlur(rng.uniform(0, 1.5))), dtype=np.float32)


def _rotated_box(x: float, y: float, half_w: float, half_h: float, angle: float) -> list[tuple[float, float]]:
    c, s = np.cos(angle), np.sin(angle)
    return [
        (x + c * dx - s * dy, y + s * dx + c * dy)
        for dx, dy in ((-half_w, -half_h), (half_w, -half_h), (half_w, half_h), (-half_w, half_h))
    ]
