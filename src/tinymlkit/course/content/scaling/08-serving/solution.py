# %% exercise="budget"
def serving_budget(option):
    transfer_ms = option["bytes"] * 8 / option["kbps"]  # bits / (kilobits per second) = milliseconds
    latency = option["compute_ms"] + option["network_ms"] + transfer_ms
    energy = option["compute_mj"] + option["bytes"] * option["uj_per_byte"] / 1000
    return latency, energy


# %% exercise="choose"
def cheapest_option(options, max_latency_ms):
    fast_enough = {name: serving_budget(o) for name, o in options.items() if serving_budget(o)[0] <= max_latency_ms}
    if not fast_enough:
        return None
    return min(fast_enough, key=lambda name: fast_enough[name][1])
