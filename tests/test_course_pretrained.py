"""The transfer-learning lab's pretrained backbone: the shipped weights load, and the rebuild script works."""

import numpy as np

from tinymlkit.course.pretrained import WEIGHTS, load_backbone, pretrain_backbone, save_backbone


def test_shipped_backbone_is_small_and_loads():
    assert 10_000 < WEIGHTS.stat().st_size < 64_000  # tens of KB in the wheel
    model = load_backbone()
    assert model.output_shape == (None, 64)
    assert model.predict(np.zeros((1, 32, 32, 3), np.float32), verbose=0).shape == (1, 64)


def test_rebuild_writes_loadable_weights(tmp_path):
    backbone, accuracy = pretrain_backbone(users=3, repetitions=1, epochs=1)
    assert 0.0 <= accuracy <= 1.0
    path = save_backbone(backbone, tmp_path / "backbone.npz")
    again = load_backbone(path)
    x = np.random.default_rng(0).random((2, 32, 32, 3)).astype(np.float32)
    np.testing.assert_allclose(again.predict(x, verbose=0), backbone.predict(x, verbose=0), rtol=0.05, atol=0.05)
