# %% exercise="forward-pass" variant=1 expect="output for a random"
def forward_pass(x, w1, b1, w2, b2):  # forgets the ReLU
    return (x @ w1 + b1) @ w2 + b2


# %% exercise="forward-pass" variant=2 expect="output for a random"
def forward_pass(x, w1, b1, w2, b2):  # ReLU on the output too
    return np.maximum(0, np.maximum(0, x @ w1 + b1) @ w2 + b2)


# %% exercise="normalise" variant=1 expect="values from 0 to 1"
def normalise(images):  # divides by 255 as for photos
    return np.asarray(images, dtype=np.float32) / 255.0


# %% exercise="normalise" variant=2 expect="float32 array of the same shape"
def normalise(images):  # keeps float64
    return np.asarray(images) / 16.0


# %% exercise="digits-model" variant=1 expect="outputs 10 class scores"
def build_digits_model():  # one output only
    model = tf.keras.Sequential([tf.keras.Input(shape=(8, 8)), tf.keras.layers.Flatten(),
                                 tf.keras.layers.Dense(20, activation="relu"), tf.keras.layers.Dense(1)])
    model.compile(optimizer="adam", loss="mse")
    return model


# %% exercise="digits-model" variant=2 expect="int8 accuracy in TFLM on hidden digits"
def build_digits_model():  # a one-unit bottleneck cannot separate ten digits
    model = tf.keras.Sequential([tf.keras.Input(shape=(8, 8)), tf.keras.layers.Flatten(),
                                 tf.keras.layers.Dense(1, activation="relu"),
                                 tf.keras.layers.Dense(10, activation="softmax")])
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
    return model


# %% exercise="early-stopping" variant=1 expect="watches the validation loss"
def early_stopping():  # watches the training loss
    return tf.keras.callbacks.EarlyStopping(monitor="loss", patience=3, restore_best_weights=True)


# %% exercise="early-stopping" variant=2 expect="restores the best weights"
def early_stopping():  # keeps the last weights
    return tf.keras.callbacks.EarlyStopping(monitor="val_loss", patience=3)
