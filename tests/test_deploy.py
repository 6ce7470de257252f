"""Deployment files: the C array is the model byte for byte; the sketch lists exactly the model's operators."""

import re

import pytest

from tinymlkit.deploy.arduino import sketch_arena
from tinymlkit.deploy.c_array import c_array, parse_c_array


def test_c_array_round_trip(sine_float_model):
    files = c_array(sine_float_model, name="g_model")
    assert set(files) == {"model_data.cc", "model_data.h"}
    assert parse_c_array(files["model_data.cc"]) == sine_float_model
    assert f"g_model_len = {len(sine_float_model)};" in files["model_data.cc"]
    assert "alignas(16) const unsigned char g_model[]" in files["model_data.cc"]
    assert "extern const unsigned char g_model[];" in files["model_data.h"]


def test_c_array_rejects_bad_names(sine_float_model):
    with pytest.raises(ValueError):
        c_array(sine_float_model, name="1model")


def test_sketch_arena_has_margin():
    assert sketch_arena(9800) == 10832  # + 10 % (at least 1 KB), rounded up to 16 bytes
    assert sketch_arena(2000) == 3024  # at least 1 KB more
    assert sketch_arena(5000) % 16 == 0


def resolver_calls(op_resolver_h: str) -> list[str]:
    return re.findall(r"resolver\.(Add\w+)\(\)", op_resolver_h)
