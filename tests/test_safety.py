"""Trying the toolkit like a careless or hostile user: owned output folders, special files, interrupted writers,
concurrent runs and caches, damaged manifests, and generated bad arguments, names and contents thrown at the
CLI. Every case must end in a correct result or one clean error line, with the file tree unchanged."""

import hashlib
import json
import multiprocessing
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest
import soundfile as sf
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tinymlkit.cache import cached_dataset, cached_path
from tinymlkit.datatools.audit import AuditResult, Finding, quarantine, restore
from tinymlkit.errors import TinyMLError
from tinymlkit.fileio import MARKER, building_dir, verify_folder, write_bytes, write_text
from tinymlkit.runs import new_run_path

SRC = Path(__file__).resolve().parents[1] / "src"
FAST = settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))


def tree(root: Path) -> dict[str, str]:
    """Every entry under ``root`` (links not followed) with a digest of its content."""
    out = {}
    for dirpath, dirnames, filenames in os.walk(root):
        for name in dirnames + filenames:
            p = Path(dirpath) / name
            rel = str(p.relative_to(root))
            if p.is_symlink():
                out[rel] = "link:" + os.readlink(p)
            elif p.is_file():
                out[rel] = hashlib.sha256(p.read_bytes()).hexdigest()
            else:
                out[rel] = "dir"
    return out


def cli(capsys, *args: str) -> tuple[int, str, str]:
    """Run ``tinyml ARGS`` in this process through the real entry point; return (status, stdout, stderr)."""
    from tinymlkit.cli import main

    old = sys.argv
    sys.argv = ["tinyml", *args]
    try:
        main()
        code = 0
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
    finally:
        sys.argv = old
    out, err = capsys.readouterr()
    return code, out, err


def clean_failure(code: int, out: str, err: str) -> None:
    assert "Traceback" not in out + err
    assert code in (1, 2), (code, out, err)
    if code == 1:  # ours: exactly one line naming the problem
        lines = [line for line in err.splitlines() if line.strip()]
        assert len(lines) == 1 and lines[0].startswith("error: "), err


def wav(path: Path, seconds: float = 0.2, rate: int = 16000, value: float | None = None) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    n = int(seconds * rate)
    audio = np.full(n, value, np.float32) if value is not None else np.random.default_rng(0).uniform(-0.3, 0.3, n)
    sf.write(str(path), audio.astype(np.float32), rate, subtype="FLOAT" if value is not None else "PCM_16")
    return path


# ------------------------------------------------------------------------------------------------ ownership


def test_output_folder_with_user_files_is_refused_and_force_keeps_them(tmp_path):
    out = tmp_path / "photos"
    (out / "person").mkdir(parents=True)
    (out / "person" / "me.png").write_bytes(b"my photo")
    with pytest.raises(TinyMLError, match="did not write.*--force"):
        with building_dir(out) as tmp:
            (tmp / "person").mkdir()
    assert (out / "person" / "me.png").read_bytes() == b"my photo"
    with building_dir(out, force=True) as tmp:
        write_text(tmp / "person" / "scene1.png", "new")
    assert (out / "person" / "me.png").read_bytes() == b"my photo"
    assert (out / "person" / "scene1.png").read_text() == "new"
    again = tmp_path / "again"
    with building_dir(again) as tmp:  # a folder of our own is replaced; the user's later additions are refused
        write_text(tmp / "a.txt", "1")
    with building_dir(again) as tmp:
        write_text(tmp / "b.txt", "2")
    assert sorted(p.name for p in again.iterdir()) == [MARKER, "b.txt"]
    (again / "mine.wav").write_bytes(b"user clip")
    with pytest.raises(TinyMLError, match="mine.wav"):
        with building_dir(again) as tmp:
            write_text(tmp / "b.txt", "3")
    assert (again / "mine.wav").read_bytes() == b"user clip" and (again / "b.txt").read_text() == "2"


