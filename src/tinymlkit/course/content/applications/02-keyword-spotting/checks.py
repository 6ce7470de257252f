"""Checks of the lab c2-keywords."""

import numpy as np

from tinymlkit.course.checks import ARENA, Checker

WORD_POOL = ["yes", "no", "up", "down", "left", "right", "stop", "go", "on", "off"]


def _spec(audio, frame, step):
    count = 1 + (len(audio) - frame) // step
    frames = np.stack([audio[i * step:i * step + frame] * np.hanning(frame) for i in range(count)])
    return np.abs(np.fft.rfft(frames, axis=1))


def check_spectrogram(t: Checker) -> None:
    fn = t.function("spectrogram")
    audio = t.rng.normal(size=int(t.rng.integers(3000, 6000)))
    ok, got = t.call("runs on random audio", fn, audio.copy())
    if ok:
        t.close("default frames (480 every 320) of random audio", got, _spec(audio, 480, 320),
                "frames audio[i*step : i*step+frame] for every complete frame, times np.hanning(frame), then "
                "np.abs(np.fft.rfft(...))", rtol=1e-6)
    frame, step = int(t.rng.choice([256, 400])), int(t.rng.choice([128, 160]))
    ok, got = t.call("other frame sizes", fn, audio.copy(), frame, step)
    if ok:
        t.close(f"frames of {frame} every {step}", got, _spec(audio, frame, step), "use the frame and step arguments")


def check_mfcc(t: Checker) -> None:
    import scipy.fft

    fn = t.function("mfcc")
    spec = np.abs(t.rng.normal(size=(int(t.rng.integers(5, 20)), 65)))
    mel = np.abs(t.rng.normal(size=(65, 12)))
    count = int(t.rng.integers(4, 10))
    ok, got = t.call("runs on a random spectrogram", fn, spec, mel, count)
    if ok:
        expected = scipy.fft.dct(np.log(spec ** 2 @ mel + 1e-6), type=2, norm="ortho", axis=-1)[..., :count]
        t.close(f"{count} coefficients of a random spectrogram", got, expected,
                "power (spec ** 2) @ mel_matrix, np.log(... + 1e-6), scipy.fft.dct(type=2, norm='ortho', axis=-1), "
                "first count", rtol=1e-6)


def check_labels(t: Checker) -> None:
    fn = t.function("keyword_labels")
    random_words = [str(w) for w in t.rng.choice(WORD_POOL, size=int(t.rng.integers(2, 5)), replace=False)]
    for words in (["yes", "no"], random_words):  # the first is out of alphabetical order on purpose
        ok, got = t.call(f"runs on {words}", fn, list(words))
        if ok:
            t.equal(f"labels for {words}", list(got) if got is not None else None, ["silence", "unknown", *words],
                    "'silence' first, then 'unknown', then the words in their order: N words give N + 2 classes")


def check_keyword_model(t: Checker) -> None:
    import tensorflow as tf

    from tinymlkit.apps.kws.recipe import FEATURE_RANGE
    from tinymlkit.course.datasets import spoken_words
    from tinymlkit.apps.kws.frontend import micro_features
    from tinymlkit.convert.quantize import to_int8
    from tinymlkit.runtime.tflm import TFLMModel

    build = t.function("build_keyword_model")
    tf.keras.utils.set_random_seed(int(t.rng.integers(1 << 30)))
    ok, model = t.call("builds a model for 3 classes", build, 3, hint="return the compiled model")
    if not ok or not t.true("returns a Keras model", isinstance(model, tf.keras.Model), "a tf.keras.Model",
                            type(model).__name__, "return model at the end of the function"):
        return
    if not t.equal("takes 49 x 40 features", tuple(model.input_shape), (None, 49, 40), "Input(shape=(49, 40))"):
        return
    if not t.equal("one score per class", tuple(model.output_shape), (None, 3),
                   "the last layer is Dense(classes, activation='softmax')"):
        return
    words = [str(w) for w in t.rng.choice(WORD_POOL, size=3, replace=False)]
    seed = int(t.rng.integers(10, 1 << 20))
    x, y = spoken_words(words, 120, seed, voices="even")
    x_test, y_test = spoken_words(words, 20, seed + 1, voices="odd")
    f, f_test = micro_features(x), micro_features(x_test)
    model.fit(f, y, epochs=25, batch_size=32, verbose=0)
    tflm = TFLMModel(to_int8(model, f, input_range=FEATURE_RANGE), arena_size=ARENA)
    accuracy = float(np.mean(tflm.predict(f_test).argmax(1) == y_test))
    t.at_least(f"int8 accuracy in TFLM on unseen voices saying {words}", accuracy, 0.65,
               "a small CNN: Reshape to (49, 40, 1), Conv2D + MaxPooling2D blocks, Dropout, softmax output")


CHECKS = {"spectrogram": check_spectrogram, "mfcc": check_mfcc, "labels": check_labels,
          "keyword-model": check_keyword_model}
