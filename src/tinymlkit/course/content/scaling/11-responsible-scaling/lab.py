# %% [markdown]
# # Lab: carbon of training and inference, and a model card from report.json
#
# You train a small digit classifier, measure it as deployed (int8 in TFLM), record the run in a `report.json`
# with the toolkit's `ModelReport`, and let the toolkit write its model card. Then you estimate the carbon of
# training it and of a fleet running it, and read the card's figures from `report.json` yourself.
#
# Cells marked **Exercise** are graded: `tinyml course check c4-responsible`.

# %%
# Everything from TinyML Kit this lab uses, in one place.
import json
import os
import tempfile
import time
from pathlib import Path

import keras
import numpy as np

import tinymlkit as tm
from tinymlkit.course.datasets import digits
from tinymlkit.evaluate.cards import write_cards
from tinymlkit.report import DataSummary, ModelSummary

FAST = os.environ.get("TINYML_COURSE_FAST") == "1"
keras.utils.set_random_seed(0)

# %% [markdown]
# ## A run: train, convert, measure
# scikit-learn's 8 x 8 digits; a small dense network; int8 accuracy measured in the TFLM interpreter.

# %%
data = digits()
x_train, y_train, x_val, y_val = data.x_train[:-200], data.y_train[:-200], data.x_train[-200:], data.y_train[-200:]
model = keras.Sequential([keras.Input((8, 8)), keras.layers.Rescaling(1 / 16), keras.layers.Flatten(),
                          keras.layers.Dense(32, activation="relu"), keras.layers.Dense(10, activation="softmax")])
model.compile("adam", "sparse_categorical_crossentropy", metrics=["accuracy"])
start = time.perf_counter()
model.fit(x_train, y_train, validation_data=(x_val, y_val), epochs=3 if FAST else 20, batch_size=32, verbose=0)
train_seconds = time.perf_counter() - start
float_accuracy = float(np.mean(model.predict(data.x_test, verbose=0).argmax(-1) == data.y_test))
tflite = tm.to_int8(model, x_train[:200])
tflm = tm.TFLMModel(tflite)
int8_accuracy = float(np.mean(tflm.predict(data.x_test).argmax(-1) == data.y_test))
profile = tm.profile(tflite, board="nano33ble")
print(f"trained in {train_seconds:.1f} s; float {float_accuracy:.3f}, int8 in TFLM {int8_accuracy:.3f}; "
      f"{len(tflite):,} bytes, arena {tflm.arena_size:,} bytes, {profile.latency_ms:.2f} ms on the Nano 33 BLE")

# %%
run = Path(tempfile.mkdtemp()) / "digits-run"
labels = [str(d) for d in range(10)]
report = tm.ModelReport(
    app="digits", run_dir=str(run), settings={"epochs": 3 if FAST else 20},
    data=DataSummary(source="scikit-learn digits", labels=labels,
                     counts={split: {lab: int(np.sum(y == int(lab))) for lab in labels}
                             for split, y in (("train", y_train), ("validation", y_val), ("test", data.y_test))},
                     groups={"train": 0, "validation": 0, "test": 0}),
    model=ModelSummary(family="dense", parameters=profile.parameters, flash_bytes=len(tflite),
                       arena_bytes=tflm.arena_size, ops=profile.ops, input_shape=list(tflm.input.shape),
                       input_scale=tflm.input.scale, input_zero_point=tflm.input.zero_point,
                       output_scale=tflm.output.scale, output_zero_point=tflm.output.zero_point,
                       arena_note="measured in TFLM on this computer (64-bit pointers)"),
    float_metrics={"accuracy": float_accuracy}, int8_metrics={"accuracy": int8_accuracy},
    test_examples=len(data.y_test))
report.save(run)
write_cards(run, report)
print(sorted(p.name for p in run.iterdir()))
print((run / "model_card.md").read_text()[:900])

# %% [markdown]
# ## Exercise `carbon`
# Write `carbon_kg(train_watts, train_hours, pue, grid_g_per_kwh, device_mw, latency_ms, inferences)`.

# %% exercise="carbon"
def carbon_kg(train_watts, train_hours, pue, grid_g_per_kwh, device_mw, latency_ms, inferences):
    raise NotImplementedError  # your code here


# %%
# Assumed figures: this computer draws about 15 W while training (PUE 1: no data centre), the board 20 mW
# while inferring; a grid of 400 g CO2e/kWh; 10,000 devices each inferring once a second for a year.
year = 10_000 * 3600 * 24 * 365
training, fleet = carbon_kg(15, train_seconds / 3600, 1.0, 400, 20, profile.latency_ms, year)
print(f"training: {1000 * training:.3f} g CO2e; the fleet's inferences for a year: {fleet:.1f} kg CO2e")
print(f"the same training on a 300 W GPU for 2 hours at PUE 1.5: {carbon_kg(300, 2, 1.5, 400, 0, 0, 0)[0]:.2f} kg")

# %% [markdown]
# ## Exercise `card-fields`
# Write `card_fields(report_path)`: the figures a model card must state, read from `report.json`.

# %% exercise="card-fields"
def card_fields(report_path):
    raise NotImplementedError  # your code here


# %%
fields = card_fields(run / "report.json")
print(json.dumps(fields, indent=1))
card = (run / "model_card.md").read_text()
print("int8 accuracy on the toolkit's card:", f"{fields['int8_accuracy']:.4f}" in card)

# %% [markdown]
# **Try it**: which grid intensity would make the fleet's year cost as much as the GPU training above?
