"""Built-in person-detection data: procedurally drawn grayscale scenes, with and without a person figure.

These are synthetic scenes, not photographs. They exist so that the whole pipeline (camera path, training, int8
in TFLM, deployment) runs offline in minutes, and they are drawn to carry over to photos as far as drawings can
(docs/real_world.md measures how far). Each scene is a 176x144 camera frame: half of them a busy, photo-like
surface (overlapping shapes of every size, gravel and grass, bricks and rows of coins, print, a night sky, a dish
seen close: :mod:`tinymlkit.apps.person.textures`), the others a lit backdrop with clutter (buildings, windows,
blobs, lines); then objects that are not people and, for the ``person`` class, a person.

What makes a figure a person is its structure, not a cue such as brightness or detail: seen whole or from the
waist or knees up, a head on a neck above a torso, two arms and two legs, each of two segments, in human
proportions (head about 1/7.5 of the height, legs about half) and in a varied pose (standing, walking, arms raised
or bent, leaning, seen from the front or the side), at varied scale and position, in clothes whose brightness and
texture come from the same distribution as the objects'; seen close, a face (eyes, brows, nose, mouth, hair, ears)
on a neck above shoulders (:mod:`tinymlkit.apps.person.closeups`). The objects include near misses: an animal's
face seen close (eyes, but ears on top, a muzzle, whiskers, no shoulders), a four-legged animal (head, body and
legs, but horizontal), a coat on a stand (a torso without head or limbs), a snowman-like stack, a lamp post with a
round top, trees, plants with branching stems, chairs, tables, cars, bottles and boxes. Both classes hold the same
number of things on average (a person scene has one object fewer), every thing contrasts with what is behind it by
the same rule, people may be partly hidden behind an object (never the head), and the whole frame then gets
lighting gradients, vignetting, gamma, blur and sensor noise. Every scene comes from its own seed, so a scene set
is the same on every machine.
"""

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from PIL import Image, ImageChops, ImageDraw

from tinymlkit.apps.person.canvas import CROP_LEFT, XX, YY, Canvas, H, W, contrasting, smooth_noise, texture
from tinymlkit.apps.person.closeups import BUSY, animal_face, head_and_shoulders
from tinymlkit.apps.person.textures import busy_fabric, photo_background

_RADIUS2 = (((XX - W / 2) / (W / 2)) ** 2 + ((YY - H / 2) / (H / 2)) ** 2) / 2
PERSON_HEIGHT = (72.0, 140.0)  # frame pixels (the camera keeps 144 rows): half the view to all of it
MEDIUM_HEIGHT = (150.0, 320.0)  # a person seen from the waist or the knees up: taller than the view
PHOTO_LIKE = 0.5  # share of scenes on a photo-like busy background
CLOSE = 0.3  # share of people seen close (head and shoulders), and of empty scenes with an animal's face close
MEDIUM = 0.25  # share of people seen from the waist or the knees up
SOFT = 0.15  # share of frames out of focus or scaled up from a small picture
OBJECT_SIZE = (45.0, 130.0)
OCCLUDED = 0.1  # share of people partly hidden
CLUTTER = 3  # at most this many background shapes
KINDS = ("tree", "lamp", "chair", "table", "animal", "bottle", "car", "snowman", "coat", "plant", "box", "ball")


@dataclass
class Scene:
    """One rendered scene: the camera frame and what is in it."""

    frame: np.ndarray  # (144, 176) uint8
    person: bool
    people: int
    height: float  # height of the (first) person in frame pixels (below the frame too), 0 without one
    occluded: bool
    objects: str  # the distractor kinds, comma-separated
    background: str = "backdrop"  # "backdrop" (lit, with clutter) or the kind of photo-like surface
    view: str = ""  # how the person is seen: "close", "medium" (waist or knees up) or "whole"; "" without one


