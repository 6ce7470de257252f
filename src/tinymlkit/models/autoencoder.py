"""Dense autoencoder for anomaly detection (the MLPerf Tiny AD reference's shape, scaled by ``width``).

The reference: 640 inputs -> 128-128-128-128 -> 8 -> 128-128-128-128 -> 640, each hidden layer Dense +
BatchNorm + ReLU. Here ``layers`` hidden layers of ``128 * width`` units on each side of the bottleneck; the
output reconstructs the input, and the reconstruction error is the anomaly score.
"""

from tinymlkit.models.width import scaled


def build(input_shape: tuple[int, ...], classes: int = 0, width: float = 0.5, layers: int = 2, bottleneck: int = 8):
    """Autoencoder for vectors of ``input_shape`` (one dimension); ``classes`` is unused (no labels)."""
    import keras

    (dims,) = input_shape
    units = scaled(128, width)
    inputs = keras.Input((dims,), name="features")
    x = inputs
    for size in [units] * layers + [bottleneck] + [units] * layers:
        x = keras.layers.Dense(size)(x)
        x = keras.layers.BatchNormalization()(x)
        x = keras.layers.ReLU()(x)
    outputs = keras.layers.Dense(dims, name="reconstruction")(x)
    return keras.Model(inputs, outputs, name="autoencoder")
