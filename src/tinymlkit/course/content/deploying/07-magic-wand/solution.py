# %% exercise="points"
def stroke_to_points(stroke, max_points=160, min_extent=15.0):
    xy = np.asarray(stroke, dtype=np.float64)
    xy = xy[:: -(-len(xy) // max_points)]
    low, high = xy.min(axis=0), xy.max(axis=0)
    extent = max(float(high[0] - low[0]), float(high[1] - low[1]), min_extent)
    q = np.floor((xy - (low + high) / 2) * (254.0 / extent) + 0.5)
    return np.clip(q, -127, 127).astype(np.int8)


# %% exercise="colour"
def segment_colour(k, segments):
    q = k * 510 // max(1, segments - 1)
    return (255 - q, q, 0) if q <= 255 else (0, 510 - q, q - 255)


# %% exercise="raster"
def rasterize_points(points, size=32, margin=2):
    image = np.zeros((size, size, 3), dtype=np.uint8)
    span = size - 1 - 2 * margin
    cols = [margin + (int(x) + 127) * span / 254 for x, _ in points]
    rows = [margin + (-int(y) + 127) * span / 254 for _, y in points]
    segments = max(1, len(points) - 1)
    if len(points) == 1:
        image[round(rows[0]), round(cols[0])] = segment_colour(0, 1)
    for k in range(len(points) - 1):
        steps = max(round(abs(cols[k + 1] - cols[k])), round(abs(rows[k + 1] - rows[k]))) + 1
        for c, r in zip(np.linspace(cols[k], cols[k + 1], steps), np.linspace(rows[k], rows[k + 1], steps),
                        strict=True):
            image[round(r), round(c)] = segment_colour(k, segments)
    return image
