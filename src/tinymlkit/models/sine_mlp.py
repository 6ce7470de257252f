"""sine_mlp: the course's hello-world model, a tiny fully connected network that learns y = sin(x).

One input, two hidden layers of 16 ReLU units and one linear output: 1 -> 16 -> 16 -> 1, 321 parameters. As int8
it is about 3 KB of flash and runs in a ~2 KB tensor arena. ``width`` scales the hidden layers; ``classes`` is
the number of outputs (1 for the sine).
"""

import keras

from tinymlkit.models.width import scaled


def build(input_shape: tuple[int, ...], classes: int = 1, width: float = 1.0) -> keras.Model:
    inputs = keras.Input(input_shape, name="x")
    x = keras.layers.Dense(scaled(16, width), activation="relu", name="hidden1")(inputs)
    x = keras.layers.Dense(scaled(16, width), activation="relu", name="hidden2")(x)
    outputs = keras.layers.Dense(classes, name="y")(x)
    return keras.Model(inputs, outputs, name="sine_mlp")
