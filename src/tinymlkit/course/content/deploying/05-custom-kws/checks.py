"""Checks of the lab c3-custom: the recorder's speech window and the speaker-stable split, against the toolkit."""

import numpy as np

from tinymlkit.course.checks import Checker


def _take(rng: np.random.Generator, seconds: float, word_ms: int, where: str = "anywhere") -> np.ndarray:
    """A take: room noise, and a burst of 'speech' (a tone, loudest a quarter in, as a word's first syllable) of
    ``word_ms`` inside it, ``where``: "anywhere", "middle" (within 0.1 s of the centre, so the clip needs no
    clamping) or "start" (near the start): its loudest frame is not its middle."""
    n = int(seconds * 16000)
    take = rng.normal(0, rng.uniform(0.001, 0.01), n)
    length = word_ms * 16
    if where == "start":
        start = int(rng.integers(800, 2400))
    elif where == "middle":
        start = (n - length) // 2 + int(rng.integers(-1600, 1601))
    else:
        start = int(rng.integers(800, n - length - 800))
    t = np.arange(length) / 16000
    envelope = np.interp(t, [0, 0.25 * t[-1], t[-1]], [0, 1, 0.4])  # a loud start, a long quieter end
    word = np.sin(2 * np.pi * rng.uniform(100, 300) * t) * envelope
    take[start:start + length] += word * rng.uniform(0.1, 0.6)
    return take.astype(np.float32)


def check_speech(t: Checker) -> None:
    from tinymlkit.capture.kws import trim_to_speech

    fn = t.function("speech_window")
    hint = ("10 ms frames, level 10*log10(mean square + 1e-10), floor = 10th percentile, speech where the level is "
            "at least floor + 0.3 * (peak - floor); centre the second on first..last speech frame, kept inside")
    cases = [("a word in the middle of a take", 1.5, int(t.rng.integers(300, 700)), "middle"),
             ("a long take", 3.0, int(t.rng.integers(300, 900)), "anywhere"),
             ("a word near an edge", 1.2, int(t.rng.integers(200, 400)), "start")]
    for name, seconds, word_ms, where in cases:
        take = _take(t.rng, seconds, word_ms, where)
        expected = trim_to_speech(take).start
        ok, got = t.call(f"runs on {name}", fn, take.copy(), hint=hint)
        if not ok or not t.equal(f"start of the clip for {name}", got, expected, hint):
            return


def check_split(t: Checker) -> None:
    from tinymlkit.data.split import speaker_of, split_of

    fn = t.function("which_split")
    hint = ("hash the speaker (the file name before _nohash_), not the whole path: sha1, int(hex, 16) % 2**27, "
            "times 100 / (2**27 - 1), then compare with the percentages")
    speakers = [f"{int(v):08x}" for v in t.rng.integers(0, 16**8, size=40)]
    paths = [f"{t.rng.choice(['yes', 'no', 'lights'])}/{s}_nohash_{int(t.rng.integers(0, 5))}.wav" for s in speakers]
    ok, _ = t.call("runs on a file name", fn, paths[0], hint=hint)
    if not ok:
        return
    speaker = speakers[0]  # a third of the speakers in each split: files hashed one by one would scatter
    same = {fn(f"{word}/{speaker}_nohash_{n}.wav", 100 / 3, 100 / 3) for word in ("yes", "no", "up") for n in range(4)}
    t.true("one speaker, one split", len(same) == 1, "every file of a speaker in the same split",
           f"{len(same)} splits: {sorted(same)}", "hash only the speaker's name, never the word folder or the take number")
    got = []
    for path in paths:
        ok, value = t.call(f"runs on {path}", fn, path, hint=hint)
        if not ok:
            return
        got.append(value)
    expected = [split_of(speaker_of(p)) for p in paths]
    if not t.equal("splits of 40 random files", got, expected, hint):
        return
    v, te = float(t.rng.uniform(20, 40)), float(t.rng.uniform(20, 40))
    got = [fn(p, v, te) for p in paths]
    t.equal(f"splits with {v:.1f} % validation and {te:.1f} % test", got,
            [split_of(speaker_of(p), v, te) for p in paths], "use the percentages passed as arguments")


CHECKS = {"speech": check_speech, "split": check_split}
