# %% exercise="conv-macs"
def conv_macs(height, width, channels, filters, kernel, stride=1, padding="same", depthwise=False):
    kh, kw = (kernel, kernel) if isinstance(kernel, int) else kernel
    sh, sw = (stride, stride) if isinstance(stride, int) else stride
    if padding == "same":
        out_h, out_w = -(-height // sh), -(-width // sw)
    else:
        out_h, out_w = (height - kh) // sh + 1, (width - kw) // sw + 1
    if depthwise:
        return out_h * out_w * channels * kh * kw
    return out_h * out_w * filters * kh * kw * channels


# %% exercise="pareto"
def pareto_front(points):
    def dominated(p):
        return any(q[1] <= p[1] and q[2] >= p[2] and (q[1] < p[1] or q[2] > p[2]) for q in points)

    return [name for name, _, _ in sorted((p for p in points if not dominated(p)), key=lambda p: (p[1], p[0]))]
