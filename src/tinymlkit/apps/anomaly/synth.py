"""Built-in machine sounds for anomaly detection: rotating machines, normal and faulty, in the MIMII layout.

Each machine (type and id, e.g. ``fan/id_00``) has its own sound that stays the same over its recordings: a
rotation frequency, a series of harmonics (shaft, blade or vane passing, motor hum at twice the mains frequency)
with their own amplitudes, a structural resonance and a broadband flow noise. Each normal recording varies the
operating point: the speed (load changes, with a slow drift within the clip), the harmonic balance and level,
and the factory background noise (its level and colour).

Anomalous recordings add one fault, with a random severity that ranges from obvious to hard to hear:

- ``bearing``: clicks at a bearing defect frequency (3 to 5.5 times the shaft rate) ringing a resonance at
  2-5 kHz;
- ``imbalance``: a stronger once-per-revolution component and the harmonics modulated at the shaft rate (wobble);
- ``rubbing``: bursts of high-frequency friction noise once per revolution.

    synthesize_machine_dataset(root, machines=["fan"], ids=4, normal=120, abnormal=30)

writes ``<root>/<machine>/id_XX/{normal,abnormal}/NNNNNNNN.wav`` (16 kHz, 16-bit) and ``<root>/metadata.csv``
(path, machine, id, condition, fault, severity), readable by :mod:`tinymlkit.apps.anomaly.data`.
"""

import hashlib
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from scipy.signal import lfilter

from tinymlkit.data.audio import SAMPLE_RATE, write_wav
from tinymlkit.errors import TinyMLError
from tinymlkit.fileio import building_dir, check_output_dir, write_text
from tinymlkit.progress import ProgressCallback, ProgressEvent, silent
from tinymlkit.validate import SEED_MAX, check_number

MACHINES = {"fan": (18.0, 30.0, 5), "pump": (24.0, 40.0, 7), "slider": (8.0, 14.0, 3), "valve": (10.0, 16.0, 4)}
FAULTS = ("bearing", "imbalance", "rubbing")


@dataclass(frozen=True)
class Machine:
    """The fixed sound of one machine: rotation, harmonic series, resonance and flow noise."""

    name: str  # e.g. "fan/id_00"
    rotation_hz: float
    blades: int
    harmonics: tuple[float, ...]  # amplitude of k * rotation_hz, k = 1..n
    blade_harmonics: tuple[float, ...]  # amplitude of k * blades * rotation_hz
    hum: float  # motor hum at 100 Hz
    resonance_hz: float
    flow_tilt: float  # 0 white .. 1 strongly low-pass
    flow_level: float


def make_machine(kind: str, number: int) -> Machine:
    """The machine ``kind`` (one of :data:`MACHINES`) number ``number``: the same sound for the same name."""
    lo, hi, blades = MACHINES[kind]
    name = f"{kind}/id_{number:02d}"
    rng = np.random.default_rng(int(hashlib.sha1(name.encode()).hexdigest()[:8], 16))
    return Machine(
        name=name,
        rotation_hz=float(rng.uniform(lo, hi)),
        blades=int(blades + rng.integers(-1, 2)),
        harmonics=tuple(float(a) for a in rng.uniform(0.05, 0.3, 8) / np.arange(1, 9) ** 0.6),
        blade_harmonics=tuple(float(a) for a in rng.uniform(0.2, 0.6, 5) / np.arange(1, 6)),
        hum=float(rng.uniform(0.02, 0.15)),
        resonance_hz=float(rng.uniform(600.0, 1800.0)),
        flow_tilt=float(rng.uniform(0.6, 0.95)),
        flow_level=float(rng.uniform(0.1, 0.3)),
    )


def _coloured_noise(n: int, tilt: float, rng: np.random.Generator) -> np.ndarray:
    """White noise through a one-pole low-pass (``tilt`` 0: white, towards 1: darker), unit RMS."""
    x = lfilter([1.0], [1.0, -tilt], rng.standard_normal(n))
    return x / (np.std(x) + 1e-12)


def _band_noise(n: int, lo: float, hi: float, rng: np.random.Generator) -> np.ndarray:
    """Noise band-limited to [lo, hi] Hz (FFT mask), unit RMS."""
    spec = np.fft.rfft(rng.standard_normal(n))
    f = np.fft.rfftfreq(n, 1.0 / SAMPLE_RATE)
    spec[(f < lo) | (f > hi)] = 0.0
    x = np.fft.irfft(spec, n)
    return x / (np.std(x) + 1e-12)


def _resonate(x: np.ndarray, freq: float, q: float) -> np.ndarray:
    """Two-pole resonator at ``freq`` Hz."""
    r = np.exp(-np.pi * freq / (q * SAMPLE_RATE))
    theta = 2 * np.pi * freq / SAMPLE_RATE
    return lfilter([1.0 - r], [1.0, -2 * r * np.cos(theta), r * r], x)