def _background(rng: np.random.Generator) -> Canvas:
    """Sky/wall and ground tones split at a horizon, smooth shading, then clutter: buildings, windows, blobs."""
    top, bottom = rng.uniform(30, 225, 2)
    horizon = rng.uniform(0.2, 0.8) * H + (XX - W / 2) * rng.uniform(-0.3, 0.3)
    image = np.where(YY < horizon, top, bottom).astype(np.float32)
    image += rng.uniform(5, 30) * smooth_noise(rng, int(rng.integers(3, 9)))
    canvas = Canvas(image)
    for _ in range(int(rng.integers(1, CLUTTER + 1))):
        x0, y0 = rng.uniform(-20, W), rng.uniform(-20, H)
        w, h = rng.uniform(8, 80), rng.uniform(8, 90)
        tone = float(rng.uniform(20, 235))
        shape = rng.integers(0, 4)
        if shape == 0:  # a building with a grid of windows
            canvas.shape("rectangle", [x0, y0, x0 + w, y0 + h], tone)
            win = contrasting(rng, tone, 20)
            step = rng.uniform(6, 14)
            size = step * rng.uniform(0.3, 0.7)

            def windows(d, x0=x0, y0=y0, w=w, h=h, step=step, size=size):
                for wx in np.arange(x0 + 2, x0 + w - size, step):
                    for wy in np.arange(y0 + 2, y0 + h - size, step):
                        d.rectangle([wx, wy, wx + size, wy + size], fill=1)

            canvas.paint(Canvas.mask(windows), win)
        elif shape == 1:  # a blob
            canvas.shape("ellipse", [x0, y0, x0 + w, y0 + h * 0.6], tone)
        elif shape == 2:  # a line: a wire, a kerb, a shelf edge
            x1, y1 = rng.uniform(0, W), rng.uniform(0, H)
            width = int(rng.integers(1, 4))
            canvas.shape("line", [x0, y0, x1, y1], tone, width=width)
        else:  # a slab with a texture
            canvas.shape("rectangle", [x0, y0, x0 + w, y0 + h * 0.4], texture(rng, tone))
    return canvas


def _segment(d: ImageDraw.ImageDraw, a: tuple[float, float], b: tuple[float, float], width: float) -> None:
    """A limb: a thick line with rounded ends."""
    w = max(1, int(round(width)))
    d.line([a, b], fill=1, width=w)
    for x, y in (a, b):
        d.ellipse([x - width / 2, y - width / 2, x + width / 2, y + width / 2], fill=1)


def _limb(start: tuple[float, float], angle: float, bend: float, upper: float, lower: float):
    """Joint and end points of a two-segment limb hanging at ``angle`` (radians from straight down)."""
    joint = (start[0] + upper * np.sin(angle), start[1] + upper * np.cos(angle))
    end = (joint[0] + lower * np.sin(angle + bend), joint[1] + lower * np.cos(angle + bend))
    return joint, end


