"""Quantization-aware training (QAT) with Keras 3 alone: fine-tune a trained float model while it "sees" int8.

    plain = fold_batch_norm(model)                     # what the converter does: BN folded into the convolution
    qat = quantization_aware(plain, input_range=FEATURE_RANGE)
    ... compile and fit qat (a few epochs, small learning rate) ...
    model = export(qat)                                # plain Keras layers, weights on the int8 grid -> to_int8

During fine-tuning every weight tensor goes through a fake quantizer with the converter's own scheme (symmetric,
[-127, 127], one scale per output channel of a convolution, per tensor for fully connected layers) and every
layer output through an 8-bit fake quantizer whose range follows the batches (an exponential moving average, like
batch normalization's statistics). The fake quantizers are Keras 3's ``keras.quantizers.fake_quant_with_min_max_vars``
(TensorFlow's ``FakeQuantWithMinMaxVars`` on the TensorFlow backend): rounding in the forward pass, the
straight-through gradient in the backward pass, so the weights learn to sit where rounding costs least.

:func:`export` puts the trained weights, rounded to the int8 grid, back into the plain model; :func:`to_int8`
then converts it as usual (its calibration sets the activation ranges). Batch normalization is folded *before*
fine-tuning, so the weights that are fake-quantized are the ones the int8 model stores.
"""

from dataclasses import dataclass

import keras
import numpy as np

from tinymlkit.errors import TinyMLError
from tinymlkit.progress import ProgressCallback, silent
from tinymlkit.recipe import Classification
from tinymlkit.train import TrainConfig, TrainResult

COMPUTE_LAYERS = (keras.layers.Conv2D, keras.layers.DepthwiseConv2D, keras.layers.Dense)


def fake_quant_weights(kernel, layer_kind: str):
    """``kernel`` rounded to symmetric int8 as the TFLite converter stores it, with a straight-through gradient."""
    from keras import ops

    if layer_kind == "depthwise":  # (kh, kw, in, multiplier): one scale per output channel, in * multiplier
        kh, kw, cin, mult = kernel.shape
        return ops.reshape(fake_quant_weights(ops.reshape(kernel, (kh, kw, cin * mult)), "conv"), kernel.shape)
    if layer_kind == "conv":  # (..., out): one scale per output channel
        bound = ops.max(ops.abs(kernel), axis=tuple(range(len(kernel.shape) - 1)))
        axis = -1
    else:  # fully connected: one scale for the tensor
        bound = ops.max(ops.abs(kernel))
        axis = None
    bound = ops.stop_gradient(ops.maximum(bound, 1e-8))
    return keras.quantizers.fake_quant_with_min_max_vars(
        kernel, -bound, bound, num_bits=8, narrow_range=True, axis=axis
    )


class ActivationQuantizer(keras.layers.Layer):
    """8-bit fake quantization of a tensor. The range is ``fixed_range`` if given, else the moving average of the
    batches' minimum and maximum seen in training (always including 0, as int8 zero points require)."""

    def __init__(self, fixed_range: tuple[float, float] | None = None, momentum: float = 0.99, **kwargs):
        super().__init__(**kwargs)
        self.fixed_range, self.momentum = fixed_range, momentum

    def build(self, input_shape) -> None:
        self.range_min = self.add_weight(shape=(), initializer="zeros", trainable=False, name="range_min")
        self.range_max = self.add_weight(shape=(), initializer="zeros", trainable=False, name="range_max")
        self.seen = self.add_weight(shape=(), initializer="zeros", trainable=False, name="seen")

    def call(self, x, training=False):
        from keras import ops

        if self.fixed_range is not None:
            return keras.quantizers.fake_quant_with_min_max_vars(x, *self.fixed_range, num_bits=8)
        if training:
            low = ops.minimum(ops.stop_gradient(ops.min(x)), 0.0)
            high = ops.maximum(ops.stop_gradient(ops.max(x)), 0.0)
            m = self.momentum
            first = ops.equal(self.seen, 0.0)
            self.range_min.assign(ops.where(first, low, m * self.range_min + (1 - m) * low))
            self.range_max.assign(ops.where(first, high, m * self.range_max + (1 - m) * high))
            self.seen.assign(1.0)
        return keras.quantizers.fake_quant_with_min_max_vars(x, self.range_min, self.range_max, num_bits=8)


class _Untracked:
    """Holds a layer without Keras tracking it as a sublayer."""

    def __init__(self, layer):
        self.layer = layer


