"""The lessons' figures, made by code (run ``python -m tinymlkit.course.figures`` to rebuild them all).

Each function draws one figure with matplotlib from the toolkit's own data and functions; FIGURES maps the
file, relative to the content folder, to its function.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path

import numpy as np

from tinymlkit.course.catalog import CONTENT


def _figure(width: float = 6.4, height: float = 3.6):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    return plt.subplots(figsize=(width, height), dpi=90)


def guesses(ax_fig) -> None:
    fig, ax = ax_fig
    xs = np.array([-1.0, 0.0, 1.0, 2.0, 3.0, 4.0])
    ys = 2 * xs - 1
    for (w, b), style, color in [((3.0, 0.5), "--", "tab:red"), ((2.2, -0.8), "-", "tab:green")]:
        guess = w * xs + b
        loss = np.mean((ys - guess) ** 2)
        ax.plot(xs, guess, style, color=color, label=f"guess y = {w}x + {b}: loss {loss:.2f}")
        for x, y, g in zip(xs, ys, guess, strict=True):
            side = abs(g - y)
            ax.add_patch(
                __import__("matplotlib").patches.Rectangle((x, min(y, g)), side / 4, side, alpha=0.15, color=color)
            )
    ax.scatter(xs, ys, color="black", zorder=3, label="examples (y = 2x - 1)")
    ax.set_xlabel("x")
    ax.set_ylabel("y")
    ax.legend(fontsize=8)
    ax.set_title("Two guesses and their squared errors")


def descent(ax_fig) -> None:
    fig, ax = ax_fig
    xs = np.array([-1.0, 0.0, 1.0, 2.0, 3.0, 4.0])
    ys = 2 * xs - 1
    w_grid, b_grid = np.meshgrid(np.linspace(-2, 12, 120), np.linspace(-6, 12, 120))
    loss = np.mean((w_grid[..., None] * xs + b_grid[..., None] - ys) ** 2, axis=-1)
    ax.contourf(w_grid, b_grid, np.log10(loss + 1e-3), levels=30, cmap="viridis")
    w, b, path = 10.0, 10.0, [(10.0, 10.0)]
    for _ in range(50):
        error = w * xs + b - ys
        w, b = w - 0.09 * np.mean(2 * error * xs), b - 0.09 * np.mean(2 * error)
        path.append((w, b))
    path = np.array(path)
    ax.plot(path[:, 0], path[:, 1], "o-", color="white", markersize=3, label="50 steps, learning rate 0.09")
    ax.plot([2], [-1], "*", color="red", markersize=14, label="lowest loss: w = 2, b = -1")
    ax.set_xlabel("w")
    ax.set_ylabel("b")
    ax.legend(fontsize=8, loc="upper left")
    ax.set_title("Loss landscape (brighter = higher loss) and the descent path")


def model_sizes(ax_fig) -> None:
    """Parameters (= int8 bytes) of the toolkit's course models next to the Nano 33 BLE Sense's memory."""
    from tinymlkit.models import build_model
    from tinymlkit.profile.boards import get_board

    fig, ax = ax_fig
    models = [
        ("hello world\n(sine_mlp)", build_model("sine_mlp", (1,), 1)),
        ("keywords\n(tiny_conv)", build_model("tiny_conv", (49, 40), 4)),
        ("magic wand\n(wand_cnn)", build_model("wand_cnn", (32, 32, 3), 10)),
        ("person detection\n(MobileNet v1 0.25)", build_model("mobilenet_v1", (96, 96, 1), 2, width=0.25)),
    ]
    board = get_board("nano33ble")
    names = [n for n, _ in models]
    kb = [m.count_params() / 1024 for _, m in models]
    bars = ax.barh(names, kb, color="tab:blue", label="parameters as int8 (1 byte each)")
    for bar, value in zip(bars, kb, strict=True):
        ax.text(value * 1.15, bar.get_y() + bar.get_height() / 2, f"{value:,.1f} KB", va="center", fontsize=8)
    ax.axvline(board.flash_bytes / 1024, color="tab:red", linestyle="--", label="Nano 33 BLE Sense flash (1 MB)")
    ax.axvline(board.ram_bytes / 1024, color="tab:orange", linestyle=":", label="Nano 33 BLE Sense RAM (256 KB)")
    ax.set_xscale("log")
    ax.set_xlabel("KB (log scale)")
    ax.legend(fontsize=7, loc="lower right")
    ax.set_title("Model sizes of the course's applications")


def hello_world_layers(ax_fig) -> None:
    fig, ax = ax_fig
    sizes = [1, 16, 16, 1]
    names = [f"{a} -> {b}" for a, b in zip(sizes[:-1], sizes[1:], strict=True)]
    params = [a * b + b for a, b in zip(sizes[:-1], sizes[1:], strict=True)]
    macs = [a * b for a, b in zip(sizes[:-1], sizes[1:], strict=True)]
    x = np.arange(len(names))
    ax.bar(x - 0.2, params, 0.4, label=f"parameters (total {sum(params)})")
    ax.bar(x + 0.2, macs, 0.4, label=f"multiply-accumulates (total {sum(macs)})")
    ax.set_xticks(x, names)
    ax.set_xlabel("dense layer (inputs -> units)")
    ax.legend(fontsize=8)
    ax.set_title("The hello-world network 1 -> 16 -> 16 -> 1, layer by layer")


def relu(ax_fig) -> None:
    fig, ax = ax_fig
    z = np.linspace(-4, 4, 200)
    ax.plot(z, z, ":", color="gray", label="weighted sum z = x @ W + b")
    ax.plot(z, np.maximum(0, z), color="tab:blue", linewidth=2.5, label="ReLU(z) = max(0, z)")
    ax.axhline(0, color="black", linewidth=0.5)
    ax.axvline(0, color="black", linewidth=0.5)
    ax.set_xlabel("z")
    ax.legend(fontsize=8)
    ax.set_title("ReLU keeps positive values and zeroes negative ones")


def digit_examples(ax_fig) -> None:
    import matplotlib.pyplot as plt

    from tinymlkit.course.datasets import digits

    fig, _ = ax_fig
    fig.clf()
    data = digits(seed=0)
    for i in range(10):
        ax = fig.add_subplot(2, 10, i + 1)
        ax.imshow(data.x_train[data.y_train == i][0], cmap="gray_r")
        ax.set_title(str(i))
        ax.axis("off")
        ax = fig.add_subplot(2, 10, i + 11)
        ax.imshow(data.x_train[data.y_train == i][1], cmap="gray_r")
        ax.axis("off")
    fig.suptitle("8x8 hand-written digits (scikit-learn's bundled set), two of each")
    plt.subplots_adjust(top=0.8)


def overfitting(ax_fig) -> None:
    import tensorflow as tf

    from tinymlkit.course.datasets import digits

    fig, ax = ax_fig
    tf.keras.utils.set_random_seed(0)
    data = digits(seed=0)
    x, y = data.x_train[:120] / 16.0, data.y_train[:120]  # few examples and a wide network: it will overfit
    model = tf.keras.Sequential(
        [
            tf.keras.Input((8, 8)),
            tf.keras.layers.Flatten(),
            tf.keras.layers.Dense(256, activation="relu"),
            tf.keras.layers.Dense(10, activation="softmax"),
        ]
    )
    model.compile(tf.keras.optimizers.Adam(0.005), "sparse_categorical_crossentropy")
    history = model.fit(x, y, validation_data=(data.x_test / 16.0, data.y_test), epochs=300, verbose=0)
    ax.plot(history.history["loss"], label="training loss")
    ax.plot(history.history["val_loss"], label="validation loss")
    best = int(np.argmin(history.history["val_loss"]))
    ax.axvline(best, color="gray", linestyle="--", label=f"lowest validation loss (epoch {best})")
    ax.set_yscale("log")
    ax.set_xlabel("epoch")
    ax.legend(fontsize=8)
    ax.set_title("A wide network on 120 digits: the gap between the two losses is overfitting")


def convolution(ax_fig) -> None:
    from scipy.signal import correlate2d
    from sklearn.datasets import load_sample_image

    fig, _ = ax_fig
    fig.clf()
    photo = load_sample_image("china.jpg").mean(axis=2)[::2, ::2]
    kernel = np.array([[-1, 0, 1], [-2, 0, 2], [-1, 0, 1]])
    edges = np.abs(correlate2d(photo, kernel, mode="valid"))
    h, w = edges.shape[0] // 2 * 2, edges.shape[1] // 2 * 2
    pooled = edges[:h, :w].reshape(h // 2, 2, w // 2, 2).max(axis=(1, 3))
    panels = [
        (photo, f"photo {photo.shape[0]}x{photo.shape[1]}"),
        (kernel, "3x3 kernel (vertical edges)"),
        (edges, f"feature map {edges.shape[0]}x{edges.shape[1]}"),
        (pooled, f"2x2 max pool {pooled.shape[0]}x{pooled.shape[1]}"),
    ]
    for i, (image, title) in enumerate(panels):
        ax = fig.add_subplot(1, 4, i + 1)
        ax.imshow(image, cmap="gray" if i != 1 else "coolwarm")
        if i == 1:
            for (r, c), v in np.ndenumerate(kernel):
                ax.text(c, r, str(v), ha="center", va="center")
        ax.set_title(title, fontsize=8)
        ax.axis("off")


def strokes(ax_fig) -> None:
    from tinymlkit.course.datasets import stroke_images

    fig, _ = ax_fig
    fig.clf()
    images, labels = stroke_images(users=3, repetitions=1, seed=3)
    for i in range(15):
        ax = fig.add_subplot(3, 5, i + 1)
        ax.imshow(images[i])
        ax.set_title(f"gesture {labels[i]}" if i < 5 else "", fontsize=8)
        ax.axis("off")
    fig.suptitle("Three synthetic users draw gestures 0-4 (red = start, blue = end)", fontsize=9)


def precision_recall(ax_fig) -> None:
    from tinymlkit.course.datasets import wake_word_scores

    fig, ax = ax_fig
    scores, said = wake_word_scores(seconds=5000, seed=0)
    thresholds = np.linspace(0.05, 0.99, 95)
    precision, recall = [], []
    for t in thresholds:
        woke = scores >= t
        tp = np.sum(woke & (said == 1))
        precision.append(tp / max(1, woke.sum()))
        recall.append(tp / max(1, said.sum()))
    ax.plot(thresholds, precision, label="precision (how many wake-ups were right)")
    ax.plot(thresholds, recall, label="recall (how many wake words were caught)")
    ax.axhline(0.95, color="gray", linestyle=":", label="design target: precision 0.95")
    ax.set_xlabel("threshold")
    ax.set_ylim(0, 1.02)
    ax.legend(fontsize=8, loc="lower left")
    ax.set_title("Raising the threshold trades recall for precision (simulated detector)")


def _digits_conversions():
    """A digits CNN converted three ways (float, dynamic range, full int8), as the c2-conversion lab does."""
    import tensorflow as tf

    from tinymlkit.convert.quantize import to_int8
    from tinymlkit.course.datasets import digits

    tf.keras.utils.set_random_seed(0)
    data = digits(seed=0)
    x = data.x_train[..., None] / 16.0
    model = tf.keras.Sequential(
        [
            tf.keras.Input((8, 8, 1)),
            tf.keras.layers.Conv2D(8, 3, activation="relu"),
            tf.keras.layers.Flatten(),
            tf.keras.layers.Dense(32, activation="relu"),
            tf.keras.layers.Dense(10, activation="softmax"),
        ]
    )
    model.compile("adam", "sparse_categorical_crossentropy")
    model.fit(x, data.y_train, epochs=10, verbose=0)
    float_tflite = tf.lite.TFLiteConverter.from_keras_model(model).convert()
    converter = tf.lite.TFLiteConverter.from_keras_model(model)
    converter.optimizations = [tf.lite.Optimize.DEFAULT]
    return model, float_tflite, converter.convert(), to_int8(model, x)


def conversion_sizes(ax_fig) -> None:
    fig, ax = ax_fig
    model, float_tflite, dynamic, int8 = _digits_conversions()
    names = ["Keras weights\n(float32)", "TFLite float", "dynamic range\n(TFLM: no)", "full int8\n(TFLM: yes)"]
    sizes = [model.count_params() * 4, len(float_tflite), len(dynamic), len(int8)]
    bars = ax.bar(names, [v / 1024 for v in sizes], color=["gray", "tab:blue", "tab:orange", "tab:green"])
    for bar, v in zip(bars, sizes, strict=True):
        ax.text(bar.get_x() + bar.get_width() / 2, v / 1024, f"{v:,} B", ha="center", va="bottom", fontsize=8)
    ax.set_ylabel("KB")
    ax.set_title(f"A {model.count_params():,}-parameter digits CNN, converted three ways")


def int8_weights(ax_fig) -> None:
    import tensorflow as tf

    fig, ax = ax_fig
    *_, int8 = _digits_conversions()
    reader = tf.lite.Interpreter(model_content=int8)
    reader.allocate_tensors()
    weights = [
        reader.get_tensor(t["index"]).ravel()
        for t in reader.get_tensor_details()
        if t["dtype"] == np.int8 and len(t["shape"]) in (2, 4) and t["shape"][0] > 1
    ]
    ax.hist(np.concatenate(weights), bins=np.arange(-128, 129, 4))
    ax.set_xlabel("int8 weight value")
    ax.set_ylabel("count")
    ax.set_title("int8 weights of the digits model: most near 0, fewer at the extremes")


def _heartbeat_models():
    import tensorflow as tf
    from sklearn.cluster import KMeans

    from tinymlkit.course.datasets import heartbeats

    tf.keras.utils.set_random_seed(0)
    x_train, _ = heartbeats(2000, 0.0, seed=1)
    x_test, y_test = heartbeats(1000, 0.2, seed=2)
    model = tf.keras.Sequential(
        [
            tf.keras.Input((140,)),
            tf.keras.layers.Dense(32, activation="relu"),
            tf.keras.layers.Dense(8, activation="relu"),
            tf.keras.layers.Dense(32, activation="relu"),
            tf.keras.layers.Dense(140),
        ]
    )
    model.compile("adam", "mse")
    model.fit(x_train, x_train, epochs=40, batch_size=32, verbose=0)
    kmeans = KMeans(n_clusters=8, n_init=4, random_state=0).fit(x_train)
    return model, kmeans, x_test, y_test


def reconstructions(ax_fig) -> None:
    fig, _ = ax_fig
    fig.clf()
    model, _, x_test, y_test = _heartbeat_models()
    for i, (label, title) in enumerate([(0, "normal beat"), (1, "abnormal beat")]):
        ax = fig.add_subplot(1, 2, i + 1)
        beat = x_test[y_test == label][0]
        redrawn = model.predict(beat[None], verbose=0)[0]
        ax.plot(beat, label="input")
        ax.plot(redrawn, label="autoencoder output")
        ax.fill_between(np.arange(140), beat, redrawn, color="tab:red", alpha=0.25)
        ax.set_title(f"{title}: error {np.mean((beat - redrawn) ** 2):.4f}", fontsize=9)
        ax.legend(fontsize=7)


def anomaly_roc(ax_fig) -> None:
    from tinymlkit.evaluate.roc import roc_auc, roc_curve

    fig, ax = ax_fig
    model, kmeans, x_test, y_test = _heartbeat_models()
    scores = {
        "k-means distance (8 centres)": kmeans.transform(x_test).min(axis=1),
        "autoencoder error (bottleneck 8)": np.mean((model.predict(x_test, verbose=0) - x_test) ** 2, axis=1),
    }
    for name, s in scores.items():
        fpr, tpr, _ = roc_curve(s, y_test)
        ax.plot(fpr, tpr, label=f"{name}: AUC {roc_auc(s, y_test):.3f}")
    ax.plot([0, 1], [0, 1], ":", color="gray", label="chance (AUC 0.5)")
    ax.set_xlabel("false positive rate (normal beats flagged)")
    ax.set_ylabel("true positive rate (anomalies caught)")
    ax.legend(fontsize=8)
    ax.set_title("ROC curves on synthesized heartbeats (20 % abnormal)")


def _rates(scores, said, threshold):
    wake = scores >= threshold
    return wake[said == 1].mean(), wake[said == 0].mean()


def fairness_groups(ax_fig) -> None:
    from tinymlkit.course.datasets import VOICE_GROUPS, grouped_wake_word_scores

    fig, ax = ax_fig
    scores, said, groups = grouped_wake_word_scores(3000, seed=0)
    rates = [_rates(scores[groups == g], said[groups == g], 0.5)[0] for g in VOICE_GROUPS]
    overall = _rates(scores, said, 0.5)[0]
    ax.bar(VOICE_GROUPS, rates, color=["tab:blue", "tab:orange", "tab:green"])
    ax.axhline(overall, color="black", linestyle="--", label=f"average over everyone: {overall:.2f}")
    for i, r in enumerate(rates):
        ax.text(i, r + 0.01, f"{r:.2f}", ha="center", fontsize=9)
    ax.set_ylim(0, 1.05)
    ax.set_ylabel("true accept rate at threshold 0.5")
    ax.legend(fontsize=8, loc="lower right")
    ax.set_title("One threshold, three voice groups (simulated detector)")


def fairness_strategies(ax_fig) -> None:
    from tinymlkit.course.datasets import VOICE_GROUPS, grouped_wake_word_scores

    fig, _ = ax_fig
    fig.clf()
    scores, said, groups = grouped_wake_word_scores(3000, seed=0)
    x = np.arange(len(VOICE_GROUPS))
    single, equal = [], []
    for g in VOICE_GROUPS:
        s, y = scores[groups == g], said[groups == g]
        single.append(_rates(s, y, 0.5))
        hits = s[y == 1]
        threshold = max(c for c in np.unique(s) if np.mean(hits >= c) >= 0.9)
        equal.append(_rates(s, y, threshold))
    for i, (title, index) in enumerate([("true accept rate", 0), ("false accept rate", 1)]):
        ax = fig.add_subplot(1, 2, i + 1)
        ax.bar(x - 0.2, [r[index] for r in single], 0.4, label="single threshold 0.5")
        ax.bar(x + 0.2, [r[index] for r in equal], 0.4, label="equal opportunity (TAR 0.9)")
        ax.set_xticks(x, VOICE_GROUPS)
        ax.set_title(title, fontsize=9)
        if i == 0:
            ax.legend(fontsize=7, loc="lower left")


def audio_features(ax_fig) -> None:
    from tinymlkit.apps.kws.frontend import micro_features
    from tinymlkit.course.datasets import spoken_words

    fig, _ = ax_fig
    fig.clf()
    clips, _ = spoken_words(["yes"], per_word=1, seed=0)
    audio = clips[0]
    frames = np.stack([audio[i * 320 : i * 320 + 480] * np.hanning(480) for i in range(49)])
    spec = np.abs(np.fft.rfft(frames, axis=1))
    panels = [
        ("waveform (16,000 samples)", None),
        ("spectrogram (49 x 241)", np.log(spec.T + 1e-6)),
        ("micro frontend (49 x 40)", micro_features(audio[None])[0].T),
    ]
    for i, (title, image) in enumerate(panels):
        ax = fig.add_subplot(1, 3, i + 1)
        if image is None:
            ax.plot(np.arange(16000) / 16000, audio, linewidth=0.5)
            ax.set_xlabel("seconds", fontsize=8)
        else:
            ax.imshow(image, origin="lower", aspect="auto")
            ax.set_xlabel("frame (20 ms)", fontsize=8)
        ax.set_title(title, fontsize=8)
        ax.tick_params(labelsize=7)
    fig.suptitle('The word "yes" (eSpeak NG voice)', fontsize=9)


def camera(ax_fig) -> None:
    from tinymlkit.apps.person.synth import render_scene

    fig, _ = ax_fig
    fig.clf()
    frame = render_scene(seed=3, person=True).frame
    square = frame[:, 16:160].astype(np.int16) - 128
    ax = fig.add_subplot(1, 3, 1)
    ax.imshow(frame, cmap="gray")
    ax.set_title("camera frame 176 x 144", fontsize=8)
    ax = fig.add_subplot(1, 3, 2)
    ax.imshow(square, cmap="gray")
    ax.set_title("central square 144 x 144", fontsize=8)
    ax = fig.add_subplot(1, 3, 3)
    ax.hist(square.ravel(), bins=64)
    ax.set_title("int8 input: pixel - 128", fontsize=8)
    ax.tick_params(labelsize=7)


def transfer(ax_fig) -> None:
    import tensorflow as tf

    from tinymlkit.course.datasets import stroke_images
    from tinymlkit.course.pretrained import backbone_architecture, load_backbone

    fig, ax = ax_fig
    letters = ("W", "O", "L", "Z", "V", "S", "M")
    x_test, y_test = stroke_images(8, 2, seed=6, gestures=letters)
    counts = [1, 2, 5, 10]
    results = {"frozen pretrained backbone": [], "same network from scratch": []}
    for n in counts:
        x, y = stroke_images(n, 1, seed=5, gestures=letters)
        for name in results:
            tf.keras.utils.set_random_seed(0)
            backbone = load_backbone() if name.startswith("frozen") else backbone_architecture()
            backbone.trainable = not name.startswith("frozen")
            model = tf.keras.Sequential([backbone, tf.keras.layers.Dense(len(letters), activation="softmax")])
            model.compile("adam", "sparse_categorical_crossentropy", metrics=["accuracy"])
            model.fit(x / 255.0, y, epochs=60, batch_size=8, verbose=0)
            results[name].append(model.evaluate(x_test / 255.0, y_test, verbose=0)[1])
    for name, accuracy in results.items():
        ax.plot(counts, accuracy, "o-", label=name)
    ax.set_xticks(counts, [str(c) for c in counts])
    ax.set_xlabel("training examples per letter (unseen users)")
    ax.set_ylabel("accuracy on unseen users")
    ax.set_ylim(0, 1.02)
    ax.legend(fontsize=8)
    ax.set_title("Seven new letters: frozen digit backbone vs from scratch")


FIGURES: dict[str, Callable] = {
    "applications/04-visual-wake-words/figures/camera.png": camera,
    "applications/04-visual-wake-words/figures/transfer.png": transfer,
    "applications/02-keyword-spotting/figures/features.png": audio_features,
    "applications/06-responsible-development/figures/groups.png": fairness_groups,
    "applications/06-responsible-development/figures/strategies.png": fairness_strategies,
    "applications/05-anomaly-detection/figures/reconstructions.png": reconstructions,
    "applications/05-anomaly-detection/figures/roc.png": anomaly_roc,
    "applications/01-edge-conversion/figures/sizes.png": conversion_sizes,
    "applications/01-edge-conversion/figures/weights.png": int8_weights,
    "fundamentals/05-responsible-design/figures/precision_recall.png": precision_recall,
    "fundamentals/04-computer-vision/figures/convolution.png": convolution,
    "fundamentals/04-computer-vision/figures/strokes.png": strokes,
    "fundamentals/03-deep-learning/figures/relu.png": relu,
    "fundamentals/03-deep-learning/figures/digits.png": digit_examples,
    "fundamentals/03-deep-learning/figures/overfitting.png": overfitting,
    "fundamentals/01-tiny-ml/figures/model_sizes.png": model_sizes,
    "fundamentals/01-tiny-ml/figures/hello_world_layers.png": hello_world_layers,
    "fundamentals/02-ml-paradigm/figures/guesses.png": guesses,
    "fundamentals/02-ml-paradigm/figures/descent.png": descent,
}


def build(names: list[str] | None = None, root: Path = CONTENT) -> list[Path]:
    """Draw the figures (all, or those whose path contains one of ``names``) into the content folder."""
    import matplotlib.pyplot as plt

    written = []
    for rel, draw in FIGURES.items():
        if names and not any(n in rel for n in names):
            continue
        fig_ax = _figure()
        draw(fig_ax)
        fig_ax[0].tight_layout()
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        fig_ax[0].savefig(path)
        plt.close(fig_ax[0])
        written.append(path)
    return written


if __name__ == "__main__":
    for p in build(sys.argv[1:]):
        print(p)
