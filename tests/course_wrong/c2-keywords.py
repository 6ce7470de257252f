# %% exercise="spectrogram" variant=1 expect="default frames"
def spectrogram(audio, frame=480, step=320):  # no window
    audio = np.asarray(audio, dtype=np.float64)
    count = 1 + (len(audio) - frame) // step
    return np.abs(np.fft.rfft(np.stack([audio[i * step:i * step + frame] for i in range(count)]), axis=1))


# %% exercise="spectrogram" variant=2 expect="default frames"
def spectrogram(audio, frame=480, step=320):  # frames do not overlap
    audio = np.asarray(audio, dtype=np.float64)
    count = len(audio) // frame
    frames = np.stack([audio[i * frame:(i + 1) * frame] * np.hanning(frame) for i in range(count)])
    return np.abs(np.fft.rfft(frames, axis=1))


# %% exercise="mfcc" variant=1 expect="coefficients of a random spectrogram"
def mfcc(spec, mel_matrix, count):  # magnitude instead of power
    log_mel = np.log(np.asarray(spec) @ mel_matrix + 1e-6)
    return scipy.fft.dct(log_mel, type=2, norm="ortho", axis=-1)[..., :count]


# %% exercise="mfcc" variant=2 expect="coefficients of a random spectrogram"
def mfcc(spec, mel_matrix, count):  # no log
    return scipy.fft.dct(np.asarray(spec) ** 2 @ mel_matrix, type=2, norm="ortho", axis=-1)[..., :count]


# %% exercise="labels" variant=1 expect="labels for"
def keyword_labels(words):  # the words only
    return list(words)


# %% exercise="labels" variant=2 expect="labels for"
def keyword_labels(words):  # sorted words
    return ["silence", "unknown", *sorted(words)]


# %% exercise="keyword-model" variant=1 expect="takes 49 x 40 features"
def build_keyword_model(classes):  # raw audio input
    model = tf.keras.Sequential([tf.keras.Input(shape=(16000,)), tf.keras.layers.Dense(classes, activation="softmax")])
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
    return model


# %% exercise="keyword-model" variant=2 expect="one score per class"
def build_keyword_model(classes):  # always 12 outputs
    model = tf.keras.Sequential([tf.keras.Input(shape=(49, 40)), tf.keras.layers.Flatten(),
                                 tf.keras.layers.Dense(12, activation="softmax")])
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
    return model
