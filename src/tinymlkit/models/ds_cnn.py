"""DS-CNN: depthwise-separable CNN for keyword spotting (the MLPerf Tiny KWS reference architecture, small size).

A 10x4 convolution with stride 2, then four blocks of 3x3 depthwise + 1x1 pointwise convolution, each followed by
batch normalization and ReLU, global average pooling and a fully connected softmax layer. Batch normalization
folds into the convolutions at conversion, so the int8 model has only TFLM builtins. Like tiny_conv it takes the
flat feature vector.

``channel_norm=True`` (the family ``ds_cnn_cmvn``, keyword spotting's default) puts :class:`ChannelNormalization`
after the input: the network sees each feature channel also standardized over the second.
"""

import keras

from tinymlkit.models.channel_norm import ChannelNormalization
from tinymlkit.models.width import scaled


def build(input_shape: tuple[int, ...], classes: int, width: float = 1.0, channel_norm: bool = False) -> keras.Model:
    frames, channels = input_shape
    filters = scaled(64, width)
    inputs = keras.Input((frames * channels,), name="features")
    x = keras.layers.Reshape((frames, channels, 1))(inputs)
    if channel_norm:
        x = ChannelNormalization(name="channel_norm")(x)
    x = keras.layers.Conv2D(filters, (10, 4), strides=2, padding="same", use_bias=False)(x)
    x = keras.layers.BatchNormalization()(x)
    x = keras.layers.ReLU()(x)
    for _ in range(4):
        x = keras.layers.DepthwiseConv2D(3, padding="same", use_bias=False)(x)
        x = keras.layers.BatchNormalization()(x)
        x = keras.layers.ReLU()(x)
        x = keras.layers.Conv2D(filters, 1, use_bias=False)(x)
        x = keras.layers.BatchNormalization()(x)
        x = keras.layers.ReLU()(x)
    x = keras.layers.Dropout(0.4)(x)
    x = keras.layers.GlobalAveragePooling2D()(x)
    outputs = keras.layers.Dense(classes, activation="softmax", name="scores")(x)
    return keras.Model(inputs, outputs, name="ds_cnn_cmvn" if channel_norm else "ds_cnn")
