"""The MLPerf Tiny reference architectures (and TFLM's person-detection model), built in Keras from their
published definitions, untrained, so their int8 graphs can be profiled: the latency model's workloads.

Architectures (from the MLPerf Tiny v0.5 training scripts and the TFLM person_detection example):
- kws_ds_cnn: 49x10x1 MFCC input, conv 64 (10x4, stride 2), 4 x (depthwise 3x3 + pointwise 64), average pool,
  dense 12.
- vww_mobilenet: MobileNet v1 width 0.25 on 96x96x3, dense 2.  pd_mobilenet: the same on 96x96x1 (grayscale).
- ic_resnet8: 32x32x3, conv 16, three residual stacks (16, 32, 64 filters; 1x1 projection shortcuts on the
  strided ones), average pool 8x8, dense 10.
- ad_autoencoder: 640 -> 4 x dense 128 -> dense 8 -> 4 x dense 128 -> dense 640.
"""

import numpy as np


def _mobilenet(channels: int, classes: int = 2):
    import keras
    from keras import layers

    inputs = keras.Input((96, 96, channels))
    x = layers.Conv2D(8, 3, strides=2, padding="same", use_bias=False)(inputs)
    x = layers.ReLU()(layers.BatchNormalization()(x))
    for filters, stride in [
        (16, 1),
        (32, 2),
        (32, 1),
        (64, 2),
        (64, 1),
        (128, 2),
        (128, 1),
        (128, 1),
        (128, 1),
        (128, 1),
        (128, 1),
        (256, 2),
        (256, 1),
    ]:
        x = layers.DepthwiseConv2D(3, strides=stride, padding="same", use_bias=False)(x)
        x = layers.ReLU()(layers.BatchNormalization()(x))
        x = layers.Conv2D(filters, 1, use_bias=False)(x)
        x = layers.ReLU()(layers.BatchNormalization()(x))
    x = layers.AveragePooling2D(pool_size=x.shape[1:3])(x)
    x = layers.Flatten()(x)
    return keras.Model(inputs, layers.Dense(classes, activation="softmax")(x))


def kws_ds_cnn():
    import keras
    from keras import layers

    inputs = keras.Input((49, 10, 1))
    x = layers.Conv2D(64, (10, 4), strides=2, padding="same")(inputs)
    x = layers.ReLU()(layers.BatchNormalization()(x))
    for _ in range(4):
        x = layers.ReLU()(layers.BatchNormalization()(layers.DepthwiseConv2D(3, padding="same")(x)))
        x = layers.ReLU()(layers.BatchNormalization()(layers.Conv2D(64, 1)(x)))
    x = layers.AveragePooling2D(pool_size=x.shape[1:3])(x)
    x = layers.Flatten()(x)
    return keras.Model(inputs, layers.Dense(12, activation="softmax")(x))


def vww_mobilenet():
    return _mobilenet(3)


def pd_mobilenet():
    return _mobilenet(1)


def ic_resnet8():
    import keras
    from keras import layers

    def block(x, filters, stride):
        y = layers.ReLU()(layers.BatchNormalization()(layers.Conv2D(filters, 3, strides=stride, padding="same")(x)))
        y = layers.BatchNormalization()(layers.Conv2D(filters, 3, padding="same")(y))
        if stride != 1:
            x = layers.Conv2D(filters, 1, strides=stride)(x)
        return layers.ReLU()(layers.Add()([x, y]))

    inputs = keras.Input((32, 32, 3))
    x = layers.ReLU()(layers.BatchNormalization()(layers.Conv2D(16, 3, padding="same")(inputs)))
    x = block(x, 16, 1)
    x = block(x, 32, 2)
    x = block(x, 64, 2)
    x = layers.AveragePooling2D(pool_size=8)(x)
    x = layers.Flatten()(x)
    return keras.Model(inputs, layers.Dense(10, activation="softmax")(x))


def ad_autoencoder():
    import keras
    from keras import layers

    inputs = keras.Input((640,))
    x = inputs
    for units in [128, 128, 128, 128, 8, 128, 128, 128, 128]:
        x = layers.ReLU()(layers.BatchNormalization()(layers.Dense(units)(x)))
    return keras.Model(inputs, layers.Dense(640)(x))


BUILDERS = {
    "kws_ds_cnn": kws_ds_cnn,
    "vww_mobilenet": vww_mobilenet,
    "pd_mobilenet": pd_mobilenet,
    "ic_resnet8": ic_resnet8,
    "ad_autoencoder": ad_autoencoder,
}


def int8_model(name: str) -> bytes:
    """The untrained reference model ``name`` as an int8 .tflite (random calibration data, fixed seed)."""
    import keras

    from tinymlkit.convert.quantize import to_int8

    keras.utils.set_random_seed(0)
    model = BUILDERS[name]()
    rng = np.random.default_rng(0)
    data = rng.uniform(-1, 1, size=(8, *model.input_shape[1:])).astype(np.float32)
    return to_int8(model, data)