def _person(
    canvas: Canvas, rng: np.random.Generator, cx: float, foot: float, height: float, photos: bool = True
) -> Image.Image:
    """Draw a human figure standing on ``foot`` at ``cx``; return its mask (for occlusion).

    One function on purpose: the body parts share the figure's proportions and pose, and the random draws happen
    in one fixed order, which keeps the built-in scenes (and so the published figures) the same for a seed.
    """
    u = height
    side = rng.random() < 0.25  # seen from the side: narrow shoulders, limbs swing in depth
    lean = rng.normal(0, 0.08)
    head_r = u * rng.uniform(0.058, 0.07)
    leg_len = u * rng.uniform(0.45, 0.5)
    hip = (cx, foot - leg_len)
    torso_len = u * rng.uniform(0.28, 0.32)
    neck_y = foot - u + 2 * head_r + u * 0.01
    neck = (cx + np.sin(lean) * torso_len, hip[1] - np.cos(lean) * torso_len)
    neck = (neck[0], min(neck[1], neck_y + u * 0.05))
    shoulder_w = u * (rng.uniform(0.06, 0.09) if side else rng.uniform(0.11, 0.14))
    hip_w = u * (rng.uniform(0.05, 0.07) if side else rng.uniform(0.08, 0.1))
    head = (neck[0] + np.sin(lean) * head_r * 1.2, neck[1] - head_r * 1.15)
    arm_w, leg_w = u * rng.uniform(0.045, 0.06), u * rng.uniform(0.06, 0.08)

    pose = rng.integers(0, 4)  # 0 standing, 1 walking, 2 arms raised/waving, 3 arms bent (hands on hips, phone)
    arms = []
    for s in (-1, 1):
        if pose == 2 and (rng.random() < 0.7):
            angle, bend = s * rng.uniform(1.8, 2.9), s * rng.uniform(-0.6, 0.4)
        elif pose == 3:
            angle, bend = s * rng.uniform(0.3, 0.7), -s * rng.uniform(1.2, 2.2)
        elif pose == 1:
            angle, bend = s * 0.1 + rng.uniform(-0.6, 0.6), rng.uniform(-0.5, 0.1) * s
        else:
            angle, bend = s * rng.uniform(0.05, 0.35), s * rng.uniform(0.0, 0.4)
        arms.append((s, angle, bend))
    stride = rng.uniform(0.25, 0.5) if pose == 1 else rng.uniform(0.02, 0.18)
    legs = [(s, s * stride + rng.normal(0, 0.05), -s * rng.uniform(0, 0.35) if pose == 1 else 0.0) for s in (-1, 1)]

    skin = contrasting(
        rng,
        canvas.behind(
            canvas.mask(
                lambda d: d.ellipse([head[0] - head_r, head[1] - head_r, head[0] + head_r, head[1] + head_r], fill=1)
            )
        ),
    )
    shirt = contrasting(rng, canvas.at(cx, neck[1] + torso_len / 2))
    trousers = contrasting(rng, canvas.at(cx, foot - leg_len / 2), 18)
    upper_leg, lower_leg = leg_len * rng.uniform(0.48, 0.54), leg_len * rng.uniform(0.46, 0.52)

    def draw_legs(d):
        for s, angle, bend in legs:
            start = (hip[0] + s * hip_w * 0.5, hip[1])
            knee, ankle = _limb(start, angle, bend, upper_leg, lower_leg)
            _segment(d, start, knee, leg_w)
            _segment(d, knee, ankle, leg_w * 0.85)
            toe = s if side else s * 0.6
            d.line([ankle, (ankle[0] + toe * leg_w * 1.2, ankle[1])], fill=1, width=max(1, int(leg_w * 0.6)))
        d.polygon(
            [
                (hip[0] - hip_w, hip[1] - leg_w * 0.3),
                (hip[0] + hip_w, hip[1] - leg_w * 0.3),
                (hip[0] + hip_w * 0.6, hip[1] + leg_w),
                (hip[0] - hip_w * 0.6, hip[1] + leg_w),
            ],
            fill=1,
        )

    def draw_torso(d):
        d.polygon(
            [
                (neck[0] - shoulder_w, neck[1] + arm_w * 0.3),
                (neck[0] + shoulder_w, neck[1] + arm_w * 0.3),
                (hip[0] + hip_w, hip[1]),
                (hip[0] - hip_w, hip[1]),
            ],
            fill=1,
        )
        for s in (-1, 1):
            x = neck[0] + s * (shoulder_w - arm_w * 0.4)
            d.ellipse([x - arm_w * 0.7, neck[1], x + arm_w * 0.7, neck[1] + arm_w * 1.4], fill=1)

    sleeves = rng.random() < 0.5
    arm_parts = []
    for s, angle, bend in arms:
        start = (neck[0] + s * (shoulder_w - arm_w * 0.4), neck[1] + arm_w * 0.6)
        elbow, wrist = _limb(start, angle, bend, u * rng.uniform(0.15, 0.18), u * rng.uniform(0.14, 0.16))
        arm_parts.append((start, elbow, wrist))

    def draw_upper_arms(d):
        for start, elbow, wrist in arm_parts:
            _segment(d, start, elbow, arm_w)
            if sleeves:
                _segment(d, elbow, wrist, arm_w * 0.85)

    def draw_skin(d):
        for _start, elbow, wrist in arm_parts:
            if not sleeves:
                _segment(d, elbow, wrist, arm_w * 0.8)
            r = arm_w * 0.55
            d.ellipse([wrist[0] - r, wrist[1] - r, wrist[0] + r, wrist[1] + r], fill=1)
        d.line([neck, (head[0], head[1] + head_r * 0.5)], fill=1, width=max(1, int(head_r * 0.8)))
        ry = head_r * rng.uniform(1.1, 1.25)
        d.ellipse([head[0] - head_r, head[1] - ry, head[0] + head_r, head[1] + ry], fill=1)

    masks = []
    trousers_tone = texture(rng, trousers) if rng.random() < 0.3 else trousers
    shirt_tone = busy_fabric(rng, shirt, photos) if rng.random() < BUSY else texture(rng, shirt)
    back_arm = rng.random() < 0.5 and side
    for draw, tone in (
        (draw_legs, trousers_tone),
        (draw_torso, shirt_tone),
        (draw_upper_arms, shirt_tone),
        (draw_skin, skin),
    ):
        if back_arm and draw is draw_upper_arms:
            tone = shirt - np.sign(shirt - 128) * 25  # the far arm in shadow
        m = canvas.mask(draw)
        canvas.paint(m, tone)
        masks.append(m)
    if rng.random() < 0.7:  # hair or a hat
        hair = contrasting(rng, skin, 30)
        cut = rng.uniform(0.2, 0.9)
        hat = rng.random() < 0.25

        def draw_hair(d):
            if hat:
                d.rectangle(
                    [head[0] - head_r * 0.9, head[1] - head_r * 1.9, head[0] + head_r * 0.9, head[1] - head_r * 0.8],
                    fill=1,
                )
                d.rectangle(
                    [head[0] - head_r * 1.5, head[1] - head_r * 0.95, head[0] + head_r * 1.5, head[1] - head_r * 0.7],
                    fill=1,
                )
            else:
                d.pieslice(
                    [
                        head[0] - head_r * 1.05,
                        head[1] - head_r * 1.3,
                        head[0] + head_r * 1.05,
                        head[1] + head_r * (2 * cut - 1),
                    ],
                    180,
                    360,
                    fill=1,
                )

        m = canvas.mask(draw_hair)
        canvas.paint(m, hair)
        masks.append(m)
    union = masks[0]
    for m in masks[1:]:
        union = ImageChops.logical_or(union, m)
    return union


