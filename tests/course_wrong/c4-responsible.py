# %% exercise="carbon" variant=1 expect="training CO2e of"
def carbon_kg(train_watts, train_hours, pue, grid_g_per_kwh, device_mw, latency_ms, inferences):  # forgets the PUE
    training_kwh = train_watts * train_hours / 1000
    inference_kwh = device_mw * latency_ms / 1000 * inferences / 3.6e9
    return training_kwh * grid_g_per_kwh / 1000, inference_kwh * grid_g_per_kwh / 1000


# %% exercise="carbon" variant=2 expect="inference CO2e of"
def carbon_kg(train_watts, train_hours, pue, grid_g_per_kwh, device_mw, latency_ms, inferences):  # mJ taken as J
    training_kwh = train_watts * train_hours * pue / 1000
    inference_kwh = device_mw * latency_ms / 1000 * inferences / 3.6e6
    return training_kwh * grid_g_per_kwh / 1000, inference_kwh * grid_g_per_kwh / 1000


# %% exercise="carbon" variant=3 expect="training CO2e of"
def carbon_kg(train_watts, train_hours, pue, grid_g_per_kwh, device_mw, latency_ms, inferences):  # grams, not kg
    training_kwh = train_watts * train_hours * pue / 1000
    inference_kwh = device_mw * latency_ms / 1000 * inferences / 3.6e9
    return training_kwh * grid_g_per_kwh, inference_kwh * grid_g_per_kwh


# %% exercise="card-fields" variant=1 expect="the card's train_examples"
def card_fields(report_path):  # counts every split, validation and test included, as training examples
    report = json.loads(report_path.read_text())
    counts = report["data"]["counts"]
    return {"application": report["app"], "labels": report["data"]["labels"],
            "train_examples": sum(sum(c.values()) for c in counts.values()),
            "test_examples": sum(counts["test"].values()), "int8_accuracy": report["int8_metrics"]["accuracy"],
            "int8_change": report["int8_metrics"]["accuracy"] - report["float_metrics"]["accuracy"],
            "flash_bytes": report["model"]["flash_bytes"], "arena_bytes": report["model"]["arena_bytes"]}


# %% exercise="card-fields" variant=2 expect="the card's int8_accuracy"
def card_fields(report_path):  # reports the float model's accuracy, not the deployed one's
    report = json.loads(report_path.read_text())
    counts = report["data"]["counts"]
    return {"application": report["app"], "labels": report["data"]["labels"],
            "train_examples": sum(counts["train"].values()), "test_examples": sum(counts["test"].values()),
            "int8_accuracy": report["float_metrics"]["accuracy"],
            "int8_change": report["int8_metrics"]["accuracy"] - report["float_metrics"]["accuracy"],
            "flash_bytes": report["model"]["flash_bytes"], "arena_bytes": report["model"]["arena_bytes"]}


# %% exercise="card-fields" variant=3 expect="the card's int8_change"
def card_fields(report_path):  # the change the wrong way round
    report = json.loads(report_path.read_text())
    counts = report["data"]["counts"]
    return {"application": report["app"], "labels": report["data"]["labels"],
            "train_examples": sum(counts["train"].values()), "test_examples": sum(counts["test"].values()),
            "int8_accuracy": report["int8_metrics"]["accuracy"],
            "int8_change": report["float_metrics"]["accuracy"] - report["int8_metrics"]["accuracy"],
            "flash_bytes": report["model"]["flash_bytes"], "arena_bytes": report["model"]["arena_bytes"]}
