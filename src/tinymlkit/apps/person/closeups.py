"""Close-up views for the built-in person scenes: a person's head and shoulders filling the view, and its near
misses, an animal's face close up.

Real photos of people are mostly taken close: a face and shoulders, not a whole small figure. A face is an oval
with eyes, brows, nose and mouth in fixed proportions, hair on top, ears at the sides, on a neck above shoulders
that are about three faces wide. An animal's face has eyes too, so the near miss keeps them and changes what a
person has and it has not: ears on top of the head, a muzzle, whiskers, fur, and no shoulders under it.
"""

import numpy as np

from tinymlkit.apps.person.canvas import CROP_LEFT, Canvas, H, contrasting, lit, texture
from tinymlkit.apps.person.textures import busy_fabric

BUSY = 0.35  # share of clothes as busy as a photo-like surface


def head_and_shoulders(canvas: Canvas, rng: np.random.Generator, photos: bool = True) -> float:
    """Paint a person seen close (face 20-55 % of the view's height) in the camera's central square; return the
    visible height of the person in frame pixels. ``photos``: busy clothes may be cut from installed photos."""
    face_h = H * rng.uniform(0.2, 0.55)
    face_w = face_h * rng.uniform(0.68, 0.8)
    cx = CROP_LEFT + H * rng.uniform(0.3, 0.7)
    cy = H * rng.uniform(0.25, 0.55)
    turn = rng.uniform(-0.35, 0.35)  # the features shift to one side as the head turns
    chin = cy + face_h / 2
    shoulder_y = chin + face_h * rng.uniform(0.25, 0.45)
    shoulders = face_w * rng.uniform(1.3, 1.9) * (1 - abs(turn) * 0.5)
    behind = canvas.behind(canvas.mask(lambda d: d.rectangle([cx - face_w, cy - face_h, cx + face_w, H], fill=1)))
    skin, clothes = contrasting(rng, behind), contrasting(rng, behind)
    body_x = cx - turn * face_w * 0.4

    def body(d):
        d.rounded_rectangle(
            [body_x - shoulders, shoulder_y, body_x + shoulders, H + face_h],
            radius=face_w * rng.uniform(0.4, 0.8),
            fill=1,
        )
        if rng.random() < 0.3:  # an arm raised: a hand near the face, a phone, a wave
            side = rng.choice([-1, 1])
            d.line(
                [(body_x + side * shoulders * 0.8, H), (cx + side * face_w * rng.uniform(0.6, 1.3), chin)],
                fill=1,
                width=int(face_w * 0.35),
            )

    canvas.paint(canvas.mask(body), busy_fabric(rng, clothes, photos) if rng.random() < BUSY else texture(rng, clothes))
    if rng.random() < 0.5:  # a collar or neckline
        canvas.shape(
            "polygon",
            [(cx - face_w * 0.3, shoulder_y), (cx + face_w * 0.3, shoulder_y), (cx, shoulder_y + face_h * 0.35)],
            skin,
        )
    canvas.shape("rectangle", [cx - face_w * 0.22, chin - face_h * 0.1, cx + face_w * 0.22, shoulder_y + 2], skin)
    for side in (-1, 1):  # ears
        ex = cx + side * face_w * (0.5 - turn * side * 0.15)
        canvas.shape("ellipse", [ex - face_w * 0.09, cy - face_h * 0.1, ex + face_w * 0.09, cy + face_h * 0.12], skin)
    canvas.shape("ellipse", [cx - face_w / 2, cy - face_h / 2, cx + face_w / 2, chin], lit(rng, skin, cx, cy, face_w))
    hair = contrasting(rng, skin, 30)
    if rng.random() < 0.85:
        long = rng.random() < 0.4
        top = cy - face_h * rng.uniform(0.55, 0.7)

        def draw_hair(d):
            d.pieslice(
                [cx - face_w * 0.56, top, cx + face_w * 0.56, cy + face_h * rng.uniform(0.0, 0.3)], 180, 360, fill=1
            )
            if long:
                for side in (-1, 1):
                    x = cx + side * face_w * 0.5
                    d.rectangle(
                        [
                            min(x, x + side * face_w * 0.25),
                            cy - face_h * 0.2,
                            max(x, x + side * face_w * 0.25),
                            shoulder_y + face_h * 0.3,
                        ],
                        fill=1,
                    )

        canvas.paint(canvas.mask(draw_hair), texture(rng, hair) if rng.random() < 0.3 else hair)
    _face(canvas, rng, cx + turn * face_w * 0.3, cy, face_w, face_h, skin)
    return float(H - (cy - face_h * 0.6))


