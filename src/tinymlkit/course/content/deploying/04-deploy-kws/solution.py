# %% exercise="c-array"
def model_to_c(model, name="g_model"):
    rows = [", ".join(f"0x{b:02x}" for b in model[i:i + 12]) for i in range(0, len(model), 12)]
    body = ",\n  ".join(rows)
    return f"alignas(16) const unsigned char {name}[] = {{\n  {body}\n}};\nconst int {name}_len = {len(model)};\n"


# %% exercise="quantize"
def quantize_frontend(values, scale=26 / 256, zero_point=-128):
    feature = np.asarray(values, dtype=np.float64) * 10 / 256
    return np.clip(np.round(feature / scale) + zero_point, -128, 127).astype(np.int8)


# %% exercise="recognizer"
def recognize_commands(times, scores, labels, window_ms=1000, threshold=200, suppression_ms=1500, minimum_count=3):
    kept, found = [], []
    last_label, last_time = None, 0
    for now, p in zip(times, scores):
        now = int(now)
        kept = [(t, s) for t, s in kept if t >= now - window_ms]
        kept.append((now, np.clip(np.round(np.asarray(p, dtype=np.float64) * 256), 0, 255).astype(int)))
        if len(kept) < minimum_count or now - kept[0][0] < window_ms // 4:
            continue
        average = np.sum([s for _, s in kept], axis=0) // len(kept)
        best = int(np.argmax(average))
        repeated = last_label == labels[best] and last_label != "silence" and now - last_time <= suppression_ms
        if average[best] > threshold and not repeated:
            last_label, last_time = labels[best], now
            if labels[best] != "silence":
                found.append((labels[best], now))
    return found
