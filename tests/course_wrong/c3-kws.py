# %% exercise="c-array" variant=1 expect="the array holds the model's bytes"
def model_to_c(model, name="g_model"):  # decimal numbers, not hex
    body = ", ".join(str(b) for b in model)
    return f"alignas(16) const unsigned char {name}[] = {{{body}}};\nconst int {name}_len = {len(model)};\n"


# %% exercise="c-array" variant=2 expect="declares alignas(16) const unsigned char"
def model_to_c(model, name="g_model"):  # not const: the model would be copied into RAM
    body = ", ".join(f"0x{b:02x}" for b in model)
    return f"unsigned char {name}[] = {{{body}}};\nconst int {name}_len = {len(model)};\n"


# %% exercise="c-array" variant=3 expect="declares the length"
def model_to_c(model, name="g_model"):  # the length of the text, not of the model
    body = ", ".join(f"0x{b:02x}" for b in model)
    return f"alignas(16) const unsigned char {name}[] = {{{body}}};\nconst int {name}_len = {len(body)};\n"


# %% exercise="quantize" variant=1 expect="int8 inputs for random frontend outputs"
def quantize_frontend(values, scale=26 / 256, zero_point=-128):  # forgets the zero point
    feature = np.asarray(values, dtype=np.float64) * 10 / 256
    return np.clip(np.round(feature / scale), -128, 127).astype(np.int8)


# %% exercise="quantize" variant=2 expect="int8 inputs for random frontend outputs"
def quantize_frontend(values, scale=26 / 256, zero_point=-128):  # no saturation: large values wrap around
    feature = np.asarray(values, dtype=np.float64) * 10 / 256
    return (np.round(feature / scale) + zero_point).astype(np.int8)


# %% exercise="quantize" variant=3 expect="int8 inputs with scale"
def quantize_frontend(values, scale=26 / 256, zero_point=-128):  # ignores its arguments
    feature = np.asarray(values, dtype=np.float64) * 10 / 256
    return np.clip(np.round(feature / (26 / 256)) - 128, -128, 127).astype(np.int8)


# %% exercise="recognizer" variant=1 expect="commands of a random stream with the defaults"
def recognize_commands(times, scores, labels, window_ms=1000, threshold=200, suppression_ms=1500, minimum_count=3):
    found, last = [], None  # no averaging: every single inference above the threshold counts
    for now, p in zip(times, scores):
        s = np.clip(np.round(np.asarray(p) * 256), 0, 255).astype(int)
        best = int(np.argmax(s))
        if s[best] > threshold and labels[best] != last:
            last = labels[best]
            if last != "silence":
                found.append((last, int(now)))
    return found


# %% exercise="recognizer" variant=2 expect="commands of a random stream with the defaults"
def recognize_commands(times, scores, labels, window_ms=1000, threshold=200, suppression_ms=1500, minimum_count=3):
    kept, found = [], []  # no suppression: a word is reported on every inference while it lasts
    for now, p in zip(times, scores):
        now = int(now)
        kept = [(t, s) for t, s in kept if t >= now - window_ms]
        kept.append((now, np.clip(np.round(np.asarray(p) * 256), 0, 255).astype(int)))
        if len(kept) < minimum_count or now - kept[0][0] < window_ms // 4:
            continue
        average = np.sum([s for _, s in kept], axis=0) // len(kept)
        best = int(np.argmax(average))
        if average[best] > threshold and labels[best] != "silence":
            found.append((labels[best], now))
    return found
