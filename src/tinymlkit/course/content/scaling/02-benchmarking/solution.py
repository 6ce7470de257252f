# %% exercise="layer-latency"
def layer_latency_ms(kind, work, costs, scale, clock_mhz):
    cycles = scale * costs.get(kind, 0) * work + costs["op_overhead"]
    return cycles / (clock_mhz * 1000)


# %% exercise="mlperf"
def mlperf_latency_ms(run_seconds, inferences):
    throughput = np.asarray(inferences, dtype=np.float64) / np.asarray(run_seconds, dtype=np.float64)
    return 1000 / float(np.median(throughput))


# %% exercise="battery"
def battery_days(capacity_mah, volts, active_mw, sleep_mw, latency_ms, per_hour):
    active_hours = per_hour * latency_ms / 3_600_000  # share of each hour spent inferring
    average_mw = active_mw * active_hours + sleep_mw * (1 - active_hours)
    return capacity_mah * volts / average_mw / 24


# %% exercise="fit"
def fit_verdict(model_bytes, arena_bytes, board):
    flash = (model_bytes + board.reserved_flash_bytes) / board.flash_bytes
    ram = (arena_bytes + board.reserved_ram_bytes) / board.ram_bytes
    if max(flash, ram) > 1:
        return "does not fit"
    return "tight" if max(flash, ram) > 0.9 else "fits"
