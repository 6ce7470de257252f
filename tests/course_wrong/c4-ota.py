# %% exercise="delta" variant=1 expect="changed blocks for a longer new image"
def changed_blocks(old, new, block=4096):  # stops at the end of the old image: new blocks past it are never sent
    return [i for i in range(min(len(old), len(new)) // block)
            if new[i * block:(i + 1) * block] != old[i * block:(i + 1) * block]]


# %% exercise="delta" variant=2 expect="changed blocks for a shorter new image"
def changed_blocks(old, new, block=4096):  # compares a short last block with a full block of the old image
    old = bytes(old) + b"\xff" * max(0, len(new) - len(old))
    return [i for i in range(-(-len(new) // block)) if new[i * block:(i + 1) * block] != old[i * block:(i + 1) * block]]


# %% exercise="delta" variant=3 expect="changed blocks for an image that ends in erased bytes"
def changed_blocks(old, new, block=4096):  # pads the old image with zeros, but erased flash reads 0xFF
    old = bytes(old) + b"\x00" * max(0, len(new) - len(old))
    changed = []
    for i in range(-(-len(new) // block)):
        chunk = new[i * block:(i + 1) * block]
        if chunk != old[i * block:i * block + len(chunk)]:
            changed.append(i)
    return changed


# %% exercise="rollout" variant=1 expect="result for a bad update"
def rollout(waves, failures, max_rate):  # counts the devices before the failing wave only
    updated = 0
    for devices, failed in zip(waves, failures):
        if failed / devices > max_rate:
            return ("rolled back", updated)
        updated += devices
    return ("complete", updated)


# %% exercise="rollout" variant=2 expect="result for a wave exactly at the limit"
def rollout(waves, failures, max_rate):  # stops at the limit itself, not above it
    updated = 0
    for devices, failed in zip(waves, failures):
        updated += devices
        if failed / devices >= max_rate:
            return ("rolled back", updated)
    return ("complete", updated)
