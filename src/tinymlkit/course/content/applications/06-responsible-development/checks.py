"""Checks of the lab c2-fairness."""

import numpy as np

from tinymlkit.course.checks import Checker


def _data(t: Checker):
    names = np.array(["north", "south", "west"])[: int(t.rng.integers(2, 4))]
    groups = t.rng.choice(names, size=400)
    said = (t.rng.random(400) < 0.25).astype(int)
    # the groups' wake words score clearly apart (a group's mean logit at least 0.5 from the next, 0.9 on average),
    # so one threshold for all cannot pass as per-group ones: with shifts drawn freely it did on about 1 draw in 200
    levels = np.linspace(0.4, 2.2, len(names)) + t.rng.uniform(-0.2, 0.2, len(names))
    shift = dict(zip(names, t.rng.permutation(levels), strict=True))
    logits = np.array([t.rng.normal(shift[g] if s else -1.5, 1.0) for g, s in zip(groups, said)])
    return np.round(1 / (1 + np.exp(-logits)), 3), said, groups


def check_group_rates(t: Checker) -> None:
    fn = t.function("group_rates")
    while True:  # until every group has false accepts at the threshold (a rate of 0 cannot show a wrong division)
        scores, said, groups = _data(t)
        threshold = float(t.rng.uniform(0.3, 0.7))
        if all(np.any((groups == n) & (said == 0) & (scores >= threshold)) for n in np.unique(groups)):
            break
    ok, got = t.call("runs on random groups", fn, scores, said, groups, threshold)
    if not ok or not t.true("returns a dict per group", isinstance(got, dict) and
                            set(map(str, got)) == set(map(str, np.unique(groups))),
                            f"keys {sorted(map(str, np.unique(groups)))}", repr(sorted(got))[:80] if isinstance(got, dict)
                            else type(got).__name__, "one entry per group name: for name in np.unique(groups)"):
        return
    for name in np.unique(groups):
        mine = groups == name
        wake = scores[mine] >= threshold
        expected = [wake[said[mine] == 1].mean(), wake[said[mine] == 0].mean()]
        value = got.get(name, got.get(str(name)))
        t.close(f"rates of group {name} at threshold {threshold:.2f}", [float(v) for v in value], expected,
                "true accepts: wake among the group's wake words; false accepts: wake among its other seconds; "
                "wake when score >= threshold")


def check_equal_opportunity(t: Checker) -> None:
    fn = t.function("equal_opportunity_thresholds")
    scores, said, groups = _data(t)
    target = float(t.rng.choice([0.8, 0.9]))
    ok, got = t.call("runs on random groups", fn, scores, said, groups, target)
    if not ok or not t.true("returns a dict per group", isinstance(got, dict), "a dict", type(got).__name__,
                            "return {group: threshold}"):
        return
    for name in np.unique(groups):
        mine = groups == name
        hits = scores[mine][said[mine] == 1]
        expected = max(c for c in np.unique(scores[mine]) if np.mean(hits >= c) >= target)
        value = got.get(name, got.get(str(name)))
        t.close(f"threshold of group {name} for true accepts >= {target}", value if value is not None else np.nan,
                expected, "per group: the highest of its scores whose true accept rate (score >= threshold among "
                "its wake words) is at least the target")


CHECKS = {"group-rates": check_group_rates, "equal-opportunity": check_equal_opportunity}
