"""Checks of the lab c3-project: the label order and the input contract of a competition entry, compared with
the rules the toolkit's scorer applies (``tinymlkit.compete.score``) on the built-in challenges."""

import math

import numpy as np

from tinymlkit.course.checks import Checker


def _challenges():
    from tinymlkit.compete.challenge import load_challenges

    return list(load_challenges().values())


def _raises_value_error(t: Checker, name: str, fn, *args) -> None:
    hint = "compare sorted(model_labels) with sorted(challenge_labels) and raise ValueError when they differ"
    try:
        fn(*args)
        t.record(name, False, "expected ValueError, got a result", hint)
    except ValueError:
        t.record(name, True)
    except Exception as exc:  # noqa: BLE001 - the learner's code may raise anything
        t.record(name, False, f"expected ValueError, got {type(exc).__name__}", hint)


def check_labels(t: Checker) -> None:
    fn = t.function("label_mapping")
    hint = "for each of your labels, in order, challenge_labels.index(label)"
    for c in _challenges():
        labels = list(c.labels)
        while True:  # an order that is not its own inverse (where 3 labels or more allow), so a mapping the wrong
            # way round shows
            perm = t.rng.permutation(len(labels))
            if len(labels) < 3 or np.any(perm[perm] != np.arange(len(labels))):
                break
        order = [labels[int(i)] for i in perm]
        ok, got = t.call(f"runs on {c.name}", fn, list(order), list(labels), hint=hint)
        if not ok:
            return
        got = [int(v) for v in got] if isinstance(got, list | tuple) else got
        if not t.equal(f"mapping of {order} to {c.name}'s {labels}", got, [labels.index(x) for x in order], hint):
            return
    words = [f"w{int(v)}" for v in t.rng.choice(1000, size=int(t.rng.integers(3, 7)), replace=False)]
    ok, got = t.call("runs on labels in the challenge's own order", fn, list(words), list(words), hint=hint)
    if ok:
        t.equal("mapping of labels in the same order", list(got) if isinstance(got, list | tuple) else got,
                list(range(len(words))), hint)
    _raises_value_error(t, "a missing label raises ValueError", fn, words[:-1], words)
    _raises_value_error(t, "a repeated label raises ValueError", fn, [*words, words[0]], words)
    _raises_value_error(t, "a foreign label raises ValueError", fn, [*words[:-1], "banana"], words)


def _problems(x_shape, x_dtype, y_shape, y_dtype, challenge) -> list[str]:
    problems = [p for p, d in (("input dtype", x_dtype), ("output dtype", y_dtype)) if d != "int8"]
    if tuple(x_shape) not in challenge.input.shapes:
        problems.append("input shape")
    if len(y_shape) < 2 or y_shape[0] != 1 or math.prod(y_shape[1:]) != len(challenge.labels):
        problems.append("output shape")
    return problems


def _cases(t: Checker, c) -> dict[str, list[tuple]]:
    n = len(c.labels)
    good = [tuple(c.input.shapes[int(i)]) for i in t.rng.integers(0, len(c.input.shapes), size=3)]
    good += list(c.input.shapes)  # every allowed shape, not only the first

    def other():
        return good[int(t.rng.integers(len(good)))]

    bad_x = [other()[1:], (1, *[d + int(t.rng.integers(1, 5)) for d in other()[1:]]), (2, *other()[1:])]
    return {
        "models that keep the contract": [(s, "int8", (1, n), "int8") for s in good],
        "wrong input shapes": [(s, "int8", (1, n), "int8") for s in bad_x],
        "float or uint8 inputs and outputs": [(other(), "float32", (1, n), "int8"), (other(), "int8", (1, n), "uint8"),
                                              (other(), "float32", (1, n), "float32")],
        "wrong output shapes": [(other(), "int8", (1, n + int(t.rng.integers(1, 4))), "int8"),
                                (other(), "int8", (n,), "int8"), (other(), "int8", (2, n), "int8")],
    }


def check_contract(t: Checker) -> None:
    fn = t.function("contract_problems")
    hint = ('the list, in order, of "input dtype", "output dtype" (each must be "int8"), "input shape" (one of '
            'challenge.input.shapes, batch included), "output shape" (batch 1, one score per label)')
    challenges = _challenges()
    cases = {}
    for c in challenges:
        for group, items in _cases(t, c).items():
            cases.setdefault(group, []).extend((c, *item) for item in items)
    for group, items in cases.items():
        got, want = [], []
        for c, xs, xd, ys, yd in items:
            ok, value = t.call(f"runs on {group}", fn, tuple(xs), xd, tuple(ys), yd, c, hint=hint)
            if not ok:
                return
            got.append(list(value) if isinstance(value, list | tuple) else value)
            want.append(_problems(xs, xd, ys, yd, c))
        wrong = [(f"{c.name}: input {xs} {xd}, output {ys} {yd}", g, w)
                 for (c, xs, xd, ys, yd), g, w in zip(items, got, want, strict=True) if g != w]
        first = wrong[0] if wrong else None
        t.true(f"problems of {group}", not wrong, f"{first[2]} for {first[0]}" if first else "",
               f"{first[1]!r}" if first else "", hint)


CHECKS = {"labels": check_labels, "contract": check_contract}
