# %% exercise="layer-latency" variant=1 expect="ms for"
def layer_latency_ms(kind, work, costs, scale, clock_mhz):  # forgets the per-call overhead
    return scale * costs.get(kind, 0) * work / (clock_mhz * 1000)


# %% exercise="layer-latency" variant=2 expect="ms for"
def layer_latency_ms(kind, work, costs, scale, clock_mhz):  # seconds, not milliseconds
    return (scale * costs.get(kind, 0) * work + costs["op_overhead"]) / (clock_mhz * 1e6)


# %% exercise="layer-latency" variant=3 expect="ms for"
def layer_latency_ms(kind, work, costs, scale, clock_mhz):  # scales the overhead too
    return scale * (costs.get(kind, 0) * work + costs["op_overhead"]) / (clock_mhz * 1000)


# %% exercise="mlperf" variant=1 expect="latency from five runs"
def mlperf_latency_ms(run_seconds, inferences):  # the mean throughput: one slow run pulls it down
    return 1000 / float(np.mean(np.asarray(inferences) / np.asarray(run_seconds)))


# %% exercise="mlperf" variant=2 expect="latency from five runs"
def mlperf_latency_ms(run_seconds, inferences):  # all runs pooled: total time over total inferences
    return 1000 * float(np.sum(run_seconds)) / float(np.sum(inferences))


# %% exercise="battery" variant=1 expect="days for a mostly asleep device"
def battery_days(capacity_mah, volts, active_mw, sleep_mw, latency_ms, per_hour):  # never sleeps
    return capacity_mah * volts / active_mw / 24


# %% exercise="battery" variant=2 expect="days for a busy device"
def battery_days(capacity_mah, volts, active_mw, sleep_mw, latency_ms, per_hour):  # adds sleep power on top
    active = per_hour * latency_ms / 3_600_000
    return capacity_mah * volts / (active_mw * active + sleep_mw) / 24


# %% exercise="battery" variant=3 expect="days for a busy device"
def battery_days(capacity_mah, volts, active_mw, sleep_mw, latency_ms, per_hour):  # hours, not days
    active = per_hour * latency_ms / 3_600_000
    return capacity_mah * volts / (active_mw * active + sleep_mw * (1 - active))


# %% exercise="fit" variant=1 expect="verdict for"
def fit_verdict(model_bytes, arena_bytes, board):  # forgets the firmware's own flash and RAM
    share = max(model_bytes / board.flash_bytes, arena_bytes / board.ram_bytes)
    return "does not fit" if share > 1 else "tight" if share > 0.9 else "fits"


# %% exercise="fit" variant=2 expect="verdict for"
def fit_verdict(model_bytes, arena_bytes, board):  # checks flash only
    share = (model_bytes + board.reserved_flash_bytes) / board.flash_bytes
    return "does not fit" if share > 1 else "tight" if share > 0.9 else "fits"


# %% exercise="fit" variant=3 expect="verdict for"
def fit_verdict(model_bytes, arena_bytes, board):  # no "tight": fits or not
    fits = model_bytes + board.reserved_flash_bytes <= board.flash_bytes and \
        arena_bytes + board.reserved_ram_bytes <= board.ram_bytes
    return "fits" if fits else "does not fit"
