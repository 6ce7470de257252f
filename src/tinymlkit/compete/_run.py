"""The scorer's child process: profile an uploaded model and run it in TFLM on the hidden inputs.

Started by :mod:`tinymlkit.compete.score` as ``python -m tinymlkit.compete._run job.json`` in a scratch folder,
under CPU, memory, file-size and wall-clock limits (:func:`tinymlkit.course.sandbox.run_limited`), because a
hostile or damaged model can crash or hang the TFLM interpreter. It sees only the model and the inputs, never the
labels. It writes ``result.json``: the profile figures and, per part, the class each input was given, or
``{"error": "one line"}`` when TFLM cannot run the model.
"""

import json
import sys
from pathlib import Path

import numpy as np


def run(job: dict) -> dict:
    from tinymlkit.errors import TinyMLError
    from tinymlkit.profile import profile_model
    from tinymlkit.runtime.tflm import TFLMModel

    model = Path(job["model"]).read_bytes()
    try:
        p = profile_model(model, job["board"], name="the model")
    except TinyMLError as exc:
        return {"error": str(exc)}
    problems = [i for i in p.issues if i.severity == "error"]
    if problems or p.arena_bytes is None:
        issue = (problems or [i for i in p.issues if "crash" in i.message] or p.issues)[0] if p.issues else None
        return {"error": f"{issue.message}; {issue.fix}" if issue else "TFLM could not allocate the model"}
    try:
        tflm = TFLMModel(model, arena_size=p.arena_bytes, name="the model")
        predictions = {}
        for part, path in job["inputs"].items():
            x = np.load(path)
            scores = tflm.invoke(tflm.input.quantize(x))
            predictions[part] = scores.reshape(len(x), -1).argmax(axis=1).tolist()
    except (TinyMLError, RuntimeError, ValueError) as exc:
        return {"error": f"TFLM could not run the model on the challenge's input ({exc})".splitlines()[0]}
    fit = p.fit
    return {
        "profile": {
            "flash_bytes": p.flash_bytes,
            "arena_bytes": p.arena_bytes,
            "arena_bytes_32bit": p.arena_bytes_32bit,
            "latency_ms": p.latency_ms,
            "macs": p.macs,
            "parameters": p.parameters,
            "ops": p.ops,
            "verdict": fit.verdict,
            "flash_needed": fit.flash_needed,
            "flash_available": fit.flash_available,
            "ram_needed": fit.ram_needed,
            "ram_available": fit.ram_available,
            "input_scale": tflm.input.scale,
            "input_zero_point": tflm.input.zero_point,
            "warnings": [f"{i.message}; {i.fix}" for i in p.issues if i.severity == "warning"],
            "latency_basis": p.latency_basis,
            "arena_note": p.arena_note,
        },
        "predictions": predictions,
    }


def main(job_path: str) -> None:
    job = json.loads(Path(job_path).read_text())
    result = run(job)
    tmp = Path(job["result"] + ".part")
    tmp.write_text(json.dumps(result))
    tmp.replace(job["result"])


if __name__ == "__main__":
    main(sys.argv[1])
