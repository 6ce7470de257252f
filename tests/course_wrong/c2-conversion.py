# %% exercise="convert-float" variant=1 expect="float32 model (no optimization)"
def convert_float(model):  # float16 weights
    converter = tf.lite.TFLiteConverter.from_keras_model(model)
    converter.optimizations = [tf.lite.Optimize.DEFAULT]
    converter.target_spec.supported_types = [tf.float16]
    return converter.convert()


# %% exercise="convert-float" variant=2 expect="returns a .tflite flatbuffer"
def convert_float(model):  # returns the converter
    return tf.lite.TFLiteConverter.from_keras_model(model)


# %% exercise="interpreter" variant=1 expect="runs a random model"
def run_tflite(model_bytes, x):  # forgets allocate_tensors
    interpreter = tf.lite.Interpreter(model_content=model_bytes)
    i, o = interpreter.get_input_details()[0]["index"], interpreter.get_output_details()[0]["index"]
    out = []
    for example in np.asarray(x, dtype=np.float32):
        interpreter.set_tensor(i, example[None])
        interpreter.invoke()
        out.append(interpreter.get_tensor(o)[0])
    return np.stack(out)


# %% exercise="interpreter" variant=2 expect="one output row per example"
def run_tflite(model_bytes, x):  # only the first example
    interpreter = tf.lite.Interpreter(model_content=model_bytes)
    interpreter.allocate_tensors()
    i, o = interpreter.get_input_details()[0]["index"], interpreter.get_output_details()[0]["index"]
    interpreter.set_tensor(i, np.asarray(x, dtype=np.float32)[:1])
    interpreter.invoke()
    return interpreter.get_tensor(o)


# %% exercise="convert-int8" variant=1 expect="not a dynamic-range (hybrid) model"
def convert_int8(model, representative):  # no representative data: hybrid
    converter = tf.lite.TFLiteConverter.from_keras_model(model)
    converter.optimizations = [tf.lite.Optimize.DEFAULT]
    return converter.convert()


# %% exercise="convert-int8" variant=2 expect="int8 input and output"
def convert_int8(model, representative):  # float input and output left in place
    representative = np.asarray(representative, dtype=np.float32)

    def examples():
        for example in representative[:200]:
            yield [example[None]]

    converter = tf.lite.TFLiteConverter.from_keras_model(model)
    converter.optimizations = [tf.lite.Optimize.DEFAULT]
    converter.representative_dataset = examples
    return converter.convert()


# %% exercise="ptq" variant=1 expect="scale"
def quantize_tensor(w):  # 256 instead of 255 steps and no zero point
    w = np.asarray(w, dtype=np.float64)
    scale = (w.max() - w.min()) / 256
    q = np.clip(np.round(w / scale), -128, 127).astype(np.int8)
    return q, scale, 0


# %% exercise="ptq" variant=2 expect="q is an int8 array"
def quantize_tensor(w):  # forgets to store as int8
    w = np.asarray(w, dtype=np.float64)
    scale = (w.max() - w.min()) / 255
    zero_point = int(round(-128 - w.min() / scale))
    return np.clip(np.round(w / scale) + zero_point, -128, 127), scale, zero_point
