# %% exercise="forward-pass"
def forward_pass(x, w1, b1, w2, b2):
    hidden = np.maximum(0, x @ w1 + b1)
    return hidden @ w2 + b2


# %% exercise="normalise"
def normalise(images):
    return np.asarray(images, dtype=np.float32) / 16.0


# %% exercise="digits-model"
def build_digits_model():
    model = tf.keras.Sequential([
        tf.keras.Input(shape=(8, 8)),
        tf.keras.layers.Flatten(),
        tf.keras.layers.Dense(32, activation="relu"),
        tf.keras.layers.Dense(10, activation="softmax"),
    ])
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    return model


# %% exercise="early-stopping"
def early_stopping():
    return tf.keras.callbacks.EarlyStopping(monitor="val_loss", patience=3, restore_best_weights=True)
