"""TinyML Kit: the TinyML workflow, offline, from data to a TFLM-verified int8 model and an Arduino sketch."""

from tinymlkit.errors import TinyMLError

__version__ = "0.1.0"
__all__ = ["TinyMLError", "__version__"]