class QuantizedLayer(keras.layers.Layer):
    """A convolution, depthwise convolution or fully connected layer that computes with fake-quantized weights and
    fake-quantizes its output (after a ReLU-like activation, before softmax: where the int8 model quantizes).

    ``source`` is the plain layer it stands for; :meth:`export` writes the weights, on the int8 grid, back into it.
    """

    def __init__(self, source, **kwargs):
        super().__init__(name=f"{source.name}_qat", **kwargs)
        self._plain = _Untracked(source)  # not a sublayer: its weights must not train alongside ours
        self.kind = {
            keras.layers.DepthwiseConv2D: "depthwise",
            keras.layers.Conv2D: "conv",
            keras.layers.Dense: "dense",
        }[type(source)]
        self.output_quantizer = ActivationQuantizer()

    @property
    def source(self):
        return self._plain.layer

    def build(self, input_shape) -> None:
        kernel, bias = self.source.get_weights()
        self.kernel = self.add_weight(
            shape=kernel.shape, initializer=keras.initializers.Constant(kernel), name="kernel"
        )
        self.bias = self.add_weight(shape=bias.shape, initializer=keras.initializers.Constant(bias), name="bias")

    def call(self, x, training=False):
        from keras import ops

        s = self.source
        w = fake_quant_weights(self.kernel, self.kind)
        if self.kind == "conv":
            y = ops.conv(
                x, w, strides=s.strides, padding=s.padding, data_format=s.data_format, dilation_rate=s.dilation_rate
            )
        elif self.kind == "depthwise":
            y = ops.depthwise_conv(
                x, w, strides=s.strides, padding=s.padding, data_format=s.data_format, dilation_rate=s.dilation_rate
            )
        else:
            y = ops.matmul(x, w)
        y = y + self.bias
        activation = keras.activations.serialize(s.activation)
        if activation in ("linear", "softmax"):  # the int8 model quantizes the logits; softmax has a fixed scale
            return s.activation(self.output_quantizer(y, training=training))
        return self.output_quantizer(s.activation(y), training=training)

    def compute_output_shape(self, input_shape):
        return self.source.compute_output_shape(input_shape)

    def export(self) -> None:
        """Write the weights, rounded to the int8 grid, into the plain source layer."""
        kernel = keras.ops.convert_to_numpy(fake_quant_weights(self.kernel, self.kind))
        self.source.set_weights([kernel, self.bias.numpy()])


def chain_layers(model) -> list:
    """The layers of ``model`` in order, without the input layer; :class:`TinyMLError` if they are not one chain."""
    layers = [layer for layer in model.layers if not isinstance(layer, keras.layers.InputLayer)]
    for layer in layers:
        if len(getattr(layer, "_inbound_nodes", [])) > 1 or isinstance(layer.input, list | tuple):
            raise TinyMLError(
                f"layer '{layer.name}' has several inputs or uses; quantization-aware training needs a "
                "model whose layers form one chain, as the kit's model families do"
            )
    return layers


def fold_batch_norm(model) -> keras.Model:
    """A copy of ``model`` with each batch normalization folded into the convolution or dense layer before it and
    a ReLU layer that follows merged into that layer's activation (what the TFLite converter does); every
    compute layer then has a bias. The copy computes the same function in inference."""
    layers = chain_layers(model)
    inputs = keras.Input(model.input_shape[1:], name=model.inputs[0].name)
    x, i = inputs, 0
    while i < len(layers):
        layer = layers[i]
        if isinstance(layer, COMPUTE_LAYERS):
            config = layer.get_config()
            kernel = layer.kernel.numpy()
            bias = layer.bias.numpy() if layer.use_bias else np.zeros(kernel.shape[-1] * _multiplier(layer))
            if i + 1 < len(layers) and isinstance(layers[i + 1], keras.layers.BatchNormalization):
                kernel, bias = _fold(layer, kernel, bias, layers[i + 1])
                i += 1
            if i + 1 < len(layers) and config.get("activation") == "linear" and _is_plain_relu(layers[i + 1]):
                config["activation"] = "relu"
                i += 1
            config["use_bias"] = True
            clone = type(layer).from_config(config)
            x = clone(x)
            clone.set_weights([kernel, bias])
        elif isinstance(layer, keras.layers.BatchNormalization):
            raise TinyMLError(
                f"batch normalization '{layer.name}' does not follow a convolution or dense layer; "
                "fold it by hand or move it after one"
            )
        else:
            x = _copy(layer, x)
        i += 1
    folded = keras.Model(inputs, x, name=model.name)
    probe = np.random.default_rng(0).standard_normal((4, *model.input_shape[1:])).astype(np.float32)
    same = np.allclose(
        *(keras.ops.convert_to_numpy(m(probe, training=False)) for m in (folded, model)), atol=1e-4, rtol=1e-3
    )
    if not same:
        raise TinyMLError(
            f"model '{model.name}' is not a plain chain of layers (folding changed its outputs); "
            "quantization-aware training here supports the kit's model families"
        )
    return folded


