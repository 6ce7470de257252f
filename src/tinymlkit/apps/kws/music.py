"""Real music as a background of the built-in keyword data, where a package or folder of it is installed.

A keyword model that only ever heard synthetic noise behind its words takes music for speech: tones and beats
look like vowels and syllables to it (docs/real_world.md measures it over music on hold). Where music is installed,
the built-in data gets medleys of it (:func:`medleys`: excerpts of many pieces one after another) among its
``_background_noise_/`` recordings, which the training mixes behind the clips, and cuts part of its ``silence``
clips from them, so the model hears music with no keyword in it. Nothing is downloaded; without music the data is
as before. The files come from :data:`MUSIC_FOLDERS` (Debian's ``drascula-music``: 31 pieces of an adventure game's
soundtrack, 47 minutes)::

    sudo apt-get install drascula-music

or from the folders (or files) in ``$TINYML_BACKGROUND_MUSIC``, separated by ``os.pathsep``; any file soundfile
reads (WAV, OGG, FLAC, MP3) at any rate, mono or stereo. Never give the music you test with: a test over music
the model was trained on says nothing.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import soundfile as sf

from tinymlkit.data.audio import SAMPLE_RATE, resample
from tinymlkit.data.installed import Installed
from tinymlkit.errors import TinyMLError

MUSIC_FOLDERS = ("/usr/share/scummvm/drascula/audio",)
"""Folders of music used when installed (``sudo apt-get install drascula-music``)."""
ENV = "TINYML_BACKGROUND_MUSIC"
SUFFIXES = (".wav", ".ogg", ".oga", ".flac", ".mp3")
EXCERPT_SECONDS = 10
"""Each medley is made of excerpts this long, one after another, each from another piece where there are enough."""
FADE_SECONDS = 0.05
MUSIC = Installed(ENV, MUSIC_FOLDERS, SUFFIXES)


def music_files() -> list[Path]:
    """The music files found (sorted; empty where none is installed). A folder's files are taken, not its
    sub-folders'; empty files (such as Debian's placeholder links) are skipped."""
    return MUSIC.files()


def _excerpt(path: Path, seconds: float, rng: np.random.Generator) -> np.ndarray:
    """A random ``seconds`` of ``path`` (all of it if shorter), mono at 16 kHz; empty if it cannot be read."""
    try:
        info = sf.info(os.fsencode(path))
        want = int(seconds * info.samplerate)
        start = int(rng.integers(max(1, info.frames - want + 1)))
        data, rate = sf.read(os.fsencode(path), start=start, frames=want, dtype="float32", always_2d=True)
    except Exception:  # a damaged or unsupported file is left out, as an unreadable photo is
        return np.zeros(0, np.float32)
    if data.size == 0 or not np.isfinite(data).all():
        return np.zeros(0, np.float32)
    return resample(data.mean(axis=1), rate, SAMPLE_RATE)


def medleys(files: Sequence[Path], count: int, seconds: int, seed: int) -> list[np.ndarray]:
    """``count`` recordings of ``seconds`` at 16 kHz, each excerpts of :data:`EXCERPT_SECONDS` from the ``files``
    (each piece in turn, in a seeded order) at one loudness, faded in and out; reproducible for the same files and
    seed. Raises :class:`TinyMLError` when no file can be read."""
    rng = np.random.default_rng([seed, 7])
    order = [files[i] for i in rng.permutation(len(files))]
    fade = int(FADE_SECONDS * SAMPLE_RATE)
    ramp = np.linspace(0.0, 1.0, fade, dtype=np.float32)
    out, tried, used = [], 0, 0
    for _ in range(count):
        parts, length = [], 0
        while length < seconds * SAMPLE_RATE:
            if tried >= len(order) and not used:
                raise TinyMLError(
                    f"none of the {len(files)} music files could be read as sound; check ${ENV} or leave it unset"
                )
            piece = _excerpt(order[tried % len(order)], EXCERPT_SECONDS, rng)
            tried += 1
            rms = float(np.sqrt(np.mean(piece**2))) if len(piece) else 0.0
            if len(piece) <= 2 * fade or rms < 1e-4:  # unreadable or silent: the next piece
                continue
            used += 1
            piece = piece / rms * 0.1
            piece[:fade] *= ramp
            piece[-fade:] *= ramp[::-1]
            parts.append(piece)
            length += len(piece)
        out.append(np.concatenate(parts)[: seconds * SAMPLE_RATE].astype(np.float32))
    return out
