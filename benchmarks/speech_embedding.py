"""The built-in voices through a front end trained on real speech: is the keyword model's real-world gap in the
built-in data, or in what the model learns from it?

Google's speech_embedding network (Apache-2.0; trained on a large body of real speech, arXiv 2002.01322) turns
audio into 96 numbers every 80 ms. openWakeWord 0.4.0 carries it, with its mel front end, as ONNX files inside the
wheel, so nothing is downloaded at run time. A small head (dense 64, dropout, softmax) is trained on the embeddings
of the same built-in clips a default `tinyml kws train` uses (the training split and its two augmented copies),
then measured on the real clips and KTuberling's words of `benchmarks/real_world.py`, with the same operating curve
(the `unknown` score times e^d), and on its real streams: the head scores the last 9 embeddings every 80 ms, and
the recognizer sweep finds the most keywords found within 1 false alarm a minute.

By default the network runs as float in ONNX Runtime: a diagnostic. With `--int8` it is rebuilt in Keras from the
ONNX weights, converted to int8 by the toolkit and run in TFLM, as is the head: every clip measured goes through
the int8 network and head in TFLM (the training clips through TensorFlow Lite's int8 kernels, for speed). The mel
spectrogram stays the ONNX one, computed on the host; a board would have to compute the same.

    pip install -e ".[bench]"           # scikit-image, pocketsphinx, openwakeword 0.4.0 (its ONNX files), onnx
    sudo apt-get install asterisk-core-sounds-en-wav asterisk-moh-opsound-wav tuxpaint-stamps-default ktuberling-data
    PYTHONPATH=src python benchmarks/speech_embedding.py [--int8] [--seeds 0,1,2,3,4] [--data-seed 0]
"""

import argparse
import sys
import tempfile
import time
from functools import partial
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).parent))
import real_world as rw  # noqa: E402

PAD = 4000  # 0.25 s of silence each side: the network's 76 mel frames fit around a 1 s clip several times
WINDOW, STEP = 76, 8  # the network's input: 76 mel frames (10 ms apart), one embedding every 8 frames
SHIFTS = (*rw.UNKNOWN_SHIFTS, 2.0)
POOLS = {3: (2, 2), 7: (1, 2), 11: (2, 2), 15: (1, 2), 19: (2, 2)}  # max pooling before these convolutions


def onnx_files() -> tuple[Path, Path]:
    try:
        import openwakeword
    except ImportError:
        sys.exit('needs openWakeWord 0.4.0 (it carries the network): pip install -e ".[bench]"')
    models = Path(openwakeword.__file__).parent / "resources" / "models"
    if not (models / "embedding_model.onnx").is_file():
        sys.exit(f"no embedding_model.onnx in {models}: pip install openwakeword==0.4.0 (later releases download it)")
    return models / "melspectrogram.onnx", models / "embedding_model.onnx"


def mel_windows(clips: np.ndarray, session, pad: int = PAD) -> np.ndarray:
    """The network's inputs for each clip (``pad`` samples of silence each side): (clips, windows, 76, 32, 1),
    openWakeWord's mel spectrogram (the ONNX Runtime ``session`` of its model) of each clip alone, with its scaling
    (x / 10 + 2, close to the TensorFlow original's)."""
    audio = (np.clip(np.pad(clips, ((0, 0), (pad, pad))), -1, 1) * 32767).astype(np.int16).astype(np.float32)
    mel = np.stack([np.squeeze(session.run(None, {"input": a[None]})[0]) / 10 + 2 for a in audio])
    starts = range(0, mel.shape[1] - WINDOW + 1, STEP)
    return np.stack([[m[s : s + WINDOW] for s in starts] for m in mel])[..., None].astype(np.float32)


