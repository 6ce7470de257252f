"""Rendering synthesized speech for :mod:`tinymlkit.apps.kws.synth`: clips and babble, in fresh processes.

A *job* is one clip: what to say (``text``), with which voice (``engine``: "espeak" by default, or "flite",
"festival", "piper" of :mod:`tinymlkit.apps.kws.voices`; ``lang``, ``variant``, ``rate``, ``pitch``, ``range``,
``seed``), how loud (``level_db``), where in the second (``offset``, 0-1), over how faint a noise floor
(``floor_db``), and where to write it (``path``, relative to the data set). A *stream* is one voice reading
``sentences`` for the babble noise.

eSpeak carries a little state from one utterance to the next, so the same jobs rendered after other speech
come out slightly different. :func:`render_all` therefore runs the jobs in new worker processes
(``python -m tinymlkit.apps.kws.synth_render``: a JSON task on stdin, one JSON line per result on stdout), in
tasks fixed by the number of jobs alone: the same jobs always give the same files.
"""

import json
import math
import os
import queue
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

import numpy as np

from tinymlkit.apps.kws import espeak, voices
from tinymlkit.data import noise
from tinymlkit.data.audio import SAMPLE_RATE, write_wav
from tinymlkit.errors import TinyMLError
from tinymlkit.progress import ProgressCallback, ProgressEvent, silent

CLIP_SAMPLES = SAMPLE_RATE
MAX_SPEECH_S = 0.98
"""The longest a spoken word may be inside its 1 s clip; longer words are said faster, then cut."""

_CLIPS_PER_TASK = 1000


def trim_silence(audio: np.ndarray, threshold_db: float = -40.0, margin_ms: int = 20) -> np.ndarray:
    """``audio`` without leading and trailing silence: 10 ms frames quieter than ``threshold_db`` below the
    loudest frame are cut, keeping ``margin_ms`` around the sound."""
    frame = SAMPLE_RATE // 100
    n = len(audio) // frame
    if n == 0:
        return audio[:0]
    rms = np.sqrt(np.mean(audio[: n * frame].astype(np.float64).reshape(n, frame) ** 2, axis=1))
    loud = np.nonzero(rms > max(rms.max() * 10 ** (threshold_db / 20), 1e-4))[0]
    if loud.size == 0:
        return audio[:0]
    margin = SAMPLE_RATE * margin_ms // 1000
    return audio[max(0, loud[0] * frame - margin) : min(len(audio), (loud[-1] + 1) * frame + margin)]


PITCH_SEMITONES = 4.0
"""flite/Festival/Piper: the pitch shift, in semitones, at the ends of eSpeak's 0-100 pitch scale (50: none)."""


def say(spec: dict, text: str, rate: int) -> np.ndarray:
    """``text`` spoken with the voice of a job or stream at ``rate``: eSpeak NG, or an installed flite, Festival or
    Piper voice (which keeps its own intonation: ``range`` is eSpeak's; Piper draws its variation from ``seed``)."""
    if spec.get("engine", "espeak") != "espeak":
        semitones = (spec["pitch"] - 50) / 50 * PITCH_SEMITONES
        return voices.synthesize(spec["variant"], text, rate, semitones, seed=spec["seed"])
    return espeak.synthesize(text, spec["lang"], spec["variant"], rate, spec["pitch"], spec["range"], seed=spec["seed"])


def spoken_word(job: dict) -> tuple[np.ndarray, int, bool, bool]:
    """The trimmed speech of a job, fitted into :data:`MAX_SPEECH_S`: (audio, rate used, sped up, trimmed)."""
    limit = int(MAX_SPEECH_S * SAMPLE_RATE)
    rate, sped_up, trimmed = job["rate"], False, False

    speech = trim_silence(say(job, job["text"], rate))
    if len(speech) > limit and rate < espeak.RATE_RANGE[1]:
        rate = min(espeak.RATE_RANGE[1], math.ceil(rate * len(speech) / limit * 1.1))
        speech, sped_up = trim_silence(say(job, job["text"], rate)), True
    if len(speech) > limit:
        speech, trimmed = speech[:limit].copy(), True
        fade = SAMPLE_RATE // 50
        speech[-fade:] *= np.linspace(1.0, 0.0, fade, dtype=np.float32)
    if speech.size == 0:
        who = "eSpeak NG" if job.get("engine", "espeak") == "espeak" else job["variant"]
        raise TinyMLError(f"{who} said nothing for {job['text']!r} in '{job['lang']}'; use words it can read")
    return speech, rate, sped_up, trimmed


def render_clip(job: dict, root: Path) -> dict:
    """Synthesize one job's clip, place it in 1 s at its level and offset over a faint floor, write the WAV."""
    speech, rate, sped_up, trimmed = spoken_word(job)
    speech = noise.at_level(speech, job["level_db"], peak=0.95)
    clip = np.zeros(CLIP_SAMPLES, np.float32)
    start = int(job["offset"] * (CLIP_SAMPLES - len(speech)))
    clip[start : start + len(speech)] = speech
    floor = noise.pink(CLIP_SAMPLES, np.random.default_rng(job["seed"]))
    write_wav(root / job["path"], clip + noise.at_level(floor, job["floor_db"]))
    return {
        "path": job["path"],
        "rate": rate,
        "speech_s": round(len(speech) / SAMPLE_RATE, 3),
        "sped_up": sped_up,
        "trimmed": trimmed,
    }


