"""Application recipes: each picks a data source, device features, a model family and post-processing, and runs
the shared steps (train, int8 in TFLM, deploy, report)."""
