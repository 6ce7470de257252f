"""Checks of the lab c3-attack: the noise attack on the yes/no keyword model, measured in TFLM, and a defence."""

import functools

import numpy as np

from tinymlkit.course.checks import Checker

YES = 2  # index of "yes" in the pretrained model's labels (silence, unknown, yes, no)
ATTACK_BAR = 0.8  # the attack must make the model hear "yes" in at least this share of trials ...
# ... on most of ATTACK_SEEDS noise seeds: some draws of noise fool the model less (the reference attack: 97 % of
# trials on average over 500 seeds, under 80 % for 1 % of them), so a rate pooled over 2 seeds failed the
# reference about once in 100 gradings; the median of 5 seeds of 10 trials fails it about once in 12,000 (both
# simulated from those 500 seeds' rates)
ATTACK_SEEDS = 5
DEFENDED_BAR = 0.2  # ... and the defence must bring the reference attack down to at most this share
KEEP_BAR = 0.6  # ... while still accepting this share of the real "yes" the model hears (the reference: about 85 %)


@functools.cache
def _tflm():
    from tinymlkit.course.pretrained import KEYWORD_MODEL
    from tinymlkit.runtime.tflm import TFLMModel

    return TFLMModel(KEYWORD_MODEL.read_bytes())


def listen(audio: np.ndarray) -> np.ndarray:
    """The device's answer to each 1 s clip of ``audio`` (n, 16000): frontend, then the int8 model in TFLM."""
    from tinymlkit.apps.kws.frontend import micro_features

    audio = np.asarray(audio, dtype=np.float32)
    return _tflm().predict(micro_features(audio).reshape(len(audio), -1))


def backgrounds(count: int, rng: np.random.Generator) -> np.ndarray:
    """Quiet rooms: noise at levels from barely audible to a humming fan (as the model's silence class)."""
    return (rng.normal(0, 1, (count, 16000)) * rng.uniform(0.001, 0.02, (count, 1))).astype(np.float32)


def reference_attack(seed: int, peak: float = 0.5) -> np.ndarray:
    """Noise shaped, band by band, like a spoken "yes" (the lab's reference attack)."""
    import scipy.signal

    template = _templates()[4]
    noise = np.random.default_rng(seed).normal(0, 1, len(template))
    edges = np.geomspace(100, 7800, 17)
    smooth = scipy.signal.butter(2, 50, fs=16000, output="sos")
    clip = np.zeros(len(template))
    for low, high in zip(edges[:-1], edges[1:], strict=True):
        band = scipy.signal.butter(4, [low, high], btype="band", fs=16000, output="sos")
        envelope = scipy.signal.sosfilt(smooth, np.abs(scipy.signal.hilbert(scipy.signal.sosfilt(band, template))))
        clip += scipy.signal.sosfilt(band, noise) * np.maximum(envelope, 0)
    return (clip / np.abs(clip).max() * peak).astype(np.float32)


@functools.cache
def _templates() -> np.ndarray:
    from tinymlkit.course.datasets import spoken_words

    return spoken_words(["yes"], 5, seed=3, voices="odd")[0]


def _fake_listener(target: int):
    """A stand-in model whose answer depends on every sample; a sample beyond [-1, 1] (which no microphone
    records) makes it answer ``target``, so a missing clip shows."""

    def listen(audio):
        audio = np.asarray(audio, dtype=np.float64)
        if audio.ndim != 2 or audio.shape[1] != 16000:
            raise ValueError(f"listen() takes a batch of 1 s clips (n, 16000), got shape {audio.shape}")
        label = np.floor(np.abs(audio).sum(axis=1) * 7).astype(int) % 4
        label[np.abs(audio).max(axis=1) > 1.0] = target
        top = 0.4 + 0.5 * (np.abs(audio[:, :100]).sum(axis=1) % 1.0)  # a different top score on every row
        p = np.repeat(((1 - top) / 3)[:, None], 4, axis=1)
        p[np.arange(len(audio)), label] = top
        return p

    return listen


