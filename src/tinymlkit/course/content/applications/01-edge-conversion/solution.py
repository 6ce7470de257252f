# %% exercise="convert-float"
def convert_float(model):
    converter = tf.lite.TFLiteConverter.from_keras_model(model)
    return converter.convert()


# %% exercise="interpreter"
def run_tflite(model_bytes, x):
    x = np.asarray(x, dtype=np.float32)
    interpreter = tf.lite.Interpreter(model_content=model_bytes)
    interpreter.allocate_tensors()
    input_index = interpreter.get_input_details()[0]["index"]
    output_index = interpreter.get_output_details()[0]["index"]
    outputs = []
    for example in x:
        interpreter.set_tensor(input_index, example[None])
        interpreter.invoke()
        outputs.append(interpreter.get_tensor(output_index)[0])
    return np.stack(outputs)


# %% exercise="convert-int8"
def convert_int8(model, representative):
    representative = np.asarray(representative, dtype=np.float32)

    def examples():
        for example in representative[:200]:
            yield [example[None]]

    converter = tf.lite.TFLiteConverter.from_keras_model(model)
    converter.optimizations = [tf.lite.Optimize.DEFAULT]
    converter.representative_dataset = examples
    converter.target_spec.supported_ops = [tf.lite.OpsSet.TFLITE_BUILTINS_INT8]
    converter.inference_input_type = tf.int8
    converter.inference_output_type = tf.int8
    return converter.convert()


# %% exercise="ptq"
def quantize_tensor(w):
    w = np.asarray(w, dtype=np.float64)
    scale = (w.max() - w.min()) / 255
    zero_point = int(round(-128 - w.min() / scale))
    q = np.clip(np.round(w / scale) + zero_point, -128, 127).astype(np.int8)
    return q, scale, zero_point