def _thing(canvas: Canvas, rng: np.random.Generator, kind: str, cx: float, base: float, size: float) -> None:
    """Draw one object that is not a person, standing on ``base`` at ``cx``, about ``size`` tall.

    One function on purpose: one short branch per kind of object, all drawing with the same tones, and the random
    draws in one fixed order, which keeps the built-in scenes (and so the published figures) the same for a seed.
    """
    s = size
    behind = canvas.at(cx, base - s / 2)
    tone = contrasting(rng, behind)
    second = contrasting(rng, behind)
    fill = texture(rng, tone) if rng.random() < 0.4 else tone
    parts: list[tuple[Callable, float | np.ndarray]] = []
    if kind == "tree":
        trunk_w = s * rng.uniform(0.06, 0.12)
        crown = s * rng.uniform(0.25, 0.4)
        parts.append((lambda d: d.rectangle([cx - trunk_w / 2, base - s * 0.6, cx + trunk_w / 2, base], fill=1), tone))

        def crown_draw(d):
            for _ in range(int(rng.integers(1, 4))):
                ox, oy = rng.normal(0, crown * 0.3, 2)
                d.ellipse([cx + ox - crown, base - s + oy, cx + ox + crown, base - s + oy + 2 * crown], fill=1)

        parts.append((crown_draw, texture(rng, second)))
    elif kind == "lamp":
        pole = max(1.5, s * rng.uniform(0.03, 0.06))
        r = s * rng.uniform(0.06, 0.12)
        round_top = rng.random() < 0.6

        def lamp(d):
            d.rectangle([cx - pole / 2, base - s + r, cx + pole / 2, base], fill=1)
            if round_top:
                d.ellipse([cx - r, base - s, cx + r, base - s + 2 * r], fill=1)
            else:
                d.rectangle([cx - r * 2, base - s, cx + r * 2, base - s + r * 1.5], fill=1)

        parts.append((lamp, tone))
    elif kind == "chair":
        w, leg = s * rng.uniform(0.35, 0.5), max(1.5, s * 0.05)

        def chair(d):
            d.rectangle([cx - w / 2, base - s * 0.5, cx + w / 2, base - s * 0.44], fill=1)
            d.rectangle([cx - w / 2, base - s, cx - w / 2 + leg * 1.5, base - s * 0.44], fill=1)
            for x in (cx - w / 2, cx + w / 2 - leg):
                d.rectangle([x, base - s * 0.5, x + leg, base], fill=1)

        parts.append((chair, tone))
    elif kind == "table":
        w, leg = s * rng.uniform(0.8, 1.4), max(1.5, s * 0.06)

        def table(d):
            d.rectangle([cx - w / 2, base - s * 0.55, cx + w / 2, base - s * 0.47], fill=1)
            for x in (cx - w / 2 + leg, cx + w / 2 - 2 * leg):
                d.rectangle([x, base - s * 0.5, x + leg, base], fill=1)

        parts.append((table, fill))
    elif kind == "animal":  # four legs, a horizontal body, a head on a neck, a tail
        body_l, body_h = s * rng.uniform(0.7, 1.0), s * rng.uniform(0.25, 0.35)
        leg_l = s * rng.uniform(0.3, 0.45)
        face = rng.choice([-1, 1])
        top = base - leg_l - body_h
        leg_w = max(1.5, s * 0.06)

        def animal(d):
            d.ellipse([cx - body_l / 2, top, cx + body_l / 2, top + body_h], fill=1)
            for x in np.linspace(cx - body_l * 0.38, cx + body_l * 0.38, 4) + rng.normal(0, s * 0.03, 4):
                _segment(d, (x, top + body_h * 0.7), (x + rng.normal(0, s * 0.05), base), leg_w)
            hx = cx + face * body_l * 0.55
            hr = s * rng.uniform(0.1, 0.14)
            _segment(d, (cx + face * body_l * 0.4, top + body_h * 0.3), (hx, top - hr * 0.5), s * 0.09)
            snout = (hr * 1.4, hr) if face > 0 else (hr, hr * 1.4)  # the head is longer towards the front
            d.ellipse([hx - snout[1], top - hr * 1.6, hx + snout[0], top + hr * 0.4], fill=1)
            _segment(
                d,
                (cx - face * body_l * 0.48, top + body_h * 0.3),
                (cx - face * body_l * 0.7, top - body_h * rng.uniform(-0.3, 0.6)),
                max(1.5, s * 0.03),
            )

        parts.append((animal, fill))
    elif kind == "bottle":
        w = s * rng.uniform(0.2, 0.35)

        def bottle(d):
            d.rounded_rectangle([cx - w / 2, base - s * 0.7, cx + w / 2, base], radius=w / 3, fill=1)
            d.rectangle([cx - w / 6, base - s, cx + w / 6, base - s * 0.65], fill=1)

        parts.append((bottle, fill))
    elif kind == "car":
        w, h = s * rng.uniform(1.2, 1.8), s * rng.uniform(0.35, 0.5)
        r = h * 0.3

        def car(d):
            d.rounded_rectangle([cx - w / 2, base - h - r * 0.5, cx + w / 2, base - r * 0.5], radius=r * 0.6, fill=1)
            d.polygon(
                [
                    (cx - w * 0.3, base - h - r * 0.5),
                    (cx - w * 0.18, base - h * 1.7),
                    (cx + w * 0.2, base - h * 1.7),
                    (cx + w * 0.32, base - h - r * 0.5),
                ],
                fill=1,
            )

        parts.append((car, fill))

        def wheels(d):
            for x in (cx - w * 0.3, cx + w * 0.3):
                d.ellipse([x - r, base - 2 * r, x + r, base], fill=1)

        parts.append((wheels, second))
    elif kind == "snowman":  # stacked round shapes: a head on a body without limbs
        r1, r2 = s * rng.uniform(0.25, 0.32), s * rng.uniform(0.13, 0.2)

        def snowman(d):
            d.ellipse([cx - r1, base - 2 * r1, cx + r1, base], fill=1)
            d.ellipse([cx - r2, base - 2 * r1 - 2 * r2 + 2, cx + r2, base - 2 * r1 + 2], fill=1)

        parts.append((snowman, fill))
    elif kind == "coat":  # a torso shape hanging on a stand: no head, no legs
        w = s * rng.uniform(0.2, 0.3)

        def coat(d):
            d.rectangle([cx - 1, base - s, cx + 1, base], fill=1)
            d.polygon(
                [
                    (cx - w, base - s * 0.85),
                    (cx + w, base - s * 0.85),
                    (cx + w * 0.8, base - s * 0.4),
                    (cx - w * 0.8, base - s * 0.4),
                ],
                fill=1,
            )
            d.rectangle([cx - w * 0.8, base - 2, cx + w * 0.8, base], fill=1)

        parts.append((coat, fill))
    elif kind == "plant":  # a stem with branching leaves
        stem_w = max(1.5, s * 0.03)
        branches = [
            (rng.uniform(0.2, 0.9), rng.choice([-1, 1]) * rng.uniform(0.5, 1.4), rng.uniform(0.15, 0.35))
            for _ in range(int(rng.integers(2, 6)))
        ]

        def plant(d):
            d.line([(cx, base), (cx, base - s)], fill=1, width=int(stem_w))
            for at, angle, length in branches:
                y = base - s * at
                end = (cx + np.sin(angle) * s * length, y - np.cos(angle) * s * length)
                d.line([(cx, y), end], fill=1, width=int(stem_w))
                d.ellipse([end[0] - s * 0.05, end[1] - s * 0.03, end[0] + s * 0.05, end[1] + s * 0.03], fill=1)
            d.polygon(
                [
                    (cx - s * 0.15, base - s * 0.15),
                    (cx + s * 0.15, base - s * 0.15),
                    (cx + s * 0.1, base),
                    (cx - s * 0.1, base),
                ],
                fill=1,
            )

        parts.append((plant, tone))
    elif kind == "box":
        w, h = s * rng.uniform(0.4, 1.0), s * rng.uniform(0.3, 0.8)
        parts.append((lambda d: d.rectangle([cx - w / 2, base - h, cx + w / 2, base], fill=1), fill))
    else:  # ball
        r = s * rng.uniform(0.12, 0.3)
        parts.append((lambda d: d.ellipse([cx - r, base - 2 * r, cx + r, base], fill=1), fill))
    for draw, t in parts:
        canvas.paint(canvas.mask(draw), t)