def keras_network(onnx_model: Path):
    """speech_embedding rebuilt in Keras with the ONNX file's weights: a 3x3 convolution, then pairs of 1x3 and 3x1
    convolutions with leaky ReLU clipped below at -0.4, max pooling between, a last 3x1 convolution to 96."""
    import keras
    import onnx
    from onnx import numpy_helper

    graph = onnx.load(str(onnx_model)).graph
    weights = {t.name: numpy_helper.to_array(t) for t in graph.initializer}
    convs = [n for n in graph.node if n.op_type == "Conv"]
    norm = next(n for n in graph.node if n.op_type == "BatchNormalization")
    inputs = keras.Input((WINDOW, 32, 1))
    x = keras.layers.ZeroPadding2D(((0, 0), (1, 1)))(inputs)
    loads = []
    for k, node in enumerate(convs):
        if k in POOLS:
            x = keras.layers.MaxPooling2D(POOLS[k])(x)
        kernel, bias = weights[node.input[1]], [weights[i] for i in node.input[2:]]
        size = tuple(kernel.shape[2:])
        conv = keras.layers.Conv2D(
            kernel.shape[0], size, padding="same" if size == (1, 3) else "valid", use_bias=bool(bias)
        )
        x = conv(x)
        loads.append((conv, [kernel.transpose(2, 3, 1, 0), *bias]))
        if k == 0:
            batch_norm = keras.layers.BatchNormalization(epsilon=1e-3)
            x = batch_norm(keras.layers.ReLU()(x))
            loads.append((batch_norm, [weights[i] for i in norm.input[1:5]]))
        if k < len(convs) - 1:
            x = keras.layers.LeakyReLU(negative_slope=0.2)(x)
            x = keras.layers.Lambda(lambda t: keras.ops.maximum(t, -0.4))(x)
    model = keras.Model(inputs, keras.layers.Reshape((96,))(x))
    for layer, values in loads:
        layer.set_weights(values)
    return model


def head(shape: tuple[int, ...], classes: int, seed: int):
    import keras

    keras.utils.set_random_seed(seed)
    model = keras.Sequential(
        [
            keras.Input(shape),
            keras.layers.Flatten(),
            keras.layers.Dense(64, activation="relu"),
            keras.layers.Dropout(0.3),
            keras.layers.Dense(classes, activation="softmax"),
        ]
    )
    model.compile("adam", "sparse_categorical_crossentropy", metrics=["accuracy"])
    return model


class Embedder:
    """Clips -> embeddings (clips, windows, 96): float in ONNX Runtime, or (``int8``) the int8 network in TFLM and,
    for the training clips (``fast``), in TensorFlow Lite's int8 kernels."""

    def __init__(self, int8: bool, calibration: np.ndarray):
        import onnxruntime as ort

        mel_model, onnx_model = onnx_files()
        self.mel = ort.InferenceSession(str(mel_model), providers=["CPUExecutionProvider"])
        self.network = ort.InferenceSession(str(onnx_model), providers=["CPUExecutionProvider"])
        self.int8 = int8
        if not int8:
            return
        import tensorflow as tf

        from tinymlkit.convert.quantize import to_int8
        from tinymlkit.runtime.tflm import TFLMModel, measure_arena

        windows = mel_windows(calibration, self.mel).reshape(-1, WINDOW, 32, 1)
        rebuilt = keras_network(onnx_model)
        gap = np.abs(rebuilt.predict(windows, verbose=0) - self._float(windows))
        print(f"Keras rebuild against the ONNX network: largest difference {gap.max():.1e} in {len(windows)} windows")
        self.model = to_int8(rebuilt, windows)
        print(f"int8 network: {len(self.model):,} B flash, {measure_arena(self.model):,} B arena (64-bit host)")
        self.tflm = TFLMModel(self.model)
        self.lite = tf.lite.Interpreter(model_content=self.model)
        self.lite.allocate_tensors()

    def __call__(self, clips: np.ndarray, fast: bool = False, pad: int = PAD) -> np.ndarray:
        windows = mel_windows(clips, self.mel, pad)
        flat = windows.reshape(-1, WINDOW, 32, 1)
        if not self.int8:
            out = self._float(flat)
        elif fast:
            out = np.concatenate([self._lite(x[None]) for x in flat])
        else:
            out = self.tflm.predict(flat)
        return out.reshape(len(clips), windows.shape[1], 96)

    def _float(self, windows: np.ndarray) -> np.ndarray:
        """The ONNX network on ``windows`` (n, 76, 32, 1), 512 at a time (all at once would need tens of GB)."""
        runs = (self.network.run(None, {"input_1": windows[i : i + 512]})[0] for i in range(0, len(windows), 512))
        return np.concatenate(list(runs)).reshape(len(windows), 96)

    def _lite(self, x: np.ndarray) -> np.ndarray:
        given, taken = self.lite.get_input_details()[0], self.lite.get_output_details()[0]
        (scale, zero), (out_scale, out_zero) = given["quantization"], taken["quantization"]
        self.lite.set_tensor(given["index"], np.clip(np.round(x / scale + zero), -128, 127).astype(np.int8))
        self.lite.invoke()
        return (self.lite.get_tensor(taken["index"]).astype(np.float32) - out_zero) * out_scale