def _face(canvas: Canvas, rng: np.random.Generator, cx: float, cy: float, w: float, h: float, skin: float) -> None:
    """Brows, eyes, nose and mouth in a face's proportions: eyes halfway down, mouth two thirds of the way."""
    dark = skin - np.sign(skin - 100) * rng.uniform(50, 110)
    eye_y, eye_dx = cy - h * 0.02, w * rng.uniform(0.19, 0.24)
    eye_r = w * rng.uniform(0.05, 0.08)
    glasses = rng.random() < 0.15
    for side in (-1, 1):
        x = cx + side * eye_dx
        canvas.shape("ellipse", [x - eye_r * 1.4, eye_y - eye_r * 0.7, x + eye_r * 1.4, eye_y + eye_r * 0.7], dark)
        brow_y = eye_y - h * rng.uniform(0.08, 0.12)
        canvas.shape(
            "line",
            [(x - eye_r * 1.6, brow_y), (x + eye_r * 1.6, brow_y)],
            dark,
            width=max(1, int(h * 0.025)),
        )
        if glasses:
            canvas.shape(
                "ellipse",
                [x - eye_r * 2.3, eye_y - eye_r * 1.8, x + eye_r * 2.3, eye_y + eye_r * 1.8],
                dark,
            )
            canvas.shape("ellipse", [x - eye_r * 1.9, eye_y - eye_r * 1.4, x + eye_r * 1.9, eye_y + eye_r * 1.4], skin)
            canvas.shape("ellipse", [x - eye_r * 1.4, eye_y - eye_r * 0.7, x + eye_r * 1.4, eye_y + eye_r * 0.7], dark)
    shade = skin - np.sign(skin - 100) * rng.uniform(20, 45)
    canvas.shape(
        "polygon", [(cx, eye_y + h * 0.02), (cx - w * 0.07, cy + h * 0.2), (cx + w * 0.05, cy + h * 0.21)], shade
    )
    mouth_y = cy + h * rng.uniform(0.3, 0.34)
    open_ = rng.uniform(0.01, 0.05) * h
    canvas.shape("ellipse", [cx - w * 0.18, mouth_y - open_, cx + w * 0.18, mouth_y + open_], dark)


def animal_face(canvas: Canvas, rng: np.random.Generator) -> None:
    """Paint a cat's or dog's face seen close, with its body behind: eyes like a person's, but ears on top of the
    head, a muzzle, whiskers, fur all over and no shoulders."""
    r = H * rng.uniform(0.2, 0.45)
    cx, cy = CROP_LEFT + H * rng.uniform(0.3, 0.7), H * rng.uniform(0.3, 0.6)
    behind = canvas.behind(canvas.mask(lambda d: d.ellipse([cx - r, cy - r, cx + r, cy + r], fill=1)))
    fur = contrasting(rng, behind)
    coat = texture(rng, fur) if rng.random() < 0.7 else fur
    cat = rng.random() < 0.6
    canvas.shape("ellipse", [cx - r * 1.6, cy + r * 0.2, cx + r * 1.4, H + r], coat)  # the body, lying or sitting
    if cat:
        ears = [
            [(cx + s * r * 0.85, cy - r * 0.3), (cx + s * r * 0.75, cy - r * 1.25), (cx + s * r * 0.2, cy - r * 0.8)]
            for s in (-1, 1)
        ]
    else:  # floppy ears hanging at the sides
        ears = [
            [(cx + s * r * 0.7, cy - r * 0.7), (cx + s * r * 1.25, cy + r * 0.3), (cx + s * r * 0.85, cy + r * 0.6)]
            for s in (-1, 1)
        ]
    for ear in ears:
        canvas.shape("polygon", ear, coat)
    canvas.shape("ellipse", [cx - r, cy - r * 0.9, cx + r, cy + r * 0.85], coat)
    light = contrasting(rng, fur, 25)
    canvas.shape("ellipse", [cx - r * 0.45, cy + r * 0.1, cx + r * 0.45, cy + r * 0.7], light)  # the muzzle
    dark = fur - np.sign(fur - 110) * rng.uniform(60, 110)
    for s in (-1, 1):
        x, y, e = cx + s * r * 0.4, cy - r * 0.15, r * rng.uniform(0.13, 0.2)
        canvas.shape("ellipse", [x - e, y - e * 0.8, x + e, y + e * 0.8], contrasting(rng, fur, 40))
        canvas.shape("ellipse", [x - e * 0.3, y - e * 0.8, x + e * 0.3, y + e * 0.8], dark)  # slit or round pupil
    canvas.shape("polygon", [(cx - r * 0.12, cy + r * 0.15), (cx + r * 0.12, cy + r * 0.15), (cx, cy + r * 0.3)], dark)
    if cat or rng.random() < 0.3:
        for s in (-1, 1):
            for k in (-1, 0, 1):
                canvas.shape(
                    "line",
                    [(cx + s * r * 0.25, cy + r * 0.35), (cx + s * r * 1.1, cy + r * (0.3 + 0.15 * k))],
                    contrasting(rng, fur, 40),
                    width=1,
                )
