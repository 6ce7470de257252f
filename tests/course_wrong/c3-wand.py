# %% exercise="points" variant=1 expect="points of a long stroke"
def stroke_to_points(stroke, max_points=160, min_extent=15.0):  # centred on the mean, not the box's middle
    xy = np.asarray(stroke, dtype=np.float64)
    xy = xy[:: -(-len(xy) // max_points)]
    low, high = xy.min(axis=0), xy.max(axis=0)
    extent = max(float(high[0] - low[0]), float(high[1] - low[1]), min_extent)
    q = np.floor((xy - xy.mean(axis=0)) * (254.0 / extent) + 0.5)
    return np.clip(q, -127, 127).astype(np.int8)


# %% exercise="points" variant=2 expect="points of a tiny wobble"
def stroke_to_points(stroke, max_points=160, min_extent=15.0):  # a tiny wobble is blown up to full size
    xy = np.asarray(stroke, dtype=np.float64)
    xy = xy[:: -(-len(xy) // max_points)]
    low, high = xy.min(axis=0), xy.max(axis=0)
    extent = max(float(high[0] - low[0]), float(high[1] - low[1]))
    q = np.floor((xy - (low + high) / 2) * (254.0 / extent) + 0.5)
    return np.clip(q, -127, 127).astype(np.int8)


# %% exercise="points" variant=3 expect="int8 points for a long stroke"
def stroke_to_points(stroke, max_points=160, min_extent=15.0):  # keeps every point
    xy = np.asarray(stroke, dtype=np.float64)
    low, high = xy.min(axis=0), xy.max(axis=0)
    extent = max(float(high[0] - low[0]), float(high[1] - low[1]), min_extent)
    q = np.floor((xy - (low + high) / 2) * (254.0 / extent) + 0.5)
    return np.clip(q, -127, 127).astype(np.int8)


# %% exercise="colour" variant=1 expect="colours of segments"
def segment_colour(k, segments):  # blue to red: time runs backwards
    q = k * 510 // max(1, segments - 1)
    return (q - 255, 510 - q, 0) if q > 255 else (0, q, 255 - q)


# %% exercise="colour" variant=2 expect="runs on a single segment"
def segment_colour(k, segments):  # divides by zero for a one-segment stroke
    q = k * 510 // (segments - 1)
    return (255 - q, q, 0) if q <= 255 else (0, 510 - q, q - 255)


# %% exercise="raster" variant=3 expect="drawn upwards: red at the bottom, blue at the top"
def rasterize_points(points, size=32, margin=2):  # y used as the row: the image is upside down
    image = np.zeros((size, size, 3), dtype=np.uint8)
    span = size - 1 - 2 * margin
    cols = [margin + (int(x) + 127) * span / 254 for x, _ in points]
    rows = [margin + (int(y) + 127) * span / 254 for _, y in points]
    for k in range(len(points) - 1):
        steps = max(round(abs(cols[k + 1] - cols[k])), round(abs(rows[k + 1] - rows[k]))) + 1
        for c, r in zip(np.linspace(cols[k], cols[k + 1], steps), np.linspace(rows[k], rows[k + 1], steps)):
            image[round(r), round(c)] = segment_colour(k, max(1, len(points) - 1))
    return image


# %% exercise="raster" variant=4 expect="pixels of random stroke 1"
def rasterize_points(points, size=32, margin=2):  # only the points' pixels, no lines between them
    image = np.zeros((size, size, 3), dtype=np.uint8)
    span = size - 1 - 2 * margin
    for k, (x, y) in enumerate(points):
        row, col = round(margin + (-int(y) + 127) * span / 254), round(margin + (int(x) + 127) * span / 254)
        image[row, col] = segment_colour(min(k, len(points) - 2), max(1, len(points) - 1))
    return image


# %% exercise="raster" variant=5 expect="colours of random stroke"
def rasterize_points(points, size=32, margin=2):  # one colour: the order of drawing is lost
    image = np.zeros((size, size, 3), dtype=np.uint8)
    span = size - 1 - 2 * margin
    cols = [margin + (int(x) + 127) * span / 254 for x, _ in points]
    rows = [margin + (-int(y) + 127) * span / 254 for _, y in points]
    for k in range(len(points) - 1):
        steps = max(round(abs(cols[k + 1] - cols[k])), round(abs(rows[k + 1] - rows[k]))) + 1
        for c, r in zip(np.linspace(cols[k], cols[k + 1], steps), np.linspace(rows[k], rows[k + 1], steps)):
            image[round(r), round(c)] = (255, 255, 255)
    return image
