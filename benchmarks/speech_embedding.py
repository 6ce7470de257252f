"""The built-in voices through a front end trained on real speech: is the keyword model's real-world gap in the
built-in data, or in what the model learns from it?

Google's speech_embedding network (Apache-2.0; trained on a large body of real speech, arXiv 2002.01322) turns
audio into 96 numbers every 80 ms. openWakeWord 0.4.0 carries it, with its mel front end, as ONNX files inside the
wheel, so nothing is downloaded at run time. A small head (dense 64, dropout, softmax) is trained on the embeddings
of the same built-in clips a default `tinyml kws train` uses (the training split and its two augmented copies),
then measured on the real clips and KTuberling's words of `benchmarks/real_world.py`, with the same operating curve
(the `unknown` score times e^d). The network is some 330,000 weights, far beyond the course's budget, and these
are float figures in ONNX Runtime, not int8 in TFLM: a diagnostic, not a model to deploy.

    pip install -e ".[bench]"           # scikit-image, pocketsphinx, openwakeword 0.4.0 (its ONNX files)
    sudo apt-get install asterisk-core-sounds-en-wav tuxpaint-stamps-default ktuberling-data
    PYTHONPATH=src python benchmarks/speech_embedding.py [--seeds 0,1,2,3,4] [--data-seed 0]
"""

import argparse
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).parent))
import real_world as rw  # noqa: E402

PAD = 4000  # 0.25 s of silence each side: the network's 76 mel frames fit around a 1 s clip several times
SHIFTS = (*rw.UNKNOWN_SHIFTS, 2.0)


def embedder():
    try:
        from openwakeword.utils import AudioFeatures
    except ImportError:
        sys.exit('needs openWakeWord 0.4.0 (it carries the network): pip install -e ".[bench]"')
    features = AudioFeatures()
    return lambda clips: features.embed_clips(
        (np.clip(np.pad(clips, ((0, 0), (PAD, PAD))), -1, 1) * 32767).astype(np.int16), batch_size=256
    )


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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seeds", default="0,1,2,3,4", help="seeds of the head's training")
    parser.add_argument("--data-seed", type=int, default=0, help="seed of the built-in data (as `--seed` of a run)")
    args = parser.parse_args()

    from tinymlkit.apps.kws.recipe import KwsConfig, recipe
    from tinymlkit.data.audio import SAMPLE_RATE, fit_length, read_audio
    from tinymlkit.datatools.augment import augment_clips
    from tinymlkit.evaluate.real_world import load_real_test, match_labels

    embed = embedder()
    work = Path(tempfile.mkdtemp(prefix="speech-embedding-"))
    folder, speakers = rw.asterisk_words(work / "asterisk-en", "en")
    config = KwsConfig(words=["one", "two", "three"], real_test=str(folder), seed=args.data_seed)
    data, _ = recipe.load_data(config)
    real, _ = load_real_test(recipe, config, folder)
    real = match_labels(real, data.labels, folder)
    sayable = set(rw.NUMBERS["en"]) | set(rw.HOMOPHONES["en"].split())
    words = [f for f in sorted(Path(rw.KTUBERLING.format(lang="en")).glob("*.ogg")) if f.stem not in sayable]
    others = np.stack([fit_length(read_audio(f), SAMPLE_RATE) for f in words])

    start = time.perf_counter()
    train = data.part("train")  # the clips and augmented copies the keyword recipe trains on (recipe.features)
    copies = augment_clips(train.x, data.extras.get("background_noise", []), config.augment, SAMPLE_RATE, config.seed)
    x_train = embed(np.concatenate([train.x, copies]))
    y_train = np.concatenate([train.y] * (1 + config.augment.copies))
    test = data.part("test")
    x_test, x_real, x_others = embed(test.x), embed(real.x), embed(others)
    print(
        f"embedded {len(x_train)} training clips, {len(x_test)} test clips, {len(x_real)} real clips (speakers "
        f"{', '.join(speakers)}) and {len(x_others)} KTuberling words in {time.perf_counter() - start:.0f} s"
    )

    keywords = [data.labels.index(w) for w in config.words]
    unknown = data.labels.index("unknown")
    negative = ~np.isin(real.y, keywords)
    curves = []
    for seed in [int(s) for s in args.seeds.split(",")]:
        model = head(x_train.shape[1:], len(data.labels), seed)
        model.fit(x_train, y_train, epochs=30, batch_size=64, verbose=0)
        accuracy = model.evaluate(x_test, test.y, verbose=0)[1]
        scores, other_scores = model.predict(x_real, verbose=0), model.predict(x_others, verbose=0)
        curve = []
        for shift in SHIFTS:
            answers = rw.answers_with_shift(scores, unknown, shift)
            right = int(np.sum(~negative & (answers == real.y)))
            accepted = int(np.sum(negative & np.isin(answers, keywords)))
            taken = int(np.sum(np.isin(rw.answers_with_shift(other_scores, unknown, shift), keywords)))
            curve.append((right, accepted, taken))
        curves.append(curve)
        points = ", ".join(f"d {d:+.1f}: {r}/{a}/{t}" for d, (r, a, t) in zip(SHIFTS, curve, strict=True))
        print(f"head seed {seed}: synthetic test {accuracy:.3f}; keywords right / non-keywords accepted / KTuberling")
        print(f"  taken, of {np.sum(~negative)} / {np.sum(negative)} / {len(others)}: {points}")
    mean = np.mean(curves, axis=0)
    print(f"means over {len(curves)} heads (keywords right / non-keywords accepted / KTuberling's words taken):")
    for d, (r, a, t) in zip(SHIFTS, mean, strict=True):
        print(f"  d {d:+.1f}: {r:.1f} / {a:.1f} / {t:.1f}")


if __name__ == "__main__":
    main()