def test_edited_sketch_is_never_overwritten(tmp_path, capsys):
    code, _, _ = cli(capsys, "record", "sketch", "imu", str(tmp_path))
    assert code == 0
    ino = tmp_path / "capture_imu" / "capture_imu.ino"
    assert cli(capsys, "record", "sketch", "imu", str(tmp_path))[0] == 0  # unedited: regenerated
    ino.write_text(ino.read_text() + "\n// my change\n")
    before = tree(tmp_path)
    for extra in ([], ["--force"]):
        code, out, err = cli(capsys, "record", "sketch", "imu", str(tmp_path), *extra)
        clean_failure(code, out, err)
        assert "capture_imu.ino" in err
        assert tree(tmp_path) == before


@pytest.mark.parametrize("kind", ["fifo", "symlink", "device", "folder"])
def test_special_outputs_are_refused(tmp_path, kind):
    target = tmp_path / "out.html"
    if kind == "fifo":
        os.mkfifo(target)
    elif kind == "symlink":
        (tmp_path / "real.html").write_text("keep")
        target.symlink_to(tmp_path / "real.html")
    elif kind == "device":
        target = Path("/dev/null")
    else:
        target.mkdir()
    before = os.lstat(target)
    with pytest.raises(TinyMLError, match="link|special|folder"):
        write_text(target, "<html>")
    after = os.lstat(target)
    assert (before.st_mode, before.st_ino) == (after.st_mode, after.st_ino)
    if kind == "symlink":
        assert (tmp_path / "real.html").read_text() == "keep"
    if kind != "folder":  # an empty folder is a fine output folder
        with pytest.raises(TinyMLError, match="link|file, not a folder"):
            with building_dir(target):
                pass


def test_unwritable_outputs_are_one_line_errors(tmp_path, capsys):
    (tmp_path / "afile").write_text("x")
    for args in (
        ["record", "sketch", "imu", "/proc/tinyml"],
        ["record", "sketch", "imu", str(tmp_path / "afile")],
        ["data", "stats", str(tmp_path), "--out", "/proc/x"],
        ["profile", str(tmp_path / "afile"), "--html", "/dev/full"],
    ):
        clean_failure(*cli(capsys, *args))
    assert (tmp_path / "afile").read_text() == "x"


# -------------------------------------------------------------------------------------- interrupted writers

WRITER = """
import sys, time
from pathlib import Path
from tinymlkit.fileio import building_dir, write_bytes
out, mode = Path(sys.argv[1]), sys.argv[2]
print("ready", flush=True)
if mode == "dir":
    with building_dir(out) as tmp:
        for i in range(400):
            (tmp / f"f{i:03d}.bin").write_bytes(bytes(2000))
            time.sleep(0.0005)
else:
    write_bytes(out, bytes(50_000_000))
"""


@pytest.mark.parametrize("mode", ["dir", "file"])
def test_kill_at_random_points_leaves_nothing_half_written(tmp_path, mode):
    rng = random.Random(1)
    env = dict(os.environ, PYTHONPATH=str(SRC))
    out = tmp_path / ("set" if mode == "dir" else "big.bin")
    for _ in range(4):
        proc = subprocess.Popen([sys.executable, "-c", WRITER, str(out), mode], stdout=subprocess.PIPE, env=env)
        proc.stdout.readline()
        time.sleep(rng.uniform(0.0, 0.25))
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        proc.stdout.close()
        if mode == "dir":
            assert not out.exists() or verify_folder(out)  # complete or absent, never partial
        else:
            assert not out.exists() or out.stat().st_size == 50_000_000
    # the next run removes the leftovers of the killed ones
    if mode == "dir":
        with building_dir(out) as tmp:
            write_text(tmp / "x", "done")
    else:
        write_bytes(out, b"done")
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".part")] == []


