"""tiny_conv: the course's micro_speech model (TensorFlow speech_commands recipe, ``--model_architecture tiny_conv``).

One 10x8 convolution with 8 filters and stride 2 over the 49x40 feature image (on one input channel this is the
depthwise convolution with multiplier 8 that the converter emits), ReLU, dropout in training, and a fully
connected layer to the classes with softmax: about 16.7 K parameters, under 20 KB as int8. The input is the flat
1960-value feature vector, as the micro_speech firmware feeds it.
"""

import keras

from tinymlkit.models.width import scaled


def build(input_shape: tuple[int, ...], classes: int, width: float = 1.0) -> keras.Model:
    frames, channels = input_shape
    inputs = keras.Input((frames * channels,), name="features")
    x = keras.layers.Reshape((frames, channels, 1))(inputs)
    x = keras.layers.DepthwiseConv2D(
        (10, 8), strides=2, padding="same", depth_multiplier=scaled(8, width), activation="relu", name="conv"
    )(x)
    x = keras.layers.Dropout(0.5)(x)
    x = keras.layers.Flatten()(x)
    outputs = keras.layers.Dense(classes, activation="softmax", name="scores")(x)
    return keras.Model(inputs, outputs, name="tiny_conv")
