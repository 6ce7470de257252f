"""Know before you flash: per-layer profile, TFLM arena, problems and fixes, board fit and latency estimate.

    >>> from tinymlkit.profile import profile_model, load_boards
    >>> p = profile_model(open("model.tflite", "rb").read(), board="nano33ble")
    >>> p.macs, p.arena_bytes, p.latency_ms, p.fit.verdict
"""

from tinymlkit.profile.boards import Board, get_board, load_boards
from tinymlkit.profile.graph import LayerProfile
from tinymlkit.profile.profiler import Fit, Issue, Profile, profile_model

__all__ = ["Board", "Fit", "Issue", "LayerProfile", "Profile", "get_board", "load_boards", "profile_model"]