def check_success(t: Checker) -> None:
    fn = t.function("attack_success")
    hint = ("add the clip to every background, np.clip the sums to [-1, 1] (what a microphone can record), call "
            "listen() once on the batch and count the rows whose top score is the target")
    for name, loud in [("quiet clips", 0.2), ("loud clips that clip", 0.9)]:
        n = int(t.rng.integers(20, 60))
        clip = (t.rng.uniform(-1, 1, 16000) * loud).astype(np.float32)
        bgs = (t.rng.uniform(-1, 1, (n, 16000)) * t.rng.uniform(0.05, 0.5, (n, 1))).astype(np.float32)
        target = int(t.rng.integers(0, 4))
        fake = _fake_listener(target)
        expected = float(np.mean(fake(np.clip(bgs + clip, -1, 1)).argmax(1) == target))
        ok, got = t.call(f"runs with a fake listener on {name}", fn, fake, clip.copy(), bgs.copy(), target,
                         hint=hint)
        if not ok or not t.close(f"success rate with a fake listener on {name}", got, expected, hint, atol=1e-9):
            return
    bgs = backgrounds(8, t.rng)
    clip = reference_attack(int(t.rng.integers(1 << 30)), peak=float(t.rng.uniform(0.05, 0.5)))
    expected = float(np.mean(listen(np.clip(bgs + clip, -1, 1)).argmax(1) == YES))
    ok, got = t.call("runs with the keyword model in TFLM", fn, listen, clip.copy(), bgs.copy(), hint=hint)
    if ok:
        t.close("success rate in TFLM", got, expected, hint, atol=1e-9)


def check_attack(t: Checker) -> None:
    fn = t.function("attack_clip")
    seeds = [int(s) for s in t.rng.integers(0, 1 << 30, size=ATTACK_SEEDS)]
    clips = []
    for seed in seeds:
        ok, got = t.call(f"runs with seed {seed}", fn, seed)
        if not ok:
            return
        if not t.is_array("returns one second of audio", got, (16000,), hint="return a NumPy array of 16,000 samples"):
            return
        clips.append(np.asarray(got, dtype=np.float64))
    peak = max(float(np.abs(c).max()) for c in clips)
    t.true("stays in the microphone's range", peak <= 0.5, "no sample beyond +-0.5", f"a peak of {peak:.3f}",
           "scale the clip down: the attack is meant to be an ordinary, not deafening, sound")
    a, b = clips[:2]
    same = float(np.corrcoef(a, b)[0, 1]) if a.std() > 0 and b.std() > 0 else 1.0
    t.true("fresh noise for every seed", same < 0.5, "clips of two seeds uncorrelated (below 0.5)",
           f"a correlation of {same:.2f}",
           "draw the noise from np.random.default_rng(seed): a replayed recording is not a noise attack")
    rates = [float(np.mean(listen(np.clip(backgrounds(10, t.rng) + c.astype(np.float32), -1, 1)).argmax(1) == YES))
             for c in clips]
    t.at_least("heard as yes in TFLM on most seeds (the median seed's share of trials)", float(np.median(rates)),
               ATTACK_BAR,
               "shape the noise like a spoken yes band by band (try other templates or a louder peak) and measure "
               "with attack_success until it works in most trials")


def check_defence(t: Checker) -> None:
    from tinymlkit.course.datasets import spoken_words

    fn = t.function("is_voiced")
    count = 10 if t.fast else 16
    attack = np.stack([reference_attack(int(s)) for s in t.rng.integers(0, 1 << 30, size=count)])
    attacked = np.clip(backgrounds(count, t.rng) + attack, -1, 1)
    heard = listen(attacked).argmax(1) == YES
    ok, voiced = t.call("runs on attack clips", fn, attacked.copy())
    if not ok or not t.is_array("returns one answer per clip", np.asarray(voiced), (count,),
                                hint="return an array with one True/False per clip"):
        return
    before, after = float(heard.mean()), float(np.mean(heard & np.asarray(voiced, dtype=bool)))
    t.true("defence lowers attack success", after <= DEFENDED_BAR and after < before,
           f"at most {DEFENDED_BAR:.0%} (before the defence: {before:.0%})", f"{after:.0%}",
           "noise has energy in the right bands but no pitch: look for a repeating period (autocorrelation) in "
           "the loud frames")
    # 60 clips: eSpeak's whispered voices have no pitch, and on 30 clips a draw heavy in them put the reference
    # defence under the bar about once in 300 gradings (lowest of 300 draws with 60 clips: 67 %)
    words, _ = spoken_words(["yes"], 60, seed=int(t.rng.integers(1 << 30)), voices="odd")
    words = np.clip(words + backgrounds(len(words), t.rng), -1, 1)
    heard = listen(words).argmax(1) == YES
    ok, voiced = t.call("runs on spoken yes", fn, words.copy())
    if ok:
        kept = float(np.mean(np.asarray(voiced, dtype=bool)[heard])) if heard.any() else 1.0
        t.at_least("real yes still heard", kept, KEEP_BAR,
                   "a defence that rejects everything stops the attack and the product: accept clips with a few "
                   "clearly periodic frames")


CHECKS = {"success": check_success, "attack": check_attack, "defence": check_defence}