def _occluder(
    canvas: Canvas, rng: np.random.Generator, person: Image.Image, cx: float, height: float, foot: float
) -> bool:
    """Hide part of a person's body (never the head) behind a wall, a counter, a bush or a post."""
    shoulder = foot - height * 0.78
    kind = rng.integers(0, 3)
    behind = canvas.behind(person)
    tone = contrasting(rng, behind)
    if kind == 0:  # a counter or wall in front of the lower body
        top = rng.uniform(shoulder + height * 0.25, foot - height * 0.15)
        box = [cx - height * rng.uniform(0.3, 1.0), top, cx + height * rng.uniform(0.3, 1.0), max(H + 5, top + 2)]
        canvas.paint(canvas.mask(lambda d: d.rectangle(box, fill=1)), texture(rng, tone))
    elif kind == 1:  # a bush
        r = height * rng.uniform(0.2, 0.3)
        y = foot - r * rng.uniform(0.6, 1.2)
        x = cx + rng.uniform(-0.2, 0.2) * height
        canvas.paint(
            canvas.mask(lambda d: d.ellipse([x - r * 1.3, y - r, x + r * 1.3, y + r], fill=1)), texture(rng, tone)
        )
    else:  # a post or door frame at one side
        w = height * rng.uniform(0.06, 0.12)
        x = cx + rng.choice([-1, 1]) * height * rng.uniform(0.04, 0.12)
        canvas.paint(
            canvas.mask(lambda d: d.rectangle([x - w / 2, shoulder + height * 0.05, x + w / 2, H + 5], fill=1)), tone
        )
    return True


