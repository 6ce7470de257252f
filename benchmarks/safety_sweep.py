"""A sweep of bad input as a careless or hostile user types it: nonsense numbers for every numeric option,
special and foreign output paths, odd file names and contents, damaged quarantine manifests.

Each case runs the real ``tinyml`` entry point (in this process, for speed) in a sandbox holding the user's
own files, and is classified:

- ok: a correct result (exit 0 on a case that may succeed)
- clean: one ``error:`` line, exit 1 (or a usage error, exit 2, from the argument parser)
- data loss: a user file changed or vanished
- half-written: a ``.part`` leftover or an incomplete output folder remains
- traceback: a Python traceback, or an "unexpected" error line
- hang: no answer within 60 s
- nonsense accepted: exit 0 on a case that must be refused

    python benchmarks/safety_sweep.py            # prints the counts and every case that is not ok/clean
"""

import contextlib
import hashlib
import io
import json
import os
import signal
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import soundfile as sf

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

NUMERIC = {  # command -> its numeric options; values here are all nonsense for them
    ("sine", "train"): ["--samples", "--noise", "--epochs", "--width", "--seed"],
    ("kws", "train"): ["--width", "--epochs", "--voices", "--seed"],
    ("person", "train"): ["--scenes", "--epochs", "--learning-rate", "--width", "--augment", "--seed"],
    ("wand", "train"): ["--users", "--repetitions", "--epochs", "--augment", "--width", "--seed"],
    ("anomaly", "train"): [
        "--ids",
        "--normal",
        "--abnormal",
        "--seconds",
        "--epochs",
        "--width",
        "--clusters",
        "--threshold-k",
        "--threshold-percentile",
        "--seed",
    ],
    ("optimize",): ["--epochs", "--finetune-epochs", "--seed"],
    ("kws", "synth", "{new}"): ["--voices", "--seed"],
    ("anomaly", "data", "{new}"): ["--ids", "--normal", "--abnormal", "--seconds", "--seed"],
    ("wand", "data", "{new}"): ["--users", "--repetitions", "--seed"],
    ("person", "data", "{new}"): ["--scenes", "--seed"],
    ("data", "augment", "{data}", "{new}"): ["--copies", "--seed"],
    ("data", "split", "{data}"): ["--validation", "--test"],
    ("record", "sketch", "imu", "{new}"): ["--rev", "--baud"],
    ("kws", "listen", "{data}/yes/a_nohash_0.wav"): ["--threshold", "--window-ms", "--suppression-ms"],
}
ZERO_OK = {
    "--seed",
    "--augment",
    "--noise",
    "--threshold-k",
    "--suppression-ms",
    "--threshold",
    "--validation",
    "--test",
    "--abnormal",
}  # (a data set of normal sounds only is a fair request)
VALUES = ["nan", "inf", "-inf", "-1", "0", "1e20", "99999999999999999999", "", "abc", "[/x]", "-5.5"]


def user_tree(root: Path) -> dict[str, str]:
    out = {}
    for p in root.rglob("*"):
        if p.is_file() and not p.is_symlink() and "own" in p.parts:
            out[str(p.relative_to(root))] = hashlib.sha256(p.read_bytes()).hexdigest()
    return out


def half_written(root: Path) -> list[str]:
    bad = [str(p) for p in root.rglob("*.part")]
    for marker in root.rglob(".tinyml-output.json"):
        try:
            if not json.loads(marker.read_text()).get("complete"):
                bad.append(str(marker.parent))
        except ValueError:
            bad.append(str(marker))
    return bad


def wav(path: Path, audio: np.ndarray, rate: int = 16000, subtype: str = "PCM_16") -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    sf.write(str(path), audio, rate, subtype=subtype)


def sandbox() -> Path:
    root = Path(tempfile.mkdtemp(prefix="sweep-"))
    rng = np.random.default_rng(0)
    data = root / "own" / "data"
    for label in ("yes", "no"):
        for i in range(3):
            wav(data / label / f"s{i}_nohash_{i}.wav", rng.uniform(-0.3, 0.3, 16000).astype(np.float32))
    wav(data / "yes" / "a_nohash_0.wav", rng.uniform(-0.3, 0.3, 16000).astype(np.float32))
    (root / "own" / "photos").mkdir(parents=True)
    (root / "own" / "photos" / "me.png").write_bytes(b"my photo")
    (root / "own" / "notes.txt").write_text("mine")
    (root / "own" / "photos" / "metadata.csv").write_text("path,label\n")
    return root


class Hang(BaseException):  # a BaseException, so the CLI's handler cannot turn it into an error line
    pass