def render_stream(stream: dict) -> np.ndarray:
    """One voice reading its sentences with short pauses, until it has ``samples`` samples (for babble)."""
    rng = np.random.default_rng(stream["seed"])
    parts, total = [], 0
    for sentence in stream["sentences"]:
        audio = trim_silence(say(stream, sentence, stream["rate"]))
        gap = np.zeros(int(rng.uniform(0.05, 0.4) * SAMPLE_RATE), np.float32)
        parts += [audio, gap]
        total += len(audio) + len(gap)
        if total >= stream["samples"]:
            break
    return np.concatenate(parts)[: stream["samples"]] if parts else np.zeros(0, np.float32)


# ----------------------------------------------------------------------------------------------------------------
# The parent side: cut the jobs into tasks and run each in a new worker process


def _tasks(n: int) -> int:
    """How many worker tasks ``n`` clips are cut into: a function of ``n`` alone, so the output is too."""
    return max(1, min(8, math.ceil(n / _CLIPS_PER_TASK)))


def render_all(
    jobs: list[dict], streams: list[dict], root: Path, workers: int = 2, progress: ProgressCallback = silent
) -> tuple[dict[str, dict], list[np.ndarray]]:
    """Render clip ``jobs`` into ``root`` and the babble ``streams`` in fresh worker processes, ``workers`` at a
    time: (the result of each clip by its path, the stream audio).

    The clips are cut into a number of tasks that depends only on their count, and each task runs in a new
    process, so every clip comes out the same however many workers share the tasks."""
    n_tasks = _tasks(len(jobs))
    bounds = np.linspace(0, len(jobs), n_tasks + 1).round().astype(int)
    # Grouped by voice, so a worker rarely has to switch eSpeak's voice (it reloads the dictionary each time).
    ordered = sorted(jobs, key=lambda job: (job["speaker"], job["path"]))
    tasks = [{"jobs": ordered[a:b], "streams": []} for a, b in zip(bounds[:-1], bounds[1:], strict=True)]
    tasks[0]["streams"] = streams
    results: dict[str, dict] = {}
    audio: list[np.ndarray] = []
    total = len(jobs) + 1
    progress(ProgressEvent("Synthesizing speech", 0, total))
    events: queue.Queue = queue.Queue()
    running: list[subprocess.Popen] = []
    pending = list(enumerate(tasks))
    with tempfile.TemporaryDirectory(prefix="tinyml-synth-", ignore_cleanup_errors=True) as scratch:
        try:
            while pending or running:
                while pending and len(running) < workers:
                    index, task = pending.pop(0)
                    running.append(_start_worker(index, task, root, Path(scratch), events))
                kind, proc, payload = events.get()
                if kind == "line":
                    item = json.loads(payload)
                    if "error" in item:
                        raise TinyMLError(item["error"])
                    if "path" in item:
                        results[item["path"]] = item
                    else:
                        with np.load(Path(item["streams"])) as saved:
                            audio = [saved[f"s{i}"] for i in range(item["n"])]
                    progress(ProgressEvent("Synthesizing speech", len(results) + bool(audio), total))
                elif kind == "exit":
                    running.remove(proc)
                    if proc.returncode != 0:
                        raise TinyMLError(
                            f"the speech worker failed ({_last_line(payload)}); run again, "
                            "or report it with this message"
                        )
        finally:
            for proc in running:
                proc.kill()
                proc.wait()
    if len(results) != len(jobs) or (streams and not audio):
        raise TinyMLError("the speech workers stopped before all clips were made; run again")
    return results, audio


def _start_worker(index: int, task: dict, root: Path, scratch: Path, events: queue.Queue) -> subprocess.Popen:
    task = {**task, "root": str(root), "scratch": str(scratch / f"task{index}")}
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(p for p in sys.path if p))
    stderr = open(scratch / f"task{index}.err", "w+b")  # a file, so a chatty stderr can never block the worker
    proc = subprocess.Popen(
        [sys.executable, "-m", "tinymlkit.apps.kws.synth_render"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=stderr,
        env=env,
    )

    def pump() -> None:
        assert proc.stdin is not None and proc.stdout is not None
        try:
            proc.stdin.write(json.dumps(task).encode("utf-8"))
            proc.stdin.close()
        except OSError:
            pass  # the worker died at once; its exit status and stderr say why
        for line in proc.stdout:
            events.put(("line", proc, line.decode("utf-8")))
        proc.wait()
        stderr.seek(0)
        events.put(("exit", proc, stderr.read().decode("utf-8", "replace")))
        stderr.close()

    threading.Thread(target=pump, daemon=True).start()
    return proc


def _last_line(text: str) -> str:
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    return lines[-1][:200] if lines else "no message; it may have crashed"


# ----------------------------------------------------------------------------------------------------------------
# The worker side


def _work(task: dict) -> None:
    root = Path(task["root"])
    try:
        for job in task["jobs"]:
            print(json.dumps(render_clip(job, root)), flush=True)
        if task["streams"]:
            streams = [render_stream(s) for s in task["streams"]]
            out = Path(task["scratch"] + ".npz")
            np.savez(out, **{f"s{i}": s for i, s in enumerate(streams)})
            print(json.dumps({"streams": str(out), "n": len(streams)}), flush=True)
    finally:
        voices.close()  # the worker's Festival, if a job started one


def main() -> int:
    """Worker entry point: render the task on stdin; a problem the user can fix becomes ``{"error": ...}``."""
    task = json.loads(sys.stdin.buffer.read().decode("utf-8"))
    try:
        _work(task)
    except TinyMLError as e:
        print(json.dumps({"error": str(e)}), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
