"""Strip the tensor names from a .tflite flatbuffer: TFLM never reads them, and in a small model they weigh more
than the weights (the converter names each tensor after the whole Keras path of the layers fused into it).

    small = strip_names(tflite)      # same graph, same weights, same results in TFLM; fewer bytes of flash
"""

import flatbuffers
from tflite_micro.tensorflow.lite.micro.python import schema_py_generated as schema

from tinymlkit.runtime.model_file import read_model


def strip_names(tflite: bytes) -> bytes:
    """``tflite`` with every tensor and subgraph name removed (operators, buffers, quantization, signatures and
    metadata kept)."""
    read_model(tflite)  # a one-line error for a file that is not a valid model
    model = schema.ModelT.InitFromObj(schema.Model.GetRootAs(tflite, 0))
    for graph in model.subgraphs or []:
        graph.name = None
        for tensor in graph.tensors or []:
            tensor.name = None
    builder = flatbuffers.Builder(len(tflite))
    builder.Finish(model.Pack(builder), file_identifier=b"TFL3")
    return bytes(builder.Output())