def machine_sound(
    machine: Machine, seconds: float, rng: np.random.Generator, fault: str | None = None, severity: float = 0.0
) -> np.ndarray:
    """One recording (float32 in [-1, 1]) of ``machine`` at a random operating point, with ``fault`` if given."""
    n = int(round(seconds * SAMPLE_RATE))
    t = np.arange(n) / SAMPLE_RATE
    speed = machine.rotation_hz * rng.uniform(0.96, 1.04)  # load changes the speed
    drift = 1.0 + rng.uniform(-0.01, 0.01) * np.sin(2 * np.pi * rng.uniform(0.1, 0.5) * t + rng.uniform(0, 6.3))
    phase = 2 * np.pi * np.cumsum(speed * drift) / SAMPLE_RATE  # shaft angle
    balance = rng.uniform(0.8, 1.25, len(machine.harmonics))
    wobble = np.ones(n)
    harm_gain = 1.0
    if fault == "imbalance":
        wobble = 1.0 + 0.8 * severity * np.sin(phase + rng.uniform(0, 6.3))
        harm_gain = 1.0 + 3.0 * severity
    tonal = np.zeros(n)
    for k, a in enumerate(machine.harmonics, start=1):
        gain = a * balance[k - 1] * (harm_gain if k <= 3 else 1.0)
        tonal += gain * np.sin(k * phase + rng.uniform(0, 6.3))
    for k, a in enumerate(machine.blade_harmonics, start=1):
        tonal += a * rng.uniform(0.85, 1.15) * np.sin(k * machine.blades * phase + rng.uniform(0, 6.3))
    tonal += machine.hum * rng.uniform(0.7, 1.3) * np.sin(2 * np.pi * 100.0 * t + rng.uniform(0, 6.3))
    tonal *= wobble
    flow = machine.flow_level * rng.uniform(0.8, 1.25) * _coloured_noise(n, machine.flow_tilt, rng)
    body = _resonate(tonal + flow, machine.resonance_hz, 4.0) * 3.0 + tonal + flow
    body /= np.std(body) + 1e-12
    if fault == "bearing":
        rate = speed * rng.uniform(3.0, 5.5)
        clicks = np.zeros(n)
        start = rng.uniform(0, 1.0 / rate)
        for at in np.arange(start, seconds, 1.0 / rate):
            i = int(at * SAMPLE_RATE)
            clicks[i] = rng.uniform(0.6, 1.4)
        ring = _resonate(clicks, rng.uniform(2000.0, 5000.0), 30.0)
        body += 0.3 * severity * ring / (np.std(ring) + 1e-12)
    elif fault == "rubbing":
        contact = np.clip(np.sin(phase + rng.uniform(0, 6.3)), 0.0, None) ** 6
        rub = contact * _band_noise(n, 1500.0, 6000.0, rng)
        body += 0.3 * severity * rub / (np.std(rub) + 1e-12)
    background = _coloured_noise(n, rng.uniform(0.3, 0.97), rng) * rng.uniform(0.15, 0.5)
    audio = (body + background) * 0.05 * 10 ** (rng.uniform(-3, 3) / 20)
    return np.clip(audio, -1.0, 1.0).astype(np.float32)


def parse_machines(machines: list[str], ids: int) -> list[Machine]:
    """The built-in machines: ``ids`` even-numbered ids (00, 02, ...) of each machine type, as in MIMII."""
    unknown = [m for m in machines if m not in MACHINES]
    if unknown:
        raise TinyMLError(f"unknown built-in machine '{unknown[0]}'; choose from {', '.join(MACHINES)}")
    if not machines or ids < 1:
        raise TinyMLError("built-in data needs at least one machine type and --ids 1 or more")
    return [make_machine(kind, 2 * i) for kind in machines for i in range(ids)]


def synthesize_machine_dataset(
    root: str | Path,
    machines: list[str],
    ids: int = 4,
    normal: int = 120,
    abnormal: int = 30,
    seconds: float = 1.0,
    seed: int = 0,
    progress: ProgressCallback = silent,
    force: bool = False,
) -> str:
    """Write recordings of each machine in the MIMII layout under ``root`` (a new or empty folder, or this
    command's earlier output; with ``force`` beside your files, never over them), built under a temporary name
    so that it appears complete or not at all; return a one-line summary."""
    check_number("--ids", ids, 1, 100, integer=True)
    check_number("--normal", normal, 1, 100_000, integer=True, why="about 3 GB of audio at 1 s each")
    check_number("--abnormal", abnormal, 0, 100_000, integer=True, why="about 3 GB of audio at 1 s each")
    check_number("--seconds", seconds, 0.1, 600.0, why="longer recordings only slow synthesis")
    check_number("--seed", seed, 0, SEED_MAX, integer=True)
    chosen = parse_machines(machines, ids)
    final = check_output_dir(Path(root), force)
    with building_dir(final, force) as root:
        summary = _write_recordings(root, chosen, normal, abnormal, seconds, seed, progress)
    return f"{summary} in {final}"


def _write_recordings(
    root: Path, chosen: list, normal: int, abnormal: int, seconds: float, seed: int, progress: ProgressCallback
) -> str:
    rows = ["path,machine,id,condition,fault,severity"]
    total, done = len(chosen) * (normal + abnormal), 0
    for m_index, machine in enumerate(chosen):
        kind, mid = machine.name.split("/")
        for condition, count in (("normal", normal), ("abnormal", abnormal)):
            for i in range(count):
                rng = np.random.default_rng([seed, m_index, condition == "abnormal", i])
                fault = FAULTS[i % len(FAULTS)] if condition == "abnormal" else None
                severity = float(rng.uniform(0.2, 1.0)) if fault else 0.0
                rel = f"{kind}/{mid}/{condition}/{i:08d}.wav"
                write_wav(root / rel, machine_sound(machine, seconds, rng, fault, severity))
                rows.append(f"{rel},{kind},{mid},{condition},{fault or ''},{severity:.3f}")
                done += 1
                if done % 20 == 0 or done == total:
                    progress(ProgressEvent("Synthesizing machine sounds", done, total))
    write_text(root / "metadata.csv", "\n".join(rows) + "\n")
    return f"{total} recordings of {len(chosen)} machines ({seconds:g} s each)"
