# %% exercise="carbon"
def carbon_kg(train_watts, train_hours, pue, grid_g_per_kwh, device_mw, latency_ms, inferences):
    training_kwh = train_watts * train_hours * pue / 1000
    inference_kwh = device_mw * latency_ms / 1000 * inferences / 3.6e9  # millijoules -> kWh
    return training_kwh * grid_g_per_kwh / 1000, inference_kwh * grid_g_per_kwh / 1000


# %% exercise="card-fields"
def card_fields(report_path):
    report = json.loads(report_path.read_text())
    return {
        "application": report["app"],
        "labels": report["data"]["labels"],
        "train_examples": sum(report["data"]["counts"]["train"].values()),
        "test_examples": sum(report["data"]["counts"]["test"].values()),
        "int8_accuracy": report["int8_metrics"]["accuracy"],
        "int8_change": report["int8_metrics"]["accuracy"] - report["float_metrics"]["accuracy"],
        "flash_bytes": report["model"]["flash_bytes"],
        "arena_bytes": report["model"]["arena_bytes"],
    }
