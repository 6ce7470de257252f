# %% exercise="convolve" variant=1 expect="random"
def convolve(image, kernel):  # flips the kernel (true convolution)
    from scipy.signal import convolve2d
    return convolve2d(np.asarray(image, dtype=float), np.asarray(kernel, dtype=float), mode="valid")


# %% exercise="convolve" variant=2 expect="random"
def convolve(image, kernel):  # zero padding: output as large as the input
    from scipy.signal import correlate2d
    return correlate2d(np.asarray(image, dtype=float), np.asarray(kernel, dtype=float), mode="same")


# %% exercise="max-pool" variant=1 expect="random"
def max_pool(image):  # average pooling
    image = np.asarray(image)
    h, w = image.shape
    return image.reshape(h // 2, 2, w // 2, 2).mean(axis=(1, 3))


# %% exercise="max-pool" variant=2 expect="random"
def max_pool(image):  # overlapping windows, stride 1
    image = np.asarray(image)
    return np.maximum.reduce([image[:-1, :-1], image[1:, :-1], image[:-1, 1:], image[1:, 1:]])


# %% exercise="augment" variant=1 expect="every image is its input shifted"
def augment(images, rng):  # np.roll wraps around
    images = np.asarray(images)
    out = np.zeros_like(images)
    for i, image in enumerate(images):
        dx, dy = rng.integers(-2, 3, size=2)
        out[i] = np.roll(image, (dy, dx), axis=(0, 1))
    return out


# %% exercise="augment" variant=2 expect="shifts are random"
def augment(images, rng):  # no change at all
    return np.array(images, copy=True)


# %% exercise="wand-cnn" variant=1 expect="has convolution layers"
def build_wand_cnn():  # a dense network
    model = tf.keras.Sequential([tf.keras.Input(shape=(32, 32, 3)), tf.keras.layers.Flatten(),
                                 tf.keras.layers.Dense(64, activation="relu"),
                                 tf.keras.layers.Dense(5, activation="softmax")])
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
    return model


# %% exercise="wand-cnn" variant=2 expect="outputs 5 class scores"
def build_wand_cnn():  # ten classes
    model = tf.keras.Sequential([tf.keras.Input(shape=(32, 32, 3)),
                                 tf.keras.layers.Conv2D(16, 3, activation="relu"), tf.keras.layers.MaxPooling2D(),
                                 tf.keras.layers.Conv2D(32, 3, activation="relu"), tf.keras.layers.MaxPooling2D(),
                                 tf.keras.layers.Flatten(), tf.keras.layers.Dense(10, activation="softmax")])
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
    return model
