# %% exercise="folder-hash"
def folder_hash(root):
    files = sorted((p.relative_to(root).as_posix(), p) for p in root.rglob("*") if p.is_file())
    listing = "".join(f"{hashlib.sha256(p.read_bytes()).hexdigest()}  {name}\n" for name, p in files)
    return hashlib.sha256(listing.encode("utf-8")).hexdigest()


# %% exercise="registry-entry"
def registry_entry(model_bytes, data_hash, metrics, parent=None):
    return {
        "model_sha256": hashlib.sha256(model_bytes).hexdigest(),
        "data_sha256": data_hash,
        "metrics": dict(metrics),
        "parent": None if parent is None else parent["model_sha256"],
    }
