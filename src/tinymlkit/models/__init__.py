"""Model families. Each ``build`` returns an uncompiled Keras model; ``width`` scales its channel counts."""

from collections.abc import Callable
from functools import partial

from tinymlkit.errors import TinyMLError
from tinymlkit.models.width import scaled

__all__ = ["build_model", "families", "scaled"]


def build_model(name: str, input_shape: tuple[int, ...], classes: int, width: float = 1.0):
    """Build the model family ``name`` for inputs of ``input_shape`` (without batch) and ``classes`` outputs."""
    builders = _builders()
    if name not in builders:
        raise TinyMLError(f"unknown model '{name}'; choose one of: {', '.join(sorted(builders))}")
    if width <= 0:
        raise TinyMLError(f"width multiplier must be positive, got {width}")
    return builders[name](input_shape, classes, width)


def families() -> list[str]:
    """The names of the model families :func:`build_model` knows."""
    return sorted(_builders())


def _builders() -> dict[str, Callable]:
    from tinymlkit.models import autoencoder, ds_cnn, mobilenet_v1, sine_mlp, tiny_conv, wand_cnn

    return {
        "tiny_conv": tiny_conv.build,
        "ds_cnn": ds_cnn.build,
        "ds_cnn_cmvn": partial(ds_cnn.build, channel_norm=True),
        "autoencoder": autoencoder.build,
        "sine_mlp": sine_mlp.build,
        "wand_cnn": wand_cnn.build,
        "mobilenet_v1": mobilenet_v1.build,
    }
