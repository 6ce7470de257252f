# %% exercise="loss" variant=1 expect="value on random vectors"
def mean_squared_error(y_true, y_pred):  # the sum, not the mean
    return float(np.sum((np.asarray(y_true) - np.asarray(y_pred)) ** 2))


# %% exercise="loss" variant=2 expect="value on random vectors"
def mean_squared_error(y_true, y_pred):  # mean absolute error
    return float(np.mean(np.abs(np.asarray(y_true) - np.asarray(y_pred))))


# %% exercise="gradient-step" variant=1 expect="one step from random w, b"
def gradient_step(w, b, x, y, learning_rate):  # walks uphill
    w, b = tf.Variable(float(w)), tf.Variable(float(b))
    x, y = tf.constant(x, dtype=tf.float32), tf.constant(y, dtype=tf.float32)
    with tf.GradientTape() as tape:
        loss = tf.reduce_mean(tf.square(w * x + b - y))
    dw, db = tape.gradient(loss, [w, b])
    return float(w + learning_rate * dw), float(b + learning_rate * db)


# %% exercise="gradient-step" variant=2 expect="one step from random w, b"
def gradient_step(w, b, x, y, learning_rate):  # forgets the learning rate
    w, b = tf.Variable(float(w)), tf.Variable(float(b))
    x, y = tf.constant(x, dtype=tf.float32), tf.constant(y, dtype=tf.float32)
    with tf.GradientTape() as tape:
        loss = tf.reduce_mean(tf.square(w * x + b - y))
    dw, db = tape.gradient(loss, [w, b])
    return float(w - dw), float(b - db)


# %% exercise="first-model" variant=1 expect="takes one number in"
def build_first_model():  # two inputs
    model = tf.keras.Sequential([tf.keras.Input(shape=(2,)), tf.keras.layers.Dense(units=1)])
    model.compile(optimizer="sgd", loss="mean_squared_error")
    return model


# %% exercise="first-model" variant=2 expect="compiled with the mean squared error loss"
def build_first_model():  # another loss
    model = tf.keras.Sequential([tf.keras.Input(shape=(1,)), tf.keras.layers.Dense(units=1)])
    model.compile(optimizer="sgd", loss="mean_absolute_error")
    return model
