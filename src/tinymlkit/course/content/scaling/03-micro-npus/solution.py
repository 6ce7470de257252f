# %% exercise="segments"
def npu_segments(ops, supported):
    segments = []
    for op in ops:
        processor = "npu" if op in supported else "cpu"
        if segments and segments[-1][0] == processor:
            segments[-1] = (processor, segments[-1][1] + 1)
        else:
            segments.append((processor, 1))
    return segments


# %% exercise="fallbacks"
def fallback_summary(ops, supported):
    segments = npu_segments(ops, supported)
    fallbacks = sum(count for processor, count in segments if processor == "cpu")
    return fallbacks, max(len(segments) - 1, 0), sorted({op for op in ops if op not in supported})
