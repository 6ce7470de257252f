# %% exercise="segments" variant=1 expect="segments of"
def npu_segments(ops, supported):  # one pair per operator: consecutive operators are not merged
    return [("npu" if op in supported else "cpu", 1) for op in ops]


# %% exercise="segments" variant=2 expect="segments of"
def npu_segments(ops, supported):  # merges by operator name instead of by processor
    segments = []
    previous = None
    for op in ops:
        processor = "npu" if op in supported else "cpu"
        if op == previous:
            segments[-1] = (processor, segments[-1][1] + 1)
        else:
            segments.append((processor, 1))
        previous = op
    return segments


# %% exercise="fallbacks" variant=1 expect="handovers of"
def fallback_summary(ops, supported):  # counts CPU segments as the handovers
    cpu = [op for op in ops if op not in supported]
    segments, previous = 0, None
    for op in ops:
        on_npu = op in supported
        if not on_npu and previous is not False:
            segments += 1
        previous = on_npu
    return len(cpu), segments, sorted(set(cpu))


# %% exercise="fallbacks" variant=2 expect="fallback calls of"
def fallback_summary(ops, supported):  # counts distinct unsupported names, not calls
    names = sorted({op for op in ops if op not in supported})
    switches = sum((a in supported) != (b in supported) for a, b in zip(ops, ops[1:]))
    return len(names), switches, names
