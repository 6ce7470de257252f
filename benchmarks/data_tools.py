"""Benchmark: ``tinyml data`` stats, audit and augment on a synthesized keyword data set with planted problems.

Synthesizes ``yes``/``no`` spoken by the built-in eSpeak voices (300 clips per class), plants one exact duplicate,
one cross-split leak, one near duplicate, one silent and one clipped clip, then times each command and checks
that the audit finds and quarantines every planted file. Exits non-zero if one is missed. (Swapped labels are
planted in tests/test_data_tools.py; on these voices the label check reports suspects without moving them.)
From the repository root:

    python benchmarks/data_tools.py
"""

import shutil
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import soundfile as sf
from _timing import cpu_seconds


def main() -> int:
    from tinymlkit.apps.kws.synth import synthesize_keyword_dataset
    from tinymlkit.datatools.audit import audit_folder, quarantine
    from tinymlkit.datatools.augment_folder import augment_folder
    from tinymlkit.datatools.kind_audio import AUDIO
    from tinymlkit.datatools.kinds import scan
    from tinymlkit.datatools.stats import folder_stats

    work = Path(tempfile.mkdtemp(prefix="tinyml-bench-data-"))
    root = work / "voices"
    synthesize_keyword_dataset(
        root, words=["yes", "no"], clips_per_word=300, unknown_count=300, silence_count=300, noise_seconds=20
    )
    entries = scan(root, AUDIO)
    train = [e.path for e in entries if e.split == "train" and e.label == "yes"]
    test = next(e.path for e in entries if e.split == "test" and e.label == "yes")
    rng = np.random.default_rng(0)
    planted = {
        "duplicate": train[0].replace(".wav", "0.wav"),
        "leakage": test.replace(".wav", "0.wav"),
        "near duplicate": train[2].replace(".wav", "0.wav"),
        "silent": train[3].replace(".wav", "0.wav"),
        "clipped": train[4].replace(".wav", "0.wav"),
    }
    shutil.copy(root / train[0], root / planted["duplicate"])
    shutil.copy(root / train[1], root / planted["leakage"])
    with (root / "testing_list.txt").open("a") as f:
        f.write(planted["leakage"] + "\n")
    x, _ = sf.read(root / train[2])
    sf.write(root / planted["near duplicate"], 0.6 * x + 0.001 * rng.standard_normal(len(x)), 16000, subtype="PCM_16")
    sf.write(root / planted["silent"], 0.0005 * rng.standard_normal(16000), 16000, subtype="PCM_16")
    x, _ = sf.read(root / train[5])
    sf.write(root / planted["clipped"], np.clip(10 * x, -1, 1), 16000, subtype="PCM_16")

    def timed(what, fn, *args, **kwargs):
        wall, cpu = time.perf_counter(), cpu_seconds()
        out = fn(*args, **kwargs)
        print(f"{what}: {time.perf_counter() - wall:.1f} s wall, {cpu_seconds() - cpu:.1f} s CPU")
        return out

    stats = timed("stats", folder_stats, root)
    print(f"  {stats.files} files, {sum(stats.groups.values())} speakers, balance {stats.balance:.2f}")
    result = timed("audit", audit_folder, root)
    print(f"  findings: {result.counts}; label check: {result.label_check}")
    moved = set(quarantine(result).moved)
    missed = {k: v for k, v in planted.items() if v not in moved}
    print(f"  quarantined {len(moved)} files; planted and missed: {missed or 'none'}")
    aug = timed("augment (2 copies, all operations)", augment_folder, root, work / "augmented", copies=2)
    print(f"  {aug.augmented} new files from {aug.originals - aug.held_out} training files")
    shutil.rmtree(work)
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
