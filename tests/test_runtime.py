"""The TFLM runtime wrapper: reading model files, measuring the arena, running models as the device does."""

import numpy as np
import pytest

from tinymlkit.errors import TinyMLError
from tinymlkit.runtime.model_file import read_model
from tinymlkit.runtime.ops import resolver_methods, supported
from tinymlkit.runtime.tflm import TensorSpec, TFLMModel, check_runs, measure_arena


def test_reads_model_structure(sine_float_model):
    info = read_model(sine_float_model)
    assert info.op_names == ["FULLY_CONNECTED"]
    assert info.input_tensors[0].shape == (1, 1)
    assert info.float_io and not info.is_hybrid
    assert info.size == len(sine_float_model)


@pytest.mark.parametrize(
    "data, message",
    [
        (b"not a model at all, just text", "not a TensorFlow Lite model"),
        (b"", "not a TensorFlow Lite model"),
    ],
)
def test_rejects_non_models(data, message):
    with pytest.raises(TinyMLError, match=message):
        read_model(data)


def test_truncated_model_is_a_clear_error(sine_float_model):
    with pytest.raises(TinyMLError, match="corrupt or truncated"):
        read_model(sine_float_model[: len(sine_float_model) // 3])


def test_arena_is_the_exact_minimum(sine_float_model):
    arena = measure_arena(sine_float_model)
    assert 1000 < arena < 4000  # the course's hello world needs about 2 KB
    assert check_runs(sine_float_model, arena)[0]
    assert not check_runs(sine_float_model, arena - 1)[0]


def test_runs_the_model_like_the_device(sine_float_model):
    tflm = TFLMModel(sine_float_model)
    x = np.linspace(0, 2 * np.pi, 20, dtype=np.float32).reshape(-1, 1)
    y = tflm.predict(x)
    assert y.shape == (20, 1)
    assert np.mean(np.abs(y[:, 0] - np.sin(x[:, 0]))) < 0.1


def test_quantization_round_trip():
    spec = TensorSpec(shape=(1, 4), dtype=np.dtype(np.int8), scale=0.5, zero_point=-128)
    q = spec.quantize(np.array([0.0, 1.0, 200.0, -5.0]))
    assert q.tolist() == [-128, -126, 127, -128]  # saturates at both ends
    assert spec.dequantize(q).tolist() == [0.0, 1.0, 127.5, 0.0]


def test_op_table_names_the_missing_kernel():
    assert supported("CONV_2D") and not supported("FLEX_DELEGATE")
    assert resolver_methods(["CONV_2D", "SOFTMAX"]) == ["AddConv2D", "AddSoftmax"]
    with pytest.raises(TinyMLError, match="no kernel for LSTM"):
        resolver_methods(["LSTM"])


def test_large_batches_run_in_worker_processes_with_the_same_results(sine_float_model, monkeypatch):
    import tinymlkit.runtime.tflm as tflm_module

    x = np.linspace(0, 2 * np.pi, 300, dtype=np.float32).reshape(-1, 1)
    alone = TFLMModel(sine_float_model).predict(x)  # under PARALLEL_MIN: in this process
    monkeypatch.setattr(tflm_module, "PARALLEL_MIN", 100)
    monkeypatch.setattr(tflm_module, "_cores", lambda: 2)
    tflm = TFLMModel(sine_float_model)
    events = []
    shared = tflm.predict(x, events.append)
    workers = list(tflm._workers)
    assert len(workers) == 2 and all(w.poll() is None for w in workers)  # they ran it and wait for more
    assert np.array_equal(shared, alone)
    assert [e.completed for e in events] == [75, 150, 225, 300] and events[-1].total == 300
    assert np.array_equal(tflm.predict(x[:150]), alone[:150]) and tflm._workers == workers  # kept and reused
    workers[1].kill()  # a worker that dies: the batch runs here instead, with the same results
    workers[1].wait()
    assert np.array_equal(tflm.predict(x), alone) and tflm._workers == []
    assert all(w.wait(timeout=10) is not None for w in workers)  # none left behind


def test_workers_that_cannot_start_leave_the_batch_to_this_process(sine_float_model, monkeypatch):
    import tinymlkit.runtime.tflm as tflm_module

    def no_processes(self):
        raise OSError("no more processes")

    x = np.linspace(0, 2 * np.pi, 300, dtype=np.float32).reshape(-1, 1)
    alone = TFLMModel(sine_float_model).predict(x)
    monkeypatch.setattr(tflm_module, "PARALLEL_MIN", 100)
    monkeypatch.setattr(tflm_module, "_cores", lambda: 2)
    monkeypatch.setattr(TFLMModel, "_start_workers", no_processes)
    assert np.array_equal(TFLMModel(sine_float_model).predict(x), alone)