def _finish(frame: Image.Image, rng: np.random.Generator) -> np.ndarray:
    """Lighting, vignetting, gamma, defocus and sensor noise: the camera's part."""
    from PIL import ImageFilter

    blur = rng.uniform(0, 1.0) if rng.random() > SOFT else rng.uniform(1.2, 2.5)  # in focus, or soft
    if blur > 0.4:
        frame = frame.filter(ImageFilter.GaussianBlur(blur))
    a = rng.uniform(0, 2 * np.pi)
    light = 1 + rng.uniform(0, 0.35) * ((XX - W / 2) * np.cos(a) + (YY - H / 2) * np.sin(a)) / (W / 2)
    vignette = 1 - rng.uniform(0, 0.35) * _RADIUS2
    image = np.asarray(frame, dtype=np.float32) * (light * vignette * rng.uniform(0.7, 1.25)) + rng.uniform(-25, 25)
    image = 255 * (np.clip(image, 0, 255) / 255) ** np.float32(rng.uniform(0.7, 1.4))
    image += rng.standard_normal(image.shape, dtype=np.float32) * np.float32(rng.uniform(1.0, 6.0))
    return np.clip(np.round(image), 0, 255).astype(np.uint8)


def render_scene(seed: int | list[int], person: bool, photos: bool = True) -> Scene:
    """The scene drawn from ``seed``, with a person (in the central square the camera keeps) or without one.

    Half the scenes are drawn on a photo-like busy background (:mod:`tinymlkit.apps.person.textures`), the others
    on a lit backdrop with clutter. A person is seen close (head and shoulders, :mod:`tinymlkit.apps.person.closeups`),
    from the waist or knees up, or whole; an empty scene has, as often as a person is seen close, an animal's
    face close instead.
    """
    rng = np.random.default_rng(seed)
    background = "backdrop"
    if rng.random() < PHOTO_LIKE:
        image, background = photo_background(rng, photos)
        canvas = Canvas(image)
    else:
        canvas = _background(rng)
    view = rng.random()  # drawn for both classes, so both have the same things behind
    things = int(rng.integers(0 if view < CLOSE else 1, 6)) - (1 if person else 0)
    horizon_base = rng.uniform(0.55, 1.0) * H
    kinds = [str(k) for k in rng.choice(KINDS, size=max(things, 0))]
    for kind in kinds:
        size = float(np.exp(rng.uniform(*np.log(OBJECT_SIZE))))
        cx = rng.uniform(-10, W + 10)
        base = min(H + size * 0.2, horizon_base + rng.uniform(-0.25, 0.3) * H)
        _thing(canvas, rng, kind, cx, base, size)
    people, first, occluded = 0, 0.0, False
    if person and view < CLOSE:
        people, first = 1, head_and_shoulders(canvas, rng, photos)
    elif person:
        people = 1 + int(rng.random() < 0.15)
        for i in range(people):
            if i == 0 and view < CLOSE + MEDIUM:  # the legs, or the legs and hips, out of view below
                height = float(np.exp(rng.uniform(*np.log(MEDIUM_HEIGHT))))
                foot = height + rng.uniform(3, 0.45 * H)
                foot = max(foot, H + 1)
            else:
                height = float(np.exp(rng.uniform(*np.log(PERSON_HEIGHT))))
                foot = rng.uniform(height + 3, min(H + height * 0.3, H + 40) + 1e-3)
                foot = max(foot, height + 3)
            cx = CROP_LEFT + rng.uniform(0.12, 0.88) * H
            mask = _person(canvas, rng, cx, foot, height, photos)
            if i == 0:
                first = height
                if rng.random() < OCCLUDED:
                    occluded = _occluder(canvas, rng, mask, cx, height, foot)
    elif view < CLOSE:
        animal_face(canvas, rng)
        kinds.append("animal face")
    seen = "" if not person else "close" if view < CLOSE else "medium" if view < CLOSE + MEDIUM else "whole"
    frame = _finish(canvas.image, rng)
    return Scene(frame, person, people, round(first, 1), occluded, ",".join(kinds), background, seen)


