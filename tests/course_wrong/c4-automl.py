# %% exercise="conv-macs" variant=1 expect="MACs for a (10, 4) kernel"
def conv_macs(height, width, channels, filters, kernel, stride=1, padding="same", depthwise=False):  # floor, not ceil
    kh, kw = (kernel, kernel) if isinstance(kernel, int) else kernel
    sh, sw = (stride, stride) if isinstance(stride, int) else stride
    if padding == "same":
        out_h, out_w = height // sh, width // sw
    else:
        out_h, out_w = (height - kh) // sh + 1, (width - kw) // sw + 1
    return out_h * out_w * (channels if depthwise else filters * channels) * kh * kw


# %% exercise="conv-macs" variant=2 expect="MACs for valid padding"
def conv_macs(height, width, channels, filters, kernel, stride=1, padding="same", depthwise=False):  # ignores padding
    kh, kw = (kernel, kernel) if isinstance(kernel, int) else kernel
    sh, sw = (stride, stride) if isinstance(stride, int) else stride
    out_h, out_w = -(-height // sh), -(-width // sw)
    return out_h * out_w * (channels if depthwise else filters * channels) * kh * kw


# %% exercise="conv-macs" variant=3 expect="MACs for depthwise"
def conv_macs(height, width, channels, filters, kernel, stride=1, padding="same", depthwise=False):  # depthwise as full
    kh, kw = (kernel, kernel) if isinstance(kernel, int) else kernel
    sh, sw = (stride, stride) if isinstance(stride, int) else stride
    if padding == "same":
        out_h, out_w = -(-height // sh), -(-width // sw)
    else:
        out_h, out_w = (height - kh) // sh + 1, (width - kw) // sw + 1
    return out_h * out_w * filters * channels * kh * kw


# %% exercise="pareto" variant=1 expect="front of"
def pareto_front(points):  # strictly better in both: keeps points that only tie the best on one side
    def dominated(p):
        return any(q[1] < p[1] and q[2] > p[2] for q in points)

    return [name for name, _, _ in sorted((p for p in points if not dominated(p)), key=lambda p: (p[1], p[0]))]


# %% exercise="pareto" variant=2 expect="front of"
def pareto_front(points):  # drops exact duplicates of a front point as if they were dominated
    def dominated(p):
        return any(q is not p and q[1] <= p[1] and q[2] >= p[2] for q in points)

    return [name for name, _, _ in sorted((p for p in points if not dominated(p)), key=lambda p: (p[1], p[0]))]


# %% exercise="pareto" variant=3 expect="front of"
def pareto_front(points):  # ordered by accuracy instead of cost
    def dominated(p):
        return any(q[1] <= p[1] and q[2] >= p[2] and (q[1] < p[1] or q[2] > p[2]) for q in points)

    return [name for name, _, _ in sorted((p for p in points if not dominated(p)), key=lambda p: (-p[2], p[0]))]
