# %% exercise="folder-hash" variant=1 expect="the fingerprint of a random folder"
def folder_hash(root):  # contents only: a moved or renamed file keeps the same fingerprint
    digest = hashlib.sha256()
    for p in sorted(root.rglob("*"), key=lambda p: p.relative_to(root).as_posix()):
        if p.is_file():
            digest.update(p.read_bytes())
    return digest.hexdigest()


# %% exercise="folder-hash" variant=2 expect="the fingerprint of a random folder"
def folder_hash(root):  # sorts Path objects, not the "/" strings: "a/b" comes before "a-b"
    files = sorted(p for p in root.rglob("*") if p.is_file())
    listing = "".join(f"{hashlib.sha256(p.read_bytes()).hexdigest()}  {p.relative_to(root).as_posix()}\n"
                      for p in files)
    return hashlib.sha256(listing.encode("utf-8")).hexdigest()


# %% exercise="folder-hash" variant=3 expect="the fingerprint of a random folder"
def folder_hash(root):  # only the files at the top of the folder
    files = sorted(p.name for p in root.iterdir() if p.is_file())
    listing = "".join(f"{hashlib.sha256((root / n).read_bytes()).hexdigest()}  {n}\n" for n in files)
    return hashlib.sha256(listing.encode("utf-8")).hexdigest()


# %% exercise="registry-entry" variant=1 expect="the entry keeps its own copy of the metrics"
def registry_entry(model_bytes, data_hash, metrics, parent=None):  # keeps the caller's dict
    return {"model_sha256": hashlib.sha256(model_bytes).hexdigest(), "data_sha256": data_hash, "metrics": metrics,
            "parent": None if parent is None else parent["model_sha256"]}


# %% exercise="registry-entry" variant=2 expect="the entry of a model derived from the first"
def registry_entry(model_bytes, data_hash, metrics, parent=None):  # stores the whole parent entry
    return {"model_sha256": hashlib.sha256(model_bytes).hexdigest(), "data_sha256": data_hash,
            "metrics": dict(metrics), "parent": parent}


# %% exercise="registry-entry" variant=3 expect="the entry of a first model"
def registry_entry(model_bytes, data_hash, metrics, parent=None):  # hashes the text of the bytes, not the bytes
    return {"model_sha256": hashlib.sha256(str(model_bytes).encode()).hexdigest(), "data_sha256": data_hash,
            "metrics": dict(metrics), "parent": None if parent is None else parent["model_sha256"]}
