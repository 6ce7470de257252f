"""Know before you flash: per-layer profile, TFLM arena, problems and fixes, board fit and latency estimate.

    >>> from tinymlkit.profile import profile_model, load_boards
    >>> p = profile_model(open("model.tflite", "rb").read(), board="nano33ble")
    >>> p.macs, p.arena_bytes, p.latency_ms, p.fit.verdict

The package is callable: ``tinymlkit.profile(model_bytes, board="nano33ble")`` is :func:`profile_model`.
"""

import sys
import types

from tinymlkit.profile.boards import Board, get_board, load_boards
from tinymlkit.profile.graph import LayerProfile
from tinymlkit.profile.profiler import Fit, Issue, Profile, profile_model

__all__ = ["Board", "Fit", "Issue", "LayerProfile", "Profile", "get_board", "load_boards", "profile_model"]


class _CallableModule(types.ModuleType):
    def __call__(self, model_bytes: bytes, board: str | None = None, **options) -> Profile:
        return profile_model(model_bytes, board, **options)


sys.modules[__name__].__class__ = _CallableModule
