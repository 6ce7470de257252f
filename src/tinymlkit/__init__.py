"""TinyML Kit: the TinyML workflow, offline, from data to a TFLM-verified int8 model and an Arduino sketch.

The public API (``docs/api.md``), imported lazily so ``import tinymlkit`` stays fast::

    import tinymlkit as tm

    cfg = tm.kws.config(words=["yes", "no"], epochs=5)    # an application's recipe and its config
    data = tm.kws.load(cfg)                               # built-in synthesized data, or data=FOLDER
    feats = tm.kws.features(data, cfg)                    # split -> (inputs, targets), as the device computes
    model = tm.kws.build_model(cfg, data)                 # a Keras model
    tm.kws.train(model, feats, cfg)                       # compile + fit with early stopping
    tflite = tm.to_int8(model, feats["train"][0], tm.kws.input_range(cfg, data))
    scores = tm.TFLMModel(tflite).predict(feats["test"][0])   # the int8 model in the TFLM interpreter
    tm.profile(tflite, board="nano33ble")                 # MACs, arena, fit and latency on a board
    tm.deploy(tflite, "out", tm.kws, labels=data.labels, config=cfg)   # .tflite, C array, Arduino sketch
    tm.deploy_multi(["kws.tflite", "person.tflite"], "out/pair")       # several models, one shared arena
    tm.check_model(tflite, "nano33ble", max_arena=40_000).passed      # CI gates: flash, arena, latency, accuracy
    report = tm.run(tm.kws, cfg)                          # all of it, with a run folder and report.json
"""

import os
from importlib import import_module

# oneDNN's CPU kernels change float results with the thread schedule; without them the same seed gives the same
# model whether training is started from the CLI, a script or a test (read when TensorFlow is first imported).
os.environ.setdefault("TF_ENABLE_ONEDNN_OPTS", "0")

from tinymlkit.errors import TinyMLError  # noqa: E402

__version__ = "0.1.0"

APPS = ("kws", "wand", "person", "anomaly", "sine")  # the built-in applications: tm.kws, tm.wand, ...
_API = {  # name -> (module, attribute)
    "run": ("tinymlkit.pipeline", "run"),
    "Recipe": ("tinymlkit.recipe", "Recipe"),
    "Task": ("tinymlkit.recipe", "Task"),
    "Classification": ("tinymlkit.recipe", "Classification"),
    "Regression": ("tinymlkit.recipe", "Regression"),
    "AnomalyScore": ("tinymlkit.recipe", "AnomalyScore"),
    "Features": ("tinymlkit.recipe", "Features"),
    "CardText": ("tinymlkit.recipe", "CardText"),
    "Dataset": ("tinymlkit.data.dataset", "Dataset"),
    "TrainConfig": ("tinymlkit.train", "TrainConfig"),
    "fit": ("tinymlkit.train", "fit"),
    "seed_everything": ("tinymlkit.train", "seed_everything"),
    "to_int8": ("tinymlkit.convert.quantize", "to_int8"),
    "TFLMModel": ("tinymlkit.runtime.tflm", "TFLMModel"),
    "measure_arena": ("tinymlkit.runtime.tflm", "measure_arena"),
    "ModelReport": ("tinymlkit.report", "ModelReport"),
    "deploy_multi": ("tinymlkit.deploy.multi", "deploy_multi"),
    "check_model": ("tinymlkit.gates", "check_model"),
}
_MODULES = ("profile", "deploy", "apps")  # callable packages: tm.profile(...), tm.deploy(...); tm.apps.kws

__all__ = ["APPS", "TinyMLError", "__version__", *_API, *_MODULES, *APPS]


def __getattr__(name: str):
    if name in APPS:
        value = import_module(f"tinymlkit.apps.{name}.recipe").recipe
    elif name in _API:
        module, attribute = _API[name]
        value = getattr(import_module(module), attribute)
    elif name in _MODULES:
        return import_module(f"tinymlkit.{name}")
    else:
        raise AttributeError(f"module 'tinymlkit' has no attribute '{name}'")
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
