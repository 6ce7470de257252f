"""Small offline data sets for the labs and the grader's hidden tests, from the toolkit and scikit-learn.

Everything here is made on the fly from a seed: no download, a few seconds on two cores. The grader draws its
hidden test data with seeds the learner never sees.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class Split:
    x_train: np.ndarray
    y_train: np.ndarray
    x_test: np.ndarray
    y_test: np.ndarray


def digits(test_fraction: float = 0.25, seed: int = 0) -> Split:
    """scikit-learn's bundled 8x8 hand-written digits (1,797 images, pixel values 0..16), split at random."""
    from sklearn.datasets import load_digits

    data = load_digits()
    rng = np.random.default_rng(seed)
    order = rng.permutation(len(data.target))
    cut = int(len(order) * (1 - test_fraction))
    images = data.images.astype(np.float32)
    return Split(images[order[:cut]], data.target[order[:cut]], images[order[cut:]], data.target[order[cut:]])


STROKE_GESTURES = ("0", "1", "2", "3", "4")


def stroke_images(users: int, repetitions: int, seed: int, gestures: tuple[str, ...] = STROKE_GESTURES):
    """Magic-wand stroke images (n, 32, 32, 3) uint8, coloured by time, and their labels (index in ``gestures``).

    Each synthetic user draws every gesture in their own style (size, slant, tilt, variant), as in the toolkit's
    wand data; the path is rasterized with the same integer code the board runs.
    """
    from tinymlkit.apps.wand.gestures import GESTURES
    from tinymlkit.apps.wand.raster import rasterize
    from tinymlkit.apps.wand.synth import gesture_path, make_user, user_variant

    rng = np.random.default_rng(seed)
    images, labels = [], []
    for u in range(users):
        user = make_user(u + 1000 * seed, rng)
        for label, gesture in enumerate(gestures):
            template = GESTURES[gesture][user_variant(user, gesture)]
            for _ in range(repetitions):
                path = gesture_path(template, user, rng)
                path = path - (path.max(axis=0) + path.min(axis=0)) / 2
                points = np.round(path / np.abs(path).max() * 127).astype(np.int8)
                images.append(rasterize(points[:: max(1, len(points) // 60)]))
                labels.append(label)
    return np.stack(images), np.array(labels)


def wake_word_scores(seconds: int, seed: int, rate: float = 0.1) -> tuple[np.ndarray, np.ndarray]:
    """Scores (0..1) a keyword detector gives each second of living-room audio, and whether the word was said.

    The wake word occurs in about ``rate`` of the seconds; the detector scores it higher, with the overlap a
    real detector has (a logistic of two overlapping normal distributions).
    """
    rng = np.random.default_rng(seed)
    said = (rng.random(seconds) < rate).astype(int)
    logits = rng.normal(np.where(said == 1, 2.0, -2.0), 1.3)
    return np.round(1 / (1 + np.exp(-logits)), 4), said


BEAT_SAMPLES = 140  # samples per heartbeat, as in the ECG5000 set the original course's autoencoder lab used


def _wave(t: np.ndarray, centre: float, width: float, height: float) -> np.ndarray:
    return height * np.exp(-0.5 * ((t - centre) / width) ** 2)


def heartbeats(count: int, anomaly_fraction: float, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """ECG-like heartbeats (count, 140) float32 and labels (1 = anomalous), synthesized from P, QRS and T waves.

    Normal beats vary in rate, amplitude, baseline and noise. Anomalous beats have one of three faults: a
    premature ventricular beat (no P wave, a wide QRS, an inverted T), ST elevation, or a missing P wave with a
    tall T wave. Not a medical data set: a stand-in with the same shape of problem.
    """
    rng = np.random.default_rng(seed)
    labels = (rng.random(count) < anomaly_fraction).astype(int)
    beats = np.empty((count, BEAT_SAMPLES), dtype=np.float32)
    for i in range(count):
        t = np.linspace(0, 1, BEAT_SAMPLES) * rng.uniform(0.92, 1.08) + rng.normal(0, 0.01)
        amp = rng.uniform(0.85, 1.15)
        p, qrs_width, t_height, st = 0.15, 0.012, 0.3, 0.0
        if labels[i]:
            kind = rng.integers(3)
            if kind == 0:
                p, qrs_width, t_height = 0.0, 0.03, -0.35
            elif kind == 1:
                st = rng.uniform(0.15, 0.3)
            else:
                p, t_height = 0.0, 0.6
        beat = (
            _wave(t, 0.2, 0.025, p)
            - _wave(t, 0.33, qrs_width, 0.15)
            + _wave(t, 0.36, qrs_width, 1.0)
            - _wave(t, 0.39, qrs_width, 0.25)
            + _wave(t, 0.62, 0.05, t_height)
        )
        beat = beat + st * ((t > 0.41) & (t < 0.55))
        wander = rng.normal(0, 0.03) + rng.normal(0, 0.03) * np.sin(2 * np.pi * (t + rng.random()))
        beats[i] = amp * beat + wander + rng.normal(0, 0.02, BEAT_SAMPLES)
    return beats, labels


VOICE_GROUPS = ("adult", "child", "accent")


def grouped_wake_word_scores(seconds_per_group: int, seed: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Wake-word scores for three voice groups, as a detector trained mostly on adult voices gives them.

    Returns (scores, said, group). The detector separates adult voices best; children's wake words get lower
    scores and accented speakers' scores are noisier: the pattern fairness audits of keyword models find.
    Simulated scores, not a trained model.
    """
    rng = np.random.default_rng(seed)
    params = {"adult": (2.2, -2.2, 1.0), "child": (1.0, -2.0, 1.1), "accent": (1.6, -1.8, 1.5)}
    scores, said, group = [], [], []
    for name in VOICE_GROUPS:
        hit, miss, spread = params[name]
        y = (rng.random(seconds_per_group) < 0.2).astype(int)
        logits = rng.normal(np.where(y == 1, hit, miss), spread)
        scores.append(1 / (1 + np.exp(-logits)))
        said.append(y)
        group.append(np.full(seconds_per_group, name))
    return np.round(np.concatenate(scores), 4), np.concatenate(said), np.concatenate(group)


def keyword_folder(root, speakers: int = 12, words: tuple[str, ...] = ("yes", "no"), takes: int = 3, seed: int = 0):
    """A small keyword data set in the Speech Commands layout (``<word>/<speaker>_nohash_<n>.wav``, 16 kHz, 1 s),
    with the problems a real collection has planted in it: one clip copied under another speaker, one silent
    clip and one clipped (too loud) clip. Each word is a tone pattern, each speaker a pitch; enough to audit
    and split, not to learn speech. Returns the list of relative paths.
    """
    from pathlib import Path

    import soundfile as sf

    rng = np.random.default_rng(seed)
    root = Path(root)
    t = np.arange(16000) / 16000
    paths = []
    for _ in range(speakers):
        speaker = f"{rng.integers(16**8):08x}"
        pitch = rng.uniform(100, 260)
        for w, word in enumerate(words):
            for n in range(takes):
                envelope = np.exp(-0.5 * ((t - rng.uniform(0.35, 0.65)) / 0.12) ** 2)
                audio = 0.3 * envelope * np.sin(2 * np.pi * pitch * (w + 1) * t) + rng.normal(0, 0.01, t.size)
                rel = f"{word}/{speaker}_nohash_{n}.wav"
                (root / word).mkdir(parents=True, exist_ok=True)
                sf.write(root / rel, audio.astype(np.float32), 16000, subtype="PCM_16")
                paths.append(rel)
    words_dir = root / words[0]
    first = sorted(words_dir.iterdir())
    (words_dir / "feedface_nohash_0.wav").write_bytes(first[0].read_bytes())  # a copy under a new speaker
    sf.write(words_dir / "deadbeef_nohash_0.wav", np.zeros(16000, np.float32), 16000, subtype="PCM_16")
    loud = np.clip(3.0 * np.sin(2 * np.pi * 300 * t), -1, 1).astype(np.float32)
    sf.write(words_dir / "deadbeef_nohash_1.wav", loud, 16000, subtype="PCM_16")
    return paths + [
        f"{words[0]}/feedface_nohash_0.wav",
        f"{words[0]}/deadbeef_nohash_0.wav",
        f"{words[0]}/deadbeef_nohash_1.wav",
    ]


def spoken_words(words: list[str], per_word: int, seed: int, voices: str = "even") -> tuple[np.ndarray, np.ndarray]:
    """One-second 16 kHz clips (n, 16000) of each word spoken by eSpeak NG voices, and labels (index in ``words``).

    Voice, speed and pitch vary per clip; the word is placed at a random time and low background noise is
    added. ``voices`` "even" or "odd" picks half of eSpeak's voice variants, so a test set can be spoken by
    voices the training set never heard.
    """
    from tinymlkit.apps.kws.espeak import synthesize, variants

    rng = np.random.default_rng(seed)
    pool = list(variants())[0 if voices == "even" else 1 :: 2]
    clips, labels = [], []
    for label, word in enumerate(words):
        for _ in range(per_word):
            audio = synthesize(
                word,
                variant=str(rng.choice(pool)),
                rate=int(rng.integers(120, 220)),
                pitch=int(rng.integers(20, 80)),
                seed=int(rng.integers(1 << 30)),
            )
            loud = np.flatnonzero(np.abs(audio) > 0.01)
            audio = (audio[loud[0] : loud[-1] + 1] if loud.size else audio)[:14000]
            clip = rng.normal(0, rng.uniform(0.002, 0.01), 16000).astype(np.float32)
            start = int(rng.integers(0, 16000 - len(audio) + 1))
            clip[start : start + len(audio)] += audio * rng.uniform(0.5, 1.0)
            clips.append(np.clip(clip, -1, 1))
            labels.append(label)
    return np.stack(clips), np.array(labels)
