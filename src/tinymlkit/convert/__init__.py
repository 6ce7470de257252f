"""Converting a Keras model to the int8 flatbuffer TFLM runs: full-integer quantization, name stripping."""
