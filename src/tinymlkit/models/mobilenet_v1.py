"""mobilenet_v1: MobileNet v1 for small grayscale images, the TFLM person-detection architecture.

A 3x3 convolution with stride 2, then thirteen blocks of a 3x3 depthwise and a 1x1 pointwise convolution (32 to
1024 filters at width 1.0, halving the image five times in all), each followed by batch normalization and ReLU6,
global average pooling, dropout and a fully connected softmax layer. ``width`` is the width multiplier (alpha):
0.25, as in the TFLM person-detection example, gives 8 to 256 filters and about 0.2 M parameters, some 7.5 M
multiply-accumulates at 96x96. Batch normalization (momentum 0.9, so short trainings settle) folds into the
convolutions at conversion, leaving only TFLM builtins in the int8 model.
"""

import keras

from tinymlkit.models.width import scaled

# (pointwise filters at width 1.0, stride of the depthwise convolution) for the thirteen blocks
BLOCKS = (
    (64, 1),
    (128, 2),
    (128, 1),
    (256, 2),
    (256, 1),
    (512, 2),
    (512, 1),
    (512, 1),
    (512, 1),
    (512, 1),
    (512, 1),
    (1024, 2),
    (1024, 1),
)
BN_MOMENTUM = 0.9


def _fan_in_uniform(fan_in: int | None = None):
    """Weights uniform in +-1/sqrt(fan_in). For depthwise kernels the fan-in is the 3x3 window alone (Keras's
    default would count every channel, giving them tiny weights whose relative Adam steps are too large)."""
    if fan_in:
        limit = 1.0 / fan_in**0.5
        return keras.initializers.RandomUniform(-limit, limit)
    return keras.initializers.VarianceScaling(1.0 / 3.0, "fan_in", "uniform")


def _bn_relu(x, name: str):
    x = keras.layers.BatchNormalization(momentum=BN_MOMENTUM, name=f"{name}_bn")(x)
    return keras.layers.ReLU(6.0, name=f"{name}_relu")(x)


def build(input_shape: tuple[int, ...], classes: int, width: float = 0.25, dropout: float = 0.1) -> keras.Model:
    inputs = keras.Input(input_shape, name="image")
    x = keras.layers.Conv2D(
        scaled(32, width),
        3,
        strides=2,
        padding="same",
        use_bias=False,
        kernel_initializer=_fan_in_uniform(),
        name="conv0",
    )(inputs)
    x = _bn_relu(x, "conv0")
    for i, (filters, stride) in enumerate(BLOCKS, start=1):
        x = keras.layers.DepthwiseConv2D(
            3, strides=stride, padding="same", use_bias=False, depthwise_initializer=_fan_in_uniform(9), name=f"dw{i}"
        )(x)
        x = _bn_relu(x, f"dw{i}")
        x = keras.layers.Conv2D(
            scaled(filters, width), 1, use_bias=False, kernel_initializer=_fan_in_uniform(), name=f"pw{i}"
        )(x)
        x = _bn_relu(x, f"pw{i}")
    x = keras.layers.GlobalAveragePooling2D(name="pool")(x)
    x = keras.layers.Dropout(dropout, name="dropout")(x)
    outputs = keras.layers.Dense(classes, activation="softmax", name="scores")(x)
    return keras.Model(inputs, outputs, name="mobilenet_v1")
