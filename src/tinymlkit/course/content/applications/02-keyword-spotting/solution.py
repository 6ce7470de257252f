# %% exercise="spectrogram"
def spectrogram(audio, frame=480, step=320):
    audio = np.asarray(audio, dtype=np.float64)
    count = 1 + (len(audio) - frame) // step
    window = np.hanning(frame)
    frames = np.stack([audio[i * step:i * step + frame] * window for i in range(count)])
    return np.abs(np.fft.rfft(frames, axis=1))


# %% exercise="mfcc"
def mfcc(spec, mel_matrix, count):
    spec = np.asarray(spec, dtype=np.float64)
    log_mel = np.log(spec ** 2 @ mel_matrix + 1e-6)
    return scipy.fft.dct(log_mel, type=2, norm="ortho", axis=-1)[..., :count]


# %% exercise="labels"
def keyword_labels(words):
    return ["silence", "unknown", *words]


# %% exercise="keyword-model"
def build_keyword_model(classes):
    model = tf.keras.Sequential([
        tf.keras.Input(shape=(49, 40)),
        tf.keras.layers.Reshape((49, 40, 1)),
        tf.keras.layers.Conv2D(16, 3, activation="relu"),
        tf.keras.layers.MaxPooling2D(),
        tf.keras.layers.Conv2D(16, 3, activation="relu"),
        tf.keras.layers.MaxPooling2D(),
        tf.keras.layers.Flatten(),
        tf.keras.layers.Dropout(0.2),
        tf.keras.layers.Dense(classes, activation="softmax"),
    ])
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    return model
