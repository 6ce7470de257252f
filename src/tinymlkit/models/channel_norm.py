"""Channel normalization inside the model: each feature channel also seen standardized over the window (its mean
taken away, divided by its spread), as a second input channel beside the features.

A microphone, a room or a speaker's voice lifts or lowers a filterbank channel for the whole second and widens or
narrows its swings; the built-in voices, synthesized in no room, cover few such colourings. Standardized, the
channel shows the shape of the sound in time whatever the colouring (cepstral mean and variance normalization, as
speech recognizers do it); beside it the features themselves keep their level, which tells silence and noise
apart. Over five seeds the DS-CNN with it got more real keywords right where as many real non-keywords passed,
accepted fewer than half as many at its own threshold and found more real keywords in real streams
(docs/real_world.md, "Channel normalization in the model" and "A higher variance floor"). It converts to TFLM's
MEAN, SUB, MUL, ADD, RSQRT and CONCATENATION builtins, so the board runs it as is.

An int8 concatenation gives its inputs one quantization, so the standardized channel is put on the features' own
scale: ``MIDDLE + STEP * z``. Over 49 frames a standardized value stays within sqrt(48) < 7 of 0, so this stays
inside the features' range, and the model keeps the micro_speech firmware's input quantization (scale 26/256, zero
point -128). Centred on 0, the channel's negative values would widen the input's quantization instead (to a scale
of 0.115 and zero point -98 in one run).
"""

import keras

# The floor under a channel's variance, in squared feature units (the features span 0 to 26): a steady channel, as
# in silence, is not blown up into noise, and a channel that swings less than about 2 units is standardized only in
# part. Over five seeds 4 found more real keywords over real music and speech than 1, 6 or 9 did (docs/real_world.md,
# "A higher variance floor").
VARIANCE_FLOOR = 4.0
# The standardized channel on the features' scale: 13 +- 1.8 * 7 stays within 0 to 26.
MIDDLE, STEP = 13.0, 1.8


@keras.saving.register_keras_serializable(package="tinymlkit")
class ChannelNormalization(keras.layers.Layer):
    """``(batch, frames, channels, 1)`` -> ``(batch, frames, channels, 2)``: the features, and each channel
    standardized over the frames (less its mean, divided by the square root of its variance plus
    :data:`VARIANCE_FLOOR`), as ``MIDDLE + STEP * z``."""

    def call(self, x):
        centred = x - keras.ops.mean(x, axis=1, keepdims=True)
        variance = keras.ops.mean(centred * centred, axis=1, keepdims=True)
        standardized = centred * keras.ops.rsqrt(variance + VARIANCE_FLOOR)
        return keras.ops.concatenate([x, MIDDLE + STEP * standardized], axis=-1)

    def compute_output_shape(self, input_shape):
        return (*input_shape[:-1], 2 * input_shape[-1])
