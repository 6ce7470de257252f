"""Shared fixtures: a private cache folder, quiet TensorFlow, and small data sets made on the fly."""

import os
from pathlib import Path

import pytest

from datagen import write_tone_dataset

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
os.environ.setdefault("TF_ENABLE_ONEDNN_OPTS", "0")  # as tinymlkit sets it, in case a test imports TF first

SINE_FLOAT = Path(__import__("tflite_micro").__file__).parent / "python" / "tflite_micro" / "sine_float.tflite"


@pytest.fixture(autouse=True)
def _private_cache(tmp_path_factory, monkeypatch):
    monkeypatch.setenv("TINYML_CACHE", str(tmp_path_factory.getbasetemp() / "cache"))


@pytest.fixture(scope="session")
def tone_dataset(tmp_path_factory) -> Path:
    return write_tone_dataset(tmp_path_factory.mktemp("tones"))


@pytest.fixture(scope="session")
def sine_float_model() -> bytes:
    return SINE_FLOAT.read_bytes()