def run(args: list[str], timeout: int = 300) -> tuple[int, str, str, bool]:
    from tinymlkit.cli import main

    out, err = io.StringIO(), io.StringIO()
    old_argv = sys.argv
    sys.argv = ["tinyml", *args]

    def alarm(_s, _f):  # noqa: ANN001, ANN202
        raise Hang

    signal.signal(signal.SIGALRM, alarm)
    signal.alarm(timeout)
    hung = False
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            try:
                main()
                code = 0
            except SystemExit as exc:
                code = exc.code if isinstance(exc.code, int) else 1
    except Hang:
        code, hung = -1, True
    except BaseException as exc:  # noqa: BLE001 - escaped the handler: a traceback for the user
        code = -2
        err.write(f"Traceback (escaped): {type(exc).__name__}: {exc}")
    finally:
        signal.alarm(0)
        sys.argv = old_argv
    return code, out.getvalue(), err.getvalue(), hung


def classify(case: dict, root: Path, before: dict, result: tuple) -> str:
    code, out, err, hung = result
    after = user_tree(root)
    if any(after.get(path) != digest for path, digest in before.items()):  # a user file changed or vanished
        return "data loss"
    if half_written(root):
        return "half-written"
    if hung:
        return "hang"
    if "Traceback" in out + err or "unexpected" in err:
        return "traceback"
    if code == 0:
        return "ok" if case.get("may_succeed") else "nonsense accepted"
    lines = [line for line in err.splitlines() if line.strip()]
    if code == 1 and len(lines) == 1 and lines[0].startswith("error: "):
        return "clean"
    if code == 2 and "Usage" in err + out:
        return "clean"
    return "traceback" if code not in (1, 2) else "unclear message"


def cases(root: Path) -> list[dict]:
    data = root / "own" / "data"
    out = []
    for command, options in NUMERIC.items():
        for option in options:
            for value in VALUES:
                if value == "0" and option in ZERO_OK:
                    continue
                args = [a.format(new=root / "new", data=data) for a in command]
                out.append({"args": [*args, option, value], "kind": "number"})
    fifo = root / "fifo"
    os.mkfifo(fifo)
    link = root / "link.html"
    link.symlink_to(root / "own" / "notes.txt")
    dlink = root / "dirlink"
    dlink.symlink_to(root / "own" / "photos")
    loop = root / "own" / "data" / "loop"
    loop.symlink_to(loop)
    targets = [
        "/dev/full",
        str(fifo),
        str(link),
        str(dlink),
        "/proc/tinyml/x",
        str(root / "own" / "notes.txt"),
        str(root / "own" / "photos"),
        str(root / "own" / "notes.txt" / "sub"),
        str(root / "own"),
    ]
    small = {
        "person": ["--scenes", "40"],
        "wand": ["--users", "3", "--repetitions", "1", "--gestures", "0,1,2"],
        "anomaly": ["--ids", "1", "--normal", "3", "--abnormal", "1", "--seconds", "0.2"],
    }
    for target in targets:
        for app in ("person", "wand", "anomaly"):
            out.append({"args": [app, "data", target, *small[app]], "kind": "output"})
        out.append({"args": ["kws", "synth", target], "kind": "output"})
        out.append({"args": ["data", "augment", str(data), target], "kind": "output"})
        out.append(
            {
                "args": ["record", "sketch", "imu", target],
                "kind": "output",  # OUT receives capture_imu/
                "may_succeed": Path(target).is_dir(),
            }
        )
        # a report folder or a runs root may be any folder of the user's: new files go in beside theirs
        out.append({"args": ["data", "stats", str(data), "--out", target], "kind": "output", "may_succeed": True})
        out.append(
            {
                "args": ["sine", "train", "--runs", target, "--epochs", "1", "--samples", "40"],
                "kind": "output",
                "may_succeed": True,
            }
        )
        out.append({"args": ["profile", str(root / "own" / "notes.txt"), "--html", target], "kind": "output"})
    for app in ("person", "wand", "anomaly"):  # re-running into our own earlier output must work
        out.append({"args": [app, "data", str(root / "mine"), *small[app]], "kind": "rerun", "may_succeed": True})
        out.append({"args": [app, "data", str(root / "mine"), *small[app]], "kind": "rerun", "may_succeed": True})
    names = ["[/x]", "a\nb", os.fsdecode(b"caf\xe9"), " ", "-", "--help", "x" * 300, "日本語", "\x1b[31mred"]
    for name in names:
        for args in (
            ["data", "stats", str(root / name)],
            ["data", "audit", str(root / name)],
            ["data", "restore", str(root / name)],
            ["kws", "synth", str(root / "new"), "--lang", name],
            ["kws", "synth", str(root / "new"), "--words", f"{name},no"],
            ["profile", str(root / name)],
            ["person", "predict", str(root / name)],
        ):
            out.append({"args": args, "kind": "name"})
    odd = root / "odd"
    contents = {
        "nan.wav": ("float", np.full(1600, np.nan, np.float32)),
        "inf.wav": ("float", np.full(1600, np.inf, np.float32)),
        "empty.wav": ("float", np.zeros(0, np.float32)),
        "rate1.wav": ("rate", np.zeros(10, np.int16)),
        "junk.wav": ("bytes", b"RIFF\x00\x00junk"),
        "short.wav": ("pcm", np.zeros(100, np.int16)),
    }
    for name, (how, payload) in contents.items():
        folder = odd / name.split(".")[0]
        for label in ("yes", "no"):
            wav(
                folder / label / "ok_nohash_0.wav",
                np.random.default_rng(1).uniform(-0.3, 0.3, 16000).astype(np.float32),
            )
        target = folder / "yes" / f"bad_nohash_0_{name}"
        if how == "float":
            wav(target, payload, subtype="FLOAT")
        elif how == "rate":
            wav(target, payload, rate=1)
        elif how == "bytes":
            target.write_bytes(payload)
        else:
            wav(target, payload)
        for args in (
            ["data", "stats", str(folder)],
            ["data", "audit", str(folder), "--no-labels"],
            ["data", "audit", str(folder), "--no-labels", "--fix"],
            ["data", "split", str(folder)],
            ["data", "augment", str(folder), str(root / f"aug-{name}")],
            ["kws", "listen", str(target)],
        ):
            out.append({"args": args, "kind": "content", "may_succeed": True})
    (odd / "big").mkdir(parents=True)
    for label in ("person", "no_person"):
        (odd / "big" / label).mkdir()
        from PIL import Image

        Image.new("L", (176, 144)).save(odd / "big" / label / "a_nohash_0.png")
    big = _huge_png()
    (odd / "big" / "person" / "huge_nohash_1.png").write_bytes(big)
    out.append({"args": ["data", "stats", str(odd / "big")], "kind": "content", "may_succeed": True})
    out.append({"args": ["person", "predict", str(odd / "big" / "person" / "huge_nohash_1.png")], "kind": "content"})
    manifests = [
        '[{"path": "../../own/notes.txt", "quarantined": "_quarantine/../../own/notes.txt"}]',
        '[{"path": "/etc/hostname", "quarantined": "_quarantine//etc/hostname"}]',
        "[",
        "{}",
        "[1]",
        '[{"path": "yes/s0_nohash_0.wav"}]',
        "\xff\xfe",
        '[{"path": "yes/x.wav", "quarantined": "../x"}]',
    ]
    for i, text in enumerate(manifests):
        folder = root / "own" / f"q{i}"
        wav(folder / "yes" / "s0_nohash_0.wav", np.zeros(16000, np.float32) + 0.1)
        wav(folder / "no" / "s1_nohash_0.wav", np.zeros(16000, np.float32) + 0.1)
        (folder / "_quarantine").mkdir()
        (folder / "_quarantine" / "manifest.json").write_bytes(text.encode("utf-8", "surrogateescape"))
        out.append({"args": ["data", "restore", str(folder)], "kind": "manifest"})
        out.append({"args": ["data", "audit", str(folder), "--no-labels", "--fix"], "kind": "manifest"})
    return out