# --- scene sets -------------------------------------------------------------------------------------------------

SYNTH_VERSION = 2  # bump when the drawings change, so cached scene sets are made again


def scene_seed(seed: int, index: int) -> list[int]:
    """The random seed of scene ``index`` of the set made with ``seed``."""
    return [seed, index]


def _render_range(seed: int, start: int, stop: int, photos: bool = True) -> tuple[np.ndarray, list[Scene]]:
    """Scenes ``start``..``stop`` (odd ones with a person) and their 96x96 model images (camera path applied)."""
    from tinymlkit.apps.person.camera import camera_crop

    scenes = [render_scene(scene_seed(seed, i), i % 2 == 1, photos) for i in range(start, stop)]
    return camera_crop(np.stack([s.frame for s in scenes])), scenes


def render_scenes(
    count: int, seed: int = 0, progress=None, workers: int | None = None, frames: bool = False, photos: bool = True
) -> tuple[np.ndarray, list[Scene]]:
    """``count`` scenes, half with a person, drawn in up to ``workers`` processes (default: one per CPU, at most 4).

    Returns the 96x96 model images (after the camera path) and the scenes; ``frames`` keeps each scene's 176x144
    frame (otherwise dropped to save memory).
    """
    import os

    from tinymlkit.progress import ProgressEvent, silent
    from tinymlkit.workers import process_pool

    progress = progress or silent
    chunk = 250
    starts = list(range(0, count, chunk))
    workers = workers or min(4, os.cpu_count() or 1)
    images, scenes = [], []
    progress(ProgressEvent("Drawing synthetic scenes", 0, count))

    def keep(result: tuple[np.ndarray, list[Scene]]) -> None:
        imgs, part = result
        if not frames:
            for s in part:
                s.frame = np.zeros((0, 0), dtype=np.uint8)
        images.append(imgs)
        scenes.extend(part)
        progress(ProgressEvent("Drawing synthetic scenes", len(scenes), count))

    if workers <= 1 or count <= chunk:
        for start in starts:
            keep(_render_range(seed, start, min(start + chunk, count), photos))
    else:
        with process_pool(workers) as pool:
            for result in pool.map(
                _render_range,
                [seed] * len(starts),
                starts,
                [min(s + chunk, count) for s in starts],
                [photos] * len(starts),
            ):
                keep(result)
    return np.concatenate(images) if images else np.zeros((0, 96, 96), np.uint8), scenes


