# %% exercise="camera-input"
def camera_input(frame):
    frame = np.asarray(frame)
    left = (frame.shape[1] - frame.shape[0]) // 2
    square = frame[:, left:left + frame.shape[0]]
    return (square.astype(np.int16) - 128).astype(np.int8)


# %% exercise="transfer-model"
def build_transfer_model(backbone, classes):
    backbone.trainable = False
    model = tf.keras.Sequential([backbone, tf.keras.layers.Dense(classes, activation="softmax")])
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    return model
