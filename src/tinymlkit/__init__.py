"""TinyML Kit: the TinyML workflow, offline, from data to a TFLM-verified int8 model and an Arduino sketch."""

import os

# oneDNN's CPU kernels change float results with the thread schedule; without them the same seed gives the same
# model whether training is started from the CLI, a script or a test (read when TensorFlow is first imported).
os.environ.setdefault("TF_ENABLE_ONEDNN_OPTS", "0")

from tinymlkit.errors import TinyMLError  # noqa: E402

__version__ = "0.1.0"
__all__ = ["TinyMLError", "__version__"]