def _columns(scenes: list[Scene]) -> dict[str, np.ndarray]:
    return {
        "people": np.array([s.people for s in scenes]),
        "person_height": np.array([s.height for s in scenes]),
        "occluded": np.array([s.occluded for s in scenes]),
        "objects": np.array([s.objects for s in scenes]),
        "background": np.array([s.background for s in scenes]),
        "view": np.array([s.view for s in scenes]),
    }


def synthesize_person_scenes(root: str | Path, count: int, seed: int = 0, progress=None, photos: bool = True) -> Path:
    """Draw the built-in scene set into ``root/scenes.npz``: model images, labels, splits and what each shows;
    ``photos`` False leaves out the installed background photos (the set of a machine without them)."""
    from tinymlkit.errors import TinyMLError
    from tinymlkit.fileio import building_dir

    if count < 40:
        raise TinyMLError(f"{count} scenes are too few to train and test on; use at least 40")
    images, scenes = render_scenes(count, seed, progress, photos=photos)
    root = Path(root)
    with building_dir(root) as tmp:
        np.savez(tmp / "scenes.npz", images=images, y=np.array([int(s.person) for s in scenes]), **_columns(scenes))
    return root


def load_scenes(root: str | Path):
    """The scene set in ``root/scenes.npz`` as a :class:`Dataset` (a scene's split is a hash of its number)."""
    from tinymlkit.apps.person.data import LABELS
    from tinymlkit.data.dataset import Dataset
    from tinymlkit.data.split import split_of

    with np.load(Path(root) / "scenes.npz") as f:
        stored = {k: f[k] for k in f.files}
    names = np.array([f"scene{i:06d}" for i in range(len(stored["y"]))])
    meta = {k: v for k, v in stored.items() if k not in ("images", "y")}
    return Dataset(
        x=stored["images"],
        y=stored["y"].astype(np.int64),
        labels=list(LABELS),
        split=np.array([split_of(n) for n in names]),
        group=names,
        meta=meta,
        extras={"format": "synthetic scenes"},
    )


def write_scene_folder(out: str | Path, count: int, seed: int = 0, progress=None, force: bool = False) -> str:
    """Write ``count`` scenes as an image folder: ``person/`` and ``no_person/`` PNG camera frames (176x144),
    ``validation_list.txt``, ``testing_list.txt`` and ``metadata.csv``. Returns a one-line summary."""
    from tinymlkit.data.split import split_of
    from tinymlkit.fileio import building_dir, check_output_dir
    from tinymlkit.validate import check_number

    check_number("--scenes", count, 2, 1_000_000, integer=True, why="larger sets do not fit in memory")
    check_number("--seed", seed, 0, 2**32 - 1, integer=True)
    out = check_output_dir(Path(out), force)
    _, scenes = render_scenes(count, seed, progress, frames=True)
    lists: dict[str, list[str]] = {"validation": [], "test": []}
    rows = ["path,label,people,person_height,occluded,objects,background,view"]
    with building_dir(out, force) as tmp:
        for sub in ("person", "no_person"):
            (tmp / sub).mkdir()
        for i, s in enumerate(scenes):
            rel = f"{'person' if s.person else 'no_person'}/scene{i:06d}.png"
            Image.fromarray(s.frame).save(tmp / rel)
            split = split_of(f"scene{i:06d}")
            if split in lists:
                lists[split].append(rel)
            rows.append(
                f'{rel},{int(s.person)},{s.people},{s.height},{int(s.occluded)},"{s.objects}",{s.background},{s.view}'
            )
        (tmp / "validation_list.txt").write_text("\n".join(lists["validation"]) + "\n")
        (tmp / "testing_list.txt").write_text("\n".join(lists["test"]) + "\n")
        (tmp / "metadata.csv").write_text("\n".join(rows) + "\n")
        (tmp / "README.txt").write_text(
            "Synthetic scenes, not photographs: procedurally drawn 176x144 grayscale "
            "camera frames, made by TinyML Kit (tinyml person data).\n"
        )
    people = sum(s.person for s in scenes)
    return f"{count} synthetic scenes ({people} with a person) in {out}"
