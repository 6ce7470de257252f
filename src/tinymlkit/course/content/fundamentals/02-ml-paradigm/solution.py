# %% exercise="loss"
def mean_squared_error(y_true, y_pred):
    y_true = np.asarray(y_true, dtype=float)
    y_pred = np.asarray(y_pred, dtype=float)
    return float(np.mean((y_true - y_pred) ** 2))


# %% exercise="gradient-step"
def gradient_step(w, b, x, y, learning_rate):
    w = tf.Variable(float(w))
    b = tf.Variable(float(b))
    x = tf.constant(x, dtype=tf.float32)
    y = tf.constant(y, dtype=tf.float32)
    with tf.GradientTape() as tape:
        loss = tf.reduce_mean(tf.square(w * x + b - y))
    dw, db = tape.gradient(loss, [w, b])
    return float(w - learning_rate * dw), float(b - learning_rate * db)


# %% exercise="first-model"
def build_first_model():
    model = tf.keras.Sequential([tf.keras.Input(shape=(1,)), tf.keras.layers.Dense(units=1)])
    model.compile(optimizer="sgd", loss="mean_squared_error")
    return model
