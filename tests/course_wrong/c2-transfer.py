# %% exercise="camera-input" variant=1 expect="central square, pixel - 128"
def camera_input(frame):  # casts without subtracting 128 (values wrap around)
    frame = np.asarray(frame)
    return frame[:, 16:160].astype(np.int8)


# %% exercise="camera-input" variant=2 expect="central square, pixel - 128"
def camera_input(frame):  # the left square instead of the central one
    frame = np.asarray(frame)
    return (frame[:, :144].astype(np.int16) - 128).astype(np.int8)


# %% exercise="transfer-model" variant=1 expect="the backbone stays frozen"
def build_transfer_model(backbone, classes):  # forgets to freeze
    model = tf.keras.Sequential([backbone, tf.keras.layers.Dense(classes, activation="softmax")])
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
    return model


# %% exercise="transfer-model" variant=2 expect="one score per new class"
def build_transfer_model(backbone, classes):  # keeps ten digit classes
    backbone.trainable = False
    model = tf.keras.Sequential([backbone, tf.keras.layers.Dense(10, activation="softmax")])
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
    return model