def _copy(layer, x):
    """A new layer like ``layer``, with its weights, called on ``x`` (so the original keeps a single use)."""
    clone = type(layer).from_config(layer.get_config())
    y = clone(x)
    if layer.get_weights():
        clone.set_weights(layer.get_weights())
    return y


def _multiplier(layer) -> int:
    return int(layer.depth_multiplier) if isinstance(layer, keras.layers.DepthwiseConv2D) else 1


def _fold(layer, kernel: np.ndarray, bias: np.ndarray, bn) -> tuple[np.ndarray, np.ndarray]:
    mean, variance = bn.moving_mean.numpy(), bn.moving_variance.numpy()
    gamma = bn.gamma.numpy() if bn.scale else np.ones_like(mean)
    beta = bn.beta.numpy() if bn.center else np.zeros_like(mean)
    factor = gamma / np.sqrt(variance + bn.epsilon)
    if isinstance(layer, keras.layers.DepthwiseConv2D):
        kernel = kernel * factor.reshape(kernel.shape[2], kernel.shape[3])
    else:
        kernel = kernel * factor
    return kernel.astype(np.float32), ((bias - mean) * factor + beta).astype(np.float32)


def _is_plain_relu(layer) -> bool:
    if isinstance(layer, keras.layers.ReLU):
        c = layer.get_config()
        return c.get("max_value") is None and not c.get("negative_slope") and not c.get("threshold")
    return isinstance(layer, keras.layers.Activation) and layer.get_config().get("activation") == "relu"


def quantization_aware(plain, input_range: tuple[float, float] | None = None) -> keras.Model:
    """The training model for ``plain`` (a :func:`fold_batch_norm` output): compute layers become
    :class:`QuantizedLayer` s, and the input is fake-quantized to ``input_range`` when given."""
    inputs = keras.Input(plain.input_shape[1:], name="qat_input")
    x = ActivationQuantizer(fixed_range=input_range, name="input_quantizer")(inputs) if input_range else inputs
    for layer in chain_layers(plain):
        x = QuantizedLayer(layer)(x) if isinstance(layer, COMPUTE_LAYERS) else _copy(layer, x)
    return keras.Model(inputs, x, name=f"{plain.name}_qat")


def export(qat_model: keras.Model, plain: keras.Model) -> keras.Model:
    """``plain`` with the QAT model's trained weights, rounded to the int8 grid, ready for :func:`to_int8`."""
    for layer in qat_model.layers:
        if isinstance(layer, QuantizedLayer):
            layer.export()
    return plain


@dataclass
class QatResult:
    """A QAT fine-tuning: the plain model to convert, and how the fine-tuning went."""

    model: keras.Model
    trained: TrainResult


def quantization_aware_training(
    model,
    train: tuple[np.ndarray, np.ndarray],
    validation: tuple[np.ndarray, np.ndarray] | None,
    config: TrainConfig = TrainConfig(epochs=5, learning_rate=5e-4),
    input_range: tuple[float, float] | None = None,
    progress: ProgressCallback = silent,
) -> QatResult:
    """Fine-tune a trained softmax classifier with fake-quantized weights and activations; return the plain
    model to convert with :func:`tinymlkit.convert.quantize.to_int8`. ``model`` itself is not changed."""
    from tinymlkit.train import fit

    if config.epochs < 1:
        raise TinyMLError(f"quantization-aware training needs at least 1 epoch, got {config.epochs}")
    plain = fold_batch_norm(model)
    qat = quantization_aware(plain, input_range)
    Classification().compile(qat, config)
    trained = fit(qat, train, validation, config, _renamed(progress, "Quantization-aware training"))
    return QatResult(export(qat, plain), trained)


def _renamed(progress: ProgressCallback, task: str) -> ProgressCallback:
    """``progress`` with the training events shown under ``task``."""
    from dataclasses import replace

    def forward(event):
        progress(replace(event, task=task) if event.task == "Training" else event)

    return forward
