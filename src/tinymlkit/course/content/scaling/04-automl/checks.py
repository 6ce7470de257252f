"""Checks of the lab c4-automl."""

import numpy as np

from tinymlkit.course.checks import Checker


def _macs(height, width, channels, filters, kernel, stride=1, padding="same", depthwise=False):
    kh, kw = (kernel, kernel) if isinstance(kernel, int) else kernel
    sh, sw = (stride, stride) if isinstance(stride, int) else stride
    if padding == "same":
        out_h, out_w = -(-height // sh), -(-width // sw)
    else:
        out_h, out_w = (height - kh) // sh + 1, (width - kw) // sw + 1
    return out_h * out_w * (channels if depthwise else filters * channels) * kh * kw


def _int(got):
    try:
        return int(got) if float(got) == int(got) else got
    except (TypeError, ValueError, OverflowError):
        return got


def check_conv_macs(t: Checker) -> None:
    import keras

    from tinymlkit.convert.quantize import to_int8
    from tinymlkit.profile import profile_model

    fn = t.function("conv_macs")
    hint = ("output rows = ceil(height / stride) with 'same', (height - kernel) // stride + 1 with 'valid' (same "
            "for columns); MACs = output rows x columns x out channels x kernel rows x columns (x channels unless "
            "depthwise)")
    r = t.rng
    cases = [
        ("same padding, stride 1", (int(r.integers(8, 40)), int(r.integers(8, 40)), int(r.integers(1, 16)),
                                    int(r.integers(4, 64)), int(r.choice([1, 3, 5]))), {}),
        ("valid padding, stride 2, odd size", (int(r.integers(8, 40)) | 1, int(r.integers(8, 40)) | 1,
                                               int(r.integers(1, 16)), int(r.integers(4, 64)), 3),
         {"stride": 2, "padding": "valid"}),
        ("a (10, 4) kernel, stride (2, 2), same", (49, 40, 1, int(r.integers(4, 64)), (10, 4)), {"stride": (2, 2)}),
        ("same padding, stride 2, odd size", (int(r.integers(8, 40)) | 1, int(r.integers(8, 40)) | 1,
                                              int(r.integers(1, 16)), int(r.integers(4, 64)), 3), {"stride": 2}),
    ]
    depth = int(r.integers(4, 32))
    cases.append(("depthwise", (int(r.integers(8, 30)), int(r.integers(8, 30)), depth, depth, 3), {"depthwise": True}))
    for name, args, kwargs in cases:
        ok, got = t.call(f"runs on {name}", fn, *args, hint=hint, **kwargs)
        if ok and not t.equal(f"MACs for {name} {args} {kwargs}", _int(got), _macs(*args, **kwargs), hint):
            return
    side, channels, filters = int(r.integers(9, 20)), int(r.integers(1, 6)), int(r.integers(2, 12))
    kernel, stride, padding = int(r.choice([3, 5])), int(r.choice([1, 2])), str(r.choice(["same", "valid"]))
    keras.utils.set_random_seed(int(r.integers(1 << 30)))
    bias = keras.initializers.RandomNormal(stddev=0.1)
    inputs = keras.Input((side, side, channels))
    x = keras.layers.Conv2D(filters, kernel, strides=stride, padding=padding, bias_initializer=bias)(inputs)
    x = keras.layers.DepthwiseConv2D(3, padding="same", bias_initializer=bias)(x)
    model = keras.Model(inputs, x)
    tflite = to_int8(model, r.uniform(-1, 1, (8, side, side, channels)).astype(np.float32))
    layers = [layer for layer in profile_model(tflite, measure=False).layers if layer.kind in ("conv", "depthwise")]
    out_side = int(layers[0].outputs[0].shape[1])  # the convolution's output rows (= columns)
    real = [("a real Conv2D", (side, side, channels, filters, kernel), {"stride": stride, "padding": padding},
             layers[0].macs),
            ("a real DepthwiseConv2D after it", (out_side, out_side, filters, filters, 3), {"depthwise": True},
             layers[1].macs)]
    for name, args, kwargs, expected in real:
        ok, got = t.call(f"runs on {name}", fn, *args, hint=hint, **kwargs)
        if ok and not t.equal(f"MACs of {name} {args} {kwargs}, as the profiler counts them", _int(got),
                              int(expected), hint):
            return


def _front(points):
    def dominated(p):
        return any(q[1] <= p[1] and q[2] >= p[2] and (q[1] < p[1] or q[2] > p[2]) for q in points)

    return [name for name, _, _ in sorted((p for p in points if not dominated(p)), key=lambda p: (p[1], p[0]))]


def check_pareto(t: Checker) -> None:
    fn = t.function("pareto_front")
    hint = ("drop a point when another has cost <= and accuracy >= and is strictly better in one; sort the rest "
            "by (cost, name)")
    n = int(t.rng.integers(10, 18))
    costs = t.rng.choice(np.arange(2000, 40000, 500), size=n)
    accuracy = np.round(t.rng.uniform(0.6, 0.95, n), 2)
    points = [(f"m{i:02d}", int(c), float(a)) for i, (c, a) in enumerate(zip(costs, accuracy))]
    best = max(points, key=lambda p: (p[2], -p[1]))
    cheapest = min(points, key=lambda p: (p[1], -p[2]))
    points += [("same-as-" + best[0], best[1], best[2]),  # an exact duplicate: neither dominates the other
               ("worse-than-" + cheapest[0], cheapest[1], round(cheapest[2] - 0.01, 2)),  # same cost, less accurate
               ("pricier-than-" + best[0], best[1] + 500, best[2]),  # same accuracy, dearer
               ("budget", int(costs.min()) - 500, round(float(accuracy.min()) - 0.05, 2))]  # cheapest: on the front
    order = [points[int(i)] for i in t.rng.permutation(len(points))]
    ok, got = t.call("runs on random candidates", fn, list(order), hint=hint)
    if ok:
        t.equal(f"front of {order}", list(got) if isinstance(got, list | tuple) else got, _front(points), hint)


CHECKS = {"conv-macs": check_conv_macs, "pareto": check_pareto}
