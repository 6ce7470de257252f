"""The transfer-learning lab's pretrained backbone: the shipped weights load, and the rebuild script works."""

import numpy as np

from tinymlkit.course.pretrained import WEIGHTS, load_backbone, pretrain_backbone, save_backbone


def test_shipped_backbone_is_small_and_loads():
    assert 10_000 < WEIGHTS.stat().st_size < 64_000  # tens of KB in the wheel
    model = load_backbone()
    assert model.output_shape == (None, 512)
    assert model.predict(np.zeros((1, 32, 32, 3), np.float32), verbose=0).shape == (1, 512)


def test_rebuild_writes_loadable_weights(tmp_path):
    backbone, accuracy = pretrain_backbone(users=3, repetitions=1, epochs=1)
    assert 0.0 <= accuracy <= 1.0
    path = save_backbone(backbone, tmp_path / "backbone.npz")
    again = load_backbone(path)
    x = np.random.default_rng(0).random((2, 32, 32, 3)).astype(np.float32)
    np.testing.assert_allclose(again.predict(x, verbose=0), backbone.predict(x, verbose=0), rtol=0.05, atol=0.05)


def test_shipped_keyword_model_runs_in_tflm():
    from tinymlkit.course.pretrained import KEYWORD_LABELS, KEYWORD_MODEL
    from tinymlkit.runtime.model_file import read_model
    from tinymlkit.runtime.tflm import TFLMModel

    data = KEYWORD_MODEL.read_bytes()
    assert len(data) < 20 * 1024  # the course's "under 20 KB"
    info = read_model(data)
    assert info.input_tensors[0].dtype == "int8" and not info.is_hybrid
    scores = TFLMModel(data).predict(np.zeros((1, 1960), np.float32))
    assert scores.shape == (1, len(KEYWORD_LABELS))


def test_keyword_model_rebuild_runs():
    from tinymlkit.course.pretrained import pretrain_keyword_model

    model, accuracy = pretrain_keyword_model(per_word=5, epochs=1)
    assert model[4:8] == b"TFL3" and 0.0 <= accuracy <= 1.0