def test_ctrl_c_prints_one_line_and_exit_130(tmp_path):
    env = dict(os.environ, PYTHONPATH=str(SRC))
    proc = subprocess.Popen(
        [sys.executable, "-m", "tinymlkit", "person", "data", str(tmp_path / "p"), "--scenes", "20000"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
        start_new_session=True,
    )
    children = Path(f"/proc/{proc.pid}/task/{proc.pid}/children")
    deadline = time.monotonic() + 120
    while not children.read_text().strip() and time.monotonic() < deadline:  # wait until it draws, in workers
        time.sleep(0.1)
    time.sleep(1)
    os.killpg(proc.pid, signal.SIGINT)  # as a terminal's Ctrl-C: the command and its worker processes
    out, err = proc.communicate(timeout=60)
    assert proc.returncode == 130, err
    assert err.strip().splitlines()[-1] == "stopped; nothing written" and "Traceback" not in err
    assert not (tmp_path / "p").exists() and list(tmp_path.iterdir()) == []


# ---------------------------------------------------------------------------------------------- quarantine

AUDIT_KILL = """
import json, sys
from tinymlkit.datatools.audit import AuditResult, Finding, quarantine
root = sys.argv[1]
rels = json.loads(sys.argv[2])
print("ready", flush=True)
quarantine(AuditResult(root, "audio", len(rels), [Finding("silent", r, "", "", True) for r in rels], {}, ""))
"""


def _data_set(root: Path, n: int) -> list[str]:
    rels = []
    for i in range(n):
        rel = f"{'yes' if i % 2 else 'no'}/s{i}_nohash_0.wav"
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_bytes(i.to_bytes(4, "little"))
        rels.append(rel)
    return rels


def test_kill_during_audit_fix_restores_exactly(tmp_path):
    env = dict(os.environ, PYTHONPATH=str(SRC))
    rng = random.Random(3)
    for attempt in range(4):
        root = tmp_path / f"d{attempt}"
        rels = _data_set(root, 1500)
        before = tree(root)
        proc = subprocess.Popen(
            [sys.executable, "-c", AUDIT_KILL, str(root), json.dumps(rels)], stdout=subprocess.PIPE, env=env
        )
        proc.stdout.readline()
        time.sleep(rng.uniform(0.0, 0.1))
        proc.kill()
        proc.wait()
        proc.stdout.close()
        if (root / "_quarantine").exists() and any((root / "_quarantine").rglob("*.wav")):
            restore(root)
        assert {k: v for k, v in tree(root).items() if not k.startswith("_quarantine")} == before


def test_quarantine_is_linear_and_manifest_is_confined(tmp_path):
    root = tmp_path / "d"
    rels = _data_set(root, 3000)
    result = AuditResult(str(root), "audio", 3000, [Finding("silent", r, "", "", True) for r in rels], {}, "")
    started = time.process_time()  # CPU time: other load on the machine does not count
    moved = quarantine(result)
    assert len(moved.moved) == 3000 and time.process_time() - started < 3.0  # was ~100 s
    restore(root)
    before = tree(root)
    outside = tmp_path / "outside.txt"
    outside.write_text("not yours")
    for bad in (
        [{"path": "../outside.txt", "quarantined": "_quarantine/../outside.txt"}],
        [{"path": "/etc/passwd", "quarantined": "_quarantine//etc/passwd"}],
        [{"path": "yes/a.wav", "quarantined": "../../outside.txt"}],
        [1, 2],
        {"a": 1},
        "[",
        "",
    ):
        (root / "_quarantine").mkdir(exist_ok=True)
        (root / "_quarantine" / "manifest.json").write_text(bad if isinstance(bad, str) else json.dumps(bad))
        with pytest.raises(TinyMLError):
            restore(root)
        assert outside.read_text() == "not yours"
    (root / "_quarantine" / "manifest.json").write_text("[]\n")  # as restore left it
    assert tree(root) == before


# ------------------------------------------------------------------------------------------------ concurrency


def _run_folder(root: str) -> str:
    path = new_run_path("sine", root)
    with building_dir(path) as tmp:
        write_text(tmp / "report.json", json.dumps({"pid": os.getpid()}))
    return str(path)


def _cached(args: tuple[str, str]) -> str:
    cache, log = args
    os.environ["TINYML_CACHE"] = cache

    def build(root: Path) -> None:
        with open(log, "a") as f:
            f.write("built\n")
        with building_dir(root) as tmp:
            time.sleep(0.2)
            write_text(tmp / "data.csv", "x,y\n1,2\n")

    return str(cached_dataset("demo", {"n": 1}, build))


def test_concurrent_runs_get_distinct_folders_and_cache_builds_once(tmp_path, monkeypatch):
    ctx = multiprocessing.get_context("spawn")
    with ctx.Pool(4) as pool:
        paths = pool.map_async(_run_folder, [str(tmp_path / "runs")] * 8).get(timeout=300)  # a dead worker: fail
        assert len(set(paths)) == 8
        assert all(json.loads((Path(p) / "report.json").read_text())["pid"] for p in paths)
        log = tmp_path / "builds.log"
        roots = pool.map_async(_cached, [(str(tmp_path / "cache"), str(log))] * 6).get(timeout=300)
    assert len(set(roots)) == 1 and log.read_text().count("built") == 1
    # a damaged cached set (truncated file) is noticed and rebuilt
    monkeypatch.setenv("TINYML_CACHE", str(tmp_path / "cache"))
    root = cached_path("demo", {"n": 1})
    (root / "data.csv").write_text("x,y\n")
    assert Path(_cached((str(tmp_path / "cache"), str(log)))) == root
    assert log.read_text().count("built") == 2 and (root / "data.csv").read_text() == "x,y\n1,2\n"


# ------------------------------------------------------------------------------------------ generated attacks

NAMES = st.text(
    st.characters(blacklist_characters="/\x00", blacklist_categories=("Cs",)), min_size=1, max_size=30
).filter(lambda s: s not in (".", ".."))
BAD_NUMBERS = st.one_of(
    st.sampled_from(["nan", "inf", "-inf", "-1", "0", "1e20", "99999999999999999999", "", "[/x]", "1,5", "0x10"]),
    st.integers(max_value=-1).map(str),
    st.integers(min_value=2**33).map(str),
    st.floats(allow_nan=True, allow_infinity=True).filter(lambda x: not 0 <= x <= 2**33).map(repr),
)


@FAST
@given(
    option=st.sampled_from(
        [
            ("person", "data", "{out}", "--scenes"),
            ("wand", "data", "{out}", "--users"),
            ("wand", "data", "{out}", "--repetitions"),
            ("anomaly", "data", "{out}", "--normal"),
            ("anomaly", "data", "{out}", "--seconds"),
            ("anomaly", "data", "{out}", "--ids"),
            ("kws", "synth", "{out}", "--voices"),
            ("data", "augment", "{data}", "{out}", "--copies"),
            ("data", "split", "{data}", "--test"),
            ("record", "sketch", "imu", "{out}", "--baud"),
            ("record", "sketch", "imu", "{out}", "--rev"),
        ]
    ),
    value=BAD_NUMBERS,
)
def test_bad_numbers_give_one_line_and_write_nothing(tmp_path_factory, capsys, option, value):
    """Values no option accepts (not numbers, not finite, negative, zero counts, beyond every bound)."""
    base = tmp_path_factory.mktemp("num")
    data = base / "data"
    wav(data / "yes" / "a_nohash_0.wav")
    wav(data / "no" / "b_nohash_0.wav")
    before = tree(base)
    args = [a.format(out=base / "out", data=data) for a in option]
    if value == "0" and option[-1] in ("--test", "--seed"):
        return  # fair values for these two
    code, out, err = cli(capsys, *args, value)
    assert code != 0, (args, value)
    clean_failure(code, out, err)
    assert tree(base) == before


@settings(max_examples=10, deadline=None, suppress_health_check=list(HealthCheck))
@given(name=NAMES, content=st.one_of(st.binary(max_size=200), st.just(b"RIFF\x00\x00\x00\x00WAVEfmt ")))
def test_odd_file_names_and_contents_are_handled(tmp_path_factory, capsys, name, content):
    base = tmp_path_factory.mktemp("odd")
    data = base / "data"
    wav(data / "yes" / "a_nohash_0.wav")
    wav(data / "no" / "b_nohash_0.wav")
    weird = data / "yes" / (name[:40] + ".wav")
    if weird.exists():
        return
    weird.write_bytes(content)
    before = tree(base)
    for args in (
        ["data", "stats", str(data), "--out", str(base / "rep")],
        ["data", "restore", str(data)],
        ["data", "stats", str(data / name[:40]), "--out", str(base / "rep")],
    ):
        code, out, err = cli(capsys, *args)
        if code:
            clean_failure(code, out, err)
        now = {k: v for k, v in tree(base).items() if not k.startswith("rep")}
        assert now == before


@pytest.mark.parametrize("case", ["nan", "inf", "empty", "rate"])
def test_audio_that_is_not_sound_is_refused(tmp_path, case):
    from tinymlkit.data.audio import read_audio

    path = tmp_path / "x.wav"
    if case == "empty":
        sf.write(str(path), np.zeros(0, np.float32), 16000)
    elif case == "rate":
        sf.write(str(path), np.zeros(100, np.int16), 1)
    else:
        wav(path, value=float(case))
    with pytest.raises(TinyMLError, match="NaN|no audio|sample rate"):
        read_audio(path)
    dangling = tmp_path / "gone.wav"
    dangling.symlink_to(tmp_path / "nowhere.wav")
    with pytest.raises(TinyMLError, match="link to a missing file"):
        read_audio(dangling)


def test_loudest_window_is_linear():
    from tinymlkit.data.audio import fit_length, loudest_window

    audio = np.random.default_rng(0).standard_normal(16000 * 600, dtype=np.float32) * 0.01  # ten minutes
    audio[1_000_000:1_016_000] += 0.5
    started = time.process_time()
    assert abs(loudest_window(audio, 16000) - 1_000_000) < 100
    assert time.process_time() - started < 3.0  # the direct convolution took about a minute
    assert len(fit_length(audio[:40000], 16000)) == 16000


def test_markup_and_non_utf8_in_paths_and_messages(tmp_path, capsys):
    code, out, err = cli(capsys, "data", "stats", str(tmp_path / "x[/x]" / "[bold]y"))
    clean_failure(code, out, err)
    assert "x[/x]" in err and "[bold]y" in err
    raw = os.fsdecode(b"caf\xe9")
    code, out, err = cli(capsys, "data", "stats", str(tmp_path / raw))
    clean_failure(code, out, err)
    from tinymlkit.cli.ui import error_line

    error_line("pip install 'tinymlkit[mic]'")
    assert "tinymlkit[mic]" in capsys.readouterr().err


def test_keywords_in_another_script_are_refused():
    from tinymlkit.apps.kws import espeak
    from tinymlkit.apps.kws.scripts import check_script

    with pytest.raises(TinyMLError, match="Han letters.*cmn"):
        check_script(["你好", "再见"], "en", espeak.languages())
    check_script(["你好"], "cmn", espeak.languages())


def test_huge_images_are_refused_before_decoding(tmp_path):
    import struct
    import zlib

    from tinymlkit.apps.person.camera import read_frame

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", 40000, 40000, 8, 0, 0, 0, 0)
    png = b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"")) + chunk(b"IEND", b"")
    (tmp_path / "big.png").write_bytes(png)
    with pytest.raises(TinyMLError, match="megapixel"):
        read_frame(tmp_path / "big.png")


