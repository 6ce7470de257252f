# %% exercise="delta"
def changed_blocks(old, new, block=4096):
    old = bytes(old) + b"\xff" * max(0, len(new) - len(old))  # erased flash past the old image's end
    changed = []
    for i in range(-(-len(new) // block)):
        chunk = new[i * block:(i + 1) * block]
        if chunk != old[i * block:i * block + len(chunk)]:
            changed.append(i)
    return changed


# %% exercise="rollout"
def rollout(waves, failures, max_rate):
    updated = 0
    for devices, failed in zip(waves, failures):
        updated += devices
        if failed / devices > max_rate:
            return ("rolled back", updated)
    return ("complete", updated)
