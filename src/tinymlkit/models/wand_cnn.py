"""wand_cnn: the course's magic-wand gesture classifier over a 32x32 RGB stroke image.

Three blocks of a 3x3 convolution with stride 2 and ReLU (16, 32 and 64 filters; 32x32 -> 16x16 -> 8x8 -> 4x4),
global average pooling and a fully connected softmax layer: about 24 K parameters for 10 gestures, some 0.7 M
multiply-accumulates per inference. Dropout (training only) follows each block. ``width`` scales the filters.
"""

import keras

from tinymlkit.models.width import scaled


def build(input_shape: tuple[int, ...], classes: int, width: float = 1.0) -> keras.Model:
    inputs = keras.Input(input_shape, name="stroke_image")
    x = inputs
    for i, filters in enumerate((16, 32, 64), start=1):
        x = keras.layers.Conv2D(
            scaled(filters, width), 3, strides=2, padding="same", activation="relu", name=f"conv{i}"
        )(x)
        x = keras.layers.Dropout(0.1)(x)
    x = keras.layers.GlobalAveragePooling2D()(x)
    outputs = keras.layers.Dense(classes, activation="softmax", name="scores")(x)
    return keras.Model(inputs, outputs, name="wand_cnn")