def _huge_png() -> bytes:
    import struct
    import zlib

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", 40000, 40000, 8, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"")) + chunk(b"IEND", b"")


def main() -> None:
    import matplotlib.pyplot  # noqa: F401 - the slow imports once, before the per-case time limit starts
    import tensorflow  # noqa: F401

    root = sandbox()
    os.environ["TINYML_CACHE"] = str(root / "cache")
    os.chdir(root)
    all_cases = cases(root)
    counts: dict[str, int] = {}
    problems = []
    started = time.perf_counter()
    for case in all_cases:
        before = user_tree(root)
        result = run(case["args"])
        verdict = classify(case, root, before, result)
        counts[verdict] = counts.get(verdict, 0) + 1
        if verdict not in ("ok", "clean"):
            problems.append((verdict, case["args"], (result[2] or result[1]).strip()[-300:]))
    print(f"{len(all_cases)} cases in {time.perf_counter() - started:.0f} s")
    for verdict in (
        "ok",
        "clean",
        "data loss",
        "half-written",
        "traceback",
        "hang",
        "nonsense accepted",
        "unclear message",
    ):
        print(f"  {verdict:18s} {counts.get(verdict, 0)}")
    for verdict, args, message in problems:
        print(f"- {verdict}: tinyml {' '.join(repr(a) if ' ' in a or not a else a for a in args)}\n    {message!r}")
    worst = sum(counts.get(v, 0) for v in ("data loss", "half-written", "traceback", "hang"))
    sys.exit(1 if worst or counts.get("nonsense accepted", 0) > 5 else 0)


if __name__ == "__main__":
    main()
