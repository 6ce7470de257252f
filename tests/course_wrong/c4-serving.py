# %% exercise="budget" variant=1 expect="latency of"
def serving_budget(option):  # bytes divided by the rate: forgets the 8 bits in a byte
    latency = option["compute_ms"] + option["network_ms"] + option["bytes"] / option["kbps"]
    return latency, option["compute_mj"] + option["bytes"] * option["uj_per_byte"] / 1000


# %% exercise="budget" variant=2 expect="energy of"
def serving_budget(option):  # microjoules added to millijoules
    latency = option["compute_ms"] + option["network_ms"] + option["bytes"] * 8 / option["kbps"]
    return latency, option["compute_mj"] + option["bytes"] * option["uj_per_byte"]


# %% exercise="budget" variant=3 expect="latency of"
def serving_budget(option):  # forgets the network delay
    latency = option["compute_ms"] + option["bytes"] * 8 / option["kbps"]
    return latency, option["compute_mj"] + option["bytes"] * option["uj_per_byte"] / 1000


# %% exercise="choose" variant=1 expect="the cheapest option within"
def cheapest_option(options, max_latency_ms):  # ignores the bound
    return min(options, key=lambda name: serving_budget(options[name])[1])


# %% exercise="choose" variant=2 expect="the cheapest option within"
def cheapest_option(options, max_latency_ms):  # the fastest, not the cheapest
    fast = [name for name in options if serving_budget(options[name])[0] <= max_latency_ms]
    return min(fast, key=lambda name: serving_budget(options[name])[0]) if fast else None


# %% exercise="choose" variant=3 expect="the answer when no option meets"
def cheapest_option(options, max_latency_ms):  # an empty string instead of None
    fast = [name for name in options if serving_budget(options[name])[0] <= max_latency_ms]
    return min(fast, key=lambda name: serving_budget(options[name])[1]) if fast else ""
