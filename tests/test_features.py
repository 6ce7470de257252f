"""Device-exact keyword features and the int8 input quantization they imply."""

import numpy as np

from tinymlkit.apps.kws.frontend import MICRO_SPEECH, frontend, micro_features, to_int16


def test_one_second_gives_49_by_40():
    rng = np.random.default_rng(0)
    clips = (0.1 * rng.standard_normal((3, 16000))).astype(np.float32)
    x = micro_features(clips)
    assert x.shape == (3, 49, 40) and MICRO_SPEECH.shape == (49, 40)
    assert x.dtype == np.float32
    assert 0.0 <= x.min() and x.max() < 27.0  # 16-bit frontend output scaled by 10/256


def test_features_are_multiples_of_the_frontend_step():
    rng = np.random.default_rng(1)
    x = frontend((0.2 * rng.standard_normal(16000)).astype(np.float32))
    units = x / MICRO_SPEECH.scale
    assert np.allclose(units, np.round(units))  # integers from the fixed-point C code, scaled


def test_stream_keeps_frontend_state():
    """A stream is one pass: its first second equals the clip's, later frames depend on earlier audio."""
    rng = np.random.default_rng(2)
    audio = (0.1 * rng.standard_normal(48000)).astype(np.float32)
    stream = frontend(audio)
    assert stream.shape == (1 + (48000 - 480) // 320, 40)
    assert np.array_equal(stream[:49], frontend(audio[:16000]))
    assert not np.array_equal(stream[50:99], frontend(audio[16000:32000]))


def test_int16_conversion_saturates():
    assert to_int16(np.array([0.0, 0.5, 1.0, -1.0, -2.0])).tolist() == [0, 16384, 32767, -32768, -32768]