def stream_embeddings(real, words: list[str], embed: Embedder, streams: int) -> dict[str, list]:
    """The streaming test of `benchmarks/real_world.py` (the same recordings: the real clips over white noise, music
    and speech): per background, each recording's embeddings (one every 80 ms) and the keywords said in it."""
    from tinymlkit.apps.kws.recipe import held_out_recordings

    return {
        name: [
            (embed(audio[None], pad=0)[0], said)
            for audio, said in held_out_recordings(real, words, rw.REAL_SEED, streams, background=background)
        ]
        for name, background in rw.backgrounds("en", real.x).items()
    }


def scored_streams(streams: dict[str, list], predict, span: int) -> dict[str, list]:
    """The head's scores every 80 ms over each recording, on its last ``span`` embeddings (as in training), with
    the time in ms at the end of the audio they cover: what the recognizer of `real_world.py` counts on."""
    scored = {}
    for name, recordings in streams.items():
        scored[name] = []
        for embeddings, spoken in recordings:
            ends = np.arange(span - 1, len(embeddings))
            scores = predict(np.stack([embeddings[e - span + 1 : e + 1] for e in ends]))
            times = (ends * STEP + WINDOW) * 10 + 22  # a mel frame: 512 samples (32 ms), every 160 (10 ms)
            scored[name].append((times.astype(np.int64), scores, spoken))
    return scored


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--int8", action="store_true", help="the network and the head as int8 in TFLM")
    parser.add_argument("--seeds", default="0,1,2,3,4", help="seeds of the head's training")
    parser.add_argument("--data-seed", type=int, default=0, help="seed of the built-in data (as `--seed` of a run)")
    parser.add_argument("--streams", type=int, default=30, help="real recordings of 10 s per background (0: none)")
    args = parser.parse_args()

    from tinymlkit.apps.kws.recipe import KwsConfig, recipe
    from tinymlkit.convert.quantize import to_int8
    from tinymlkit.data.audio import SAMPLE_RATE, fit_length, read_audio
    from tinymlkit.datatools.augment import augment_clips
    from tinymlkit.evaluate.real_world import load_real_test, match_labels
    from tinymlkit.runtime.tflm import TFLMModel

    onnx_files()
    work = Path(tempfile.mkdtemp(prefix="speech-embedding-"))
    folder, speakers = rw.asterisk_words(work / "asterisk-en", "en")
    config = KwsConfig(words=["one", "two", "three"], real_test=str(folder), seed=args.data_seed)
    data, _ = recipe.load_data(config)
    real, _ = load_real_test(recipe, config, folder)
    real = match_labels(real, data.labels, folder)
    words = rw.ktuberling_files("en")
    if not words:
        sys.exit("no KTuberling words to measure: sudo apt-get install --no-install-recommends ktuberling-data")
    others = np.stack([fit_length(read_audio(f), SAMPLE_RATE) for f in words])

    start = time.perf_counter()
    train = data.part("train")  # the clips and augmented copies the keyword recipe trains on (recipe.features)
    copies = augment_clips(train.x, data.extras.get("background_noise", []), config.augment, SAMPLE_RATE, config.seed)
    clips = np.concatenate([train.x, copies])
    embed = Embedder(args.int8, clips[np.random.default_rng(0).choice(len(clips), 100, replace=False)])
    x_train = embed(clips, fast=True)
    y_train = np.concatenate([train.y] * (1 + config.augment.copies))
    test = data.part("test")
    x_test, x_real, x_others = embed(test.x), embed(real.x), embed(others)
    print(
        f"embedded {len(x_train)} training clips, {len(x_test)} test clips, {len(x_real)} real clips (speakers "
        f"{', '.join(speakers)}) and {len(x_others)} KTuberling words in {time.perf_counter() - start:.0f} s"
        + (" (int8: TFLM, the training clips TensorFlow Lite)" if args.int8 else " (float, ONNX Runtime)")
    )

    start = time.perf_counter()
    streams = stream_embeddings(real, config.words, embed, args.streams) if args.streams else {}
    if streams:
        print(f"embedded {args.streams} recordings of 10 s per background in {time.perf_counter() - start:.0f} s")
    keywords = [data.labels.index(w) for w in config.words]
    unknown = data.labels.index("unknown")
    negative = ~np.isin(real.y, keywords)
    curves, bests = [], []
    for seed in [int(s) for s in args.seeds.split(",")]:
        model = head(x_train.shape[1:], len(data.labels), seed)
        model.fit(x_train, y_train, epochs=30, batch_size=64, verbose=0)
        predict = TFLMModel(to_int8(model, x_train)).predict if args.int8 else partial(model.predict, verbose=0)
        accuracy = float(np.mean(np.argmax(predict(x_test), axis=1) == test.y))
        scores, other_scores = predict(x_real), predict(x_others)
        curve = []
        for shift in SHIFTS:
            right, accepted = rw.right_and_accepted(
                rw.answers_with_shift(scores, unknown, shift), real.y, negative, keywords
            )
            taken = int(np.sum(np.isin(rw.answers_with_shift(other_scores, unknown, shift), keywords)))
            curve.append((right, accepted, taken))
        curves.append(curve)
        points = ", ".join(f"d {d:+.1f}: {r}/{a}/{t}" for d, (r, a, t) in zip(SHIFTS, curve, strict=True))
        print(f"head seed {seed}: synthetic test {accuracy:.3f}; keywords right / non-keywords accepted / KTuberling")
        print(f"  taken, of {np.sum(~negative)} / {np.sum(negative)} / {len(others)}: {points}")
        if streams:
            scored = scored_streams(streams, predict, x_train.shape[1])
            best = rw.recognizer_sweep(scored, data.labels, config.words, args.streams * 10.0, table=False)
            bests.append([best.get(name, (0,))[0] for name in streams])
    mean = np.mean(curves, axis=0)
    print(f"means over {len(curves)} heads (keywords right / non-keywords accepted / KTuberling's words taken):")
    for d, (r, a, t) in zip(SHIFTS, mean, strict=True):
        print(f"  d {d:+.1f}: {r:.1f} / {a:.1f} / {t:.1f}")
    if bests:
        spoken = {name: sum(len(said) for _, said in recordings) for name, recordings in streams.items()}
        found = ", ".join(
            f"{name} {m:.1f} of {spoken[name]}" for name, m in zip(streams, np.mean(bests, axis=0), strict=True)
        )
        print(f"keywords found within 1 false alarm a minute, mean over the heads: {found}")


if __name__ == "__main__":
    main()
