"""Checks of the lab c4-mlops."""

import numpy as np

from tinymlkit.course.checks import Checker


def _bad(clips, length):
    bad = []
    for i, clip in enumerate(clips):
        clip = np.asarray(clip, dtype=np.float64)
        if len(clip) != length or not np.all(np.isfinite(clip)):
            bad.append(i)
        elif np.sqrt(np.mean(clip**2)) < 0.001 or np.mean(np.abs(clip) >= 0.999) > 0.01:
            bad.append(i)
    return bad


def check_validate(t: Checker) -> None:
    fn = t.function("bad_clips")
    length = int(t.rng.choice([8000, 16000]))
    clips = [t.rng.normal(0, t.rng.uniform(0.02, 0.2), length).astype(np.float32) for _ in range(14)]
    slots = t.rng.permutation(len(clips))
    clips[slots[0]] = clips[slots[0]][: int(length * t.rng.uniform(0.5, 0.95))]  # too short
    clips[slots[1]] = np.concatenate([clips[slots[1]], clips[slots[1]][:100]])  # too long
    clips[slots[2]] = t.rng.normal(0, 2e-4, length).astype(np.float32)  # silent
    clips[slots[3]] = np.clip(clips[slots[3]] * 30, -1, 1)  # clipped
    clips[slots[4]] = clips[slots[4]].copy()
    clips[slots[4]][int(t.rng.integers(length))] = np.nan
    clips[slots[5]] = clips[slots[5]].copy()
    clips[slots[5]][int(t.rng.integers(length))] = np.inf
    few = clips[slots[6]].copy()
    few[: length // 400] = 1.0  # 0.25 % at full scale: a click, not clipping
    clips[slots[6]] = few
    quiet = t.rng.normal(0, 0.003, length).astype(np.float32)  # quiet but not silent
    clips[slots[7]] = quiet
    ok, got = t.call("runs on a batch of clips", fn, [c.copy() for c in clips], length,
                     hint="check each clip: length, np.isfinite, RMS, share of |x| >= 0.999")
    if ok:
        got = sorted(int(i) for i in got) if isinstance(got, list | tuple | np.ndarray) else got
        reasons = {int(slots[0]): "short", int(slots[1]): "long", int(slots[2]): "silent", int(slots[3]): "clipped",
                   int(slots[4]): "NaN", int(slots[5]): "infinity"}
        expected = _bad(clips, length)
        missed = [f"{i} ({reasons.get(i, '?')})" for i in expected if isinstance(got, list) and i not in got]
        extra = [i for i in got if i not in expected] if isinstance(got, list) else []
        t.equal(f"rejected clips of {length} samples", got, expected,
                f"missed {missed}, wrongly rejected {extra}: a clip that is only quiet (RMS 0.003) or has a short "
                f"click at full scale (0.25 % of samples) is fine")


def check_gates(t: Checker) -> None:
    fn = t.function("gate_results")
    hint = "'<=': passes when measured <= limit; '>=': when measured >= limit; missing or None fails"
    flash, arena = int(t.rng.integers(5_000, 90_000)), int(t.rng.integers(5_000, 90_000))
    latency, accuracy = float(np.round(t.rng.uniform(2, 200), 3)), float(np.round(t.rng.uniform(0.6, 0.95), 3))
    measured = {"flash": flash, "arena": arena, "latency": latency, "accuracy": accuracy}
    limits = {"flash": ("<=", flash),  # exactly at the limit: passes
              "arena": ("<=", arena - int(t.rng.integers(1, 500))),
              "latency": ("<=", latency * float(t.rng.uniform(1.1, 2))),
              "accuracy": (">=", accuracy + 0.02)}
    expected = {"flash": True, "arena": False, "latency": True, "accuracy": False}
    ok, got = t.call("runs on measured figures", fn, dict(measured), dict(limits), hint=hint)
    if ok:
        t.equal(f"gates for {measured} against {limits}", got if isinstance(got, dict) else got, expected, hint)
    limits2 = {"accuracy": (">=", accuracy), "latency": ("<=", latency / 2), "recall": (">=", 0.5)}
    ok, got = t.call("runs when a figure is missing", fn, {"accuracy": accuracy, "latency": None},
                     dict(limits2), hint=hint)
    if ok:
        t.equal("a gate that could not be measured fails", got,
                {"accuracy": True, "latency": False, "recall": False}, hint)


class _Board:
    def __init__(self, flash, ram):
        self.id = "test-board"
        self.model_flash_budget, self.arena_budget = flash, ram


def check_per_device(t: Checker) -> None:
    from tinymlkit.profile import load_boards

    fn = t.function("largest_fitting")
    hint = "keep the widths with model_bytes <= board.model_flash_budget and arena <= board.arena_budget; the max"
    widths = sorted(int(w) for w in t.rng.choice(np.arange(8, 520, 8), size=6, replace=False))
    candidates = [(w, int(w * w * 40 + 6000), int(w * 800 + 4000)) for w in widths]
    order = [candidates[i] for i in (2, 0, 5, 3, 1, 4)]  # neither ascending nor descending

    def expected(board):
        fitting = [w for w, f, a in candidates if f <= board.model_flash_budget and a <= board.arena_budget]
        return max(fitting) if fitting else None

    mid = candidates[3]
    cases = [("flash limits", _Board(mid[1], 10**9)), ("RAM limits", _Board(10**9, mid[2] + 1)),
             ("both", _Board(candidates[4][1] + 10, candidates[2][2] + 10)), ("nothing fits", _Board(1000, 1000))]
    for board in load_boards().values():
        cases.append((board.id, board))
    for name, board in cases:
        ok, got = t.call(f"runs on {name}", fn, list(order), board, hint=hint)
        if ok and not t.equal(f"width for {name} (flash {board.model_flash_budget:,} B, arena {board.arena_budget:,} B,"
                              f" candidates {candidates})", got, expected(board), hint):
            return


CHECKS = {"validate": check_validate, "gates": check_gates, "per-device": check_per_device}
