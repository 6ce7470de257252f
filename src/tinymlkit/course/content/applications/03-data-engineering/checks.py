"""Checks of the lab c2-data."""

import collections

import numpy as np

from tinymlkit.course.checks import Checker


def _ids(t: Checker, n: int) -> list[str]:
    return [f"{int(v):08x}" for v in t.rng.integers(0, 16**8, size=n)]


def check_speaker_split(t: Checker) -> None:
    fn = t.function("speaker_split")
    ids = _ids(t, 2000)  # enough that a fair hash lands within 15-25 % (5.6 standard deviations of 20 %)
    ok, first = t.call("splits random speaker IDs", fn, ids[0], 20)
    if not ok:
        return
    splits = [fn(s, 20) for s in ids]
    if not t.true("answers 'train' or 'test'", set(splits) <= {"train", "test"}, "'train' / 'test'",
                  repr(sorted(set(map(str, splits))))[:80], "return the string 'test' or 'train'"):
        return
    share = splits.count("test") / len(splits)
    t.true("about 20 % of 2000 random speakers in test", 0.15 <= share <= 0.25, "between 15 % and 25 %",
           f"{share:.0%}", "test when the hash bucket (0..99) is below test_percent")
    again = [fn(s, 20) for s in reversed(ids)]
    t.true("the same speaker always gets the same split", again == splits[::-1], "identical splits on a second call",
           "different splits", "decide from a hash of the ID only: no random numbers, no counters")
    t.true("depends on the ID, not on the order or the other speakers", [fn(s, 20) for s in ids[:50]] == splits[:50],
           "same splits for a subset", "different", "do not keep state between calls")
    grown = [fn(s, 30) for s in ids]
    moved = sum(a == "test" and b == "train" for a, b in zip(splits, grown))
    t.true("raising the test share never moves test speakers back to train", moved == 0, "0 moved", f"{moved} moved",
           "compare a stable bucket number with test_percent")


def check_leaks(t: Checker) -> None:
    fn = t.function("leaked_clips")
    train = [t.rng.integers(-3000, 3000, size=int(t.rng.integers(50, 80))).astype(np.int16) for _ in range(30)]
    test = [t.rng.integers(-3000, 3000, size=60).astype(np.int16) for _ in range(20)]
    copies = sorted(int(i) for i in t.rng.choice(20, size=3, replace=False))
    for i in copies:
        test[i] = train[int(t.rng.integers(30))].copy()
    near = int(t.rng.choice([i for i in range(20) if i not in copies]))  # never one of the copies
    test[near] = train[0].copy()
    test[near][-1] += 1  # the last sample differs: not an identical clip
    ok, got = t.call("runs on random clips", fn, train, test)
    if ok:
        expected = sorted(copies + ([near] if np.array_equal(test[near], train[0]) else []))
        t.equal("indices of the copied clips", got, expected,
                "compare complete clips (all samples), return the sorted test indices")


def check_data_card(t: Checker) -> None:
    fn = t.function("data_card")
    ids = _ids(t, int(t.rng.integers(4, 9)))
    speakers = [str(s) for s in t.rng.choice(ids, size=60)]
    labels = [str(w) for w in t.rng.choice(["yes", "no", "up"], size=60)]
    ok, got = t.call("runs on random labels", fn, labels, speakers)
    if not ok or not t.true("returns a dict", isinstance(got, dict), "a dict", type(got).__name__, "return {...}"):
        return
    per = collections.Counter(speakers)
    expected = {"clips": 60, "speakers": len(per), "per_label": dict(collections.Counter(labels)),
                "min_clips_per_speaker": min(per.values()), "max_clips_per_speaker": max(per.values())}
    for key, value in expected.items():
        t.true(f"{key}", got.get(key) == value, repr(value), repr(got.get(key))[:80],
               "count distinct speakers with a set or collections.Counter; per_label maps each label to its count")


CHECKS = {"speaker-split": check_speaker_split, "leaks": check_leaks, "data-card": check_data_card}