@FAST
@given(
    field=st.sampled_from(["epochs", "batch_size", "learning_rate", "patience", "seed"]),
    value=st.one_of(st.floats(allow_nan=True, allow_infinity=True), st.integers(-(10**30), 10**30)),
)
def test_config_ranges_reject_nonsense(field, value):
    from tinymlkit.train import TrainConfig

    try:
        config = TrainConfig(**{field: value})
    except TinyMLError as exc:
        assert len(str(exc).splitlines()) == 1 and str(exc).startswith("--")
        return
    got = getattr(config, field)
    assert np.isfinite(got) and got >= 0 and (field != "epochs" or got >= 1)


def test_links_in_a_data_set_are_copied_as_links_and_short_clips_augment(tmp_path):
    from tinymlkit.datatools.augment_folder import augment_folder

    data = tmp_path / "data"
    wav(data / "yes" / "a_nohash_0.wav")
    wav(data / "no" / "b_nohash_0.wav", seconds=0.05)  # under 100 ms
    (data / "loop").symlink_to(data / "loop")
    try:
        result = augment_folder(data, tmp_path / "aug", copies=1)
    except TinyMLError as exc:
        assert len(str(exc).splitlines()) == 1
        assert not (tmp_path / "aug").exists()
    else:
        assert verify_folder(result.out) and (tmp_path / "aug" / "loop").is_symlink()
