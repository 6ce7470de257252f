"""Checks of the lab c4-versions: fingerprints of random folders made at check time, registry entries."""

import hashlib
import tempfile
from pathlib import Path

from tinymlkit.course.checks import Checker


def _reference(root: Path) -> str:
    files = sorted((p.relative_to(root).as_posix(), p) for p in root.rglob("*") if p.is_file())
    listing = "".join(f"{hashlib.sha256(p.read_bytes()).hexdigest()}  {name}\n" for name, p in files)
    return hashlib.sha256(listing.encode("utf-8")).hexdigest()


def _tree(rng, root: Path) -> None:
    """Files at the top and two levels down; names whose sorted order differs from creation order and from a
    sort on Path objects ("a-b" sorts before "a/b" as a string); two files with the same contents."""
    names = ["b.npy", "A.txt", "a-b.wav", "a/b.wav", "a/c/d.bin", "z/y.csv", "a/Z.wav"]
    names += [f"{rng.choice(['yes', 'no', 'a'])}/clip{int(rng.integers(1000)):03d}.wav" for _ in range(4)]
    same = rng.bytes(32)
    for i, name in enumerate(rng.permutation(names)):
        path = root / str(name)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(same if i < 2 else rng.bytes(int(rng.integers(0, 300))))


def check_folder_hash(t: Checker) -> None:
    fn = t.function("folder_hash")
    hint = ("lines = sha256(file bytes).hexdigest() + '  ' + path relative to root with '/' + '\\n', sorted by that "
            "path as a string, over root.rglob('*') files; return sha256 of ''.join(lines).encode('utf-8')")
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "data"
        root.mkdir()
        _tree(t.rng, root)
        ok, got = t.call("runs on a random folder", fn, root, hint=hint)
        if not ok or not t.equal("the fingerprint of a random folder with subfolders", got, _reference(root), hint):
            return
        moved = sorted(p for p in root.rglob("*.wav") if p.is_file())[0]
        (root / "moved").mkdir()
        moved.rename(root / "moved" / moved.name)
        ok, got = t.call("runs after a file moved", fn, root, hint=hint)
        if ok:
            t.equal("the fingerprint after one file moved to another folder", got, _reference(root), hint)


def check_registry_entry(t: Checker) -> None:
    fn = t.function("registry_entry")
    hint = ("{'model_sha256': sha256(model_bytes).hexdigest(), 'data_sha256': data_hash, 'metrics': dict(metrics), "
            "'parent': parent['model_sha256'] if parent else None}")
    data_hash = hashlib.sha256(t.rng.bytes(16)).hexdigest()
    first_bytes, second_bytes = t.rng.bytes(int(t.rng.integers(100, 5000))), t.rng.bytes(int(t.rng.integers(100, 5000)))
    metrics = {"accuracy": round(float(t.rng.uniform(0.7, 0.99)), 3), "flash_bytes": len(first_bytes)}
    ok, first = t.call("runs for a first model", fn, first_bytes, data_hash, metrics, hint=hint)
    if not ok:
        return
    expected = {"model_sha256": hashlib.sha256(first_bytes).hexdigest(), "data_sha256": data_hash,
                "metrics": dict(metrics), "parent": None}
    if not t.true("the entry of a first model", first == expected, repr(expected), repr(first), hint):
        return
    metrics["accuracy"] = 0.0  # the caller reuses its dict for the next model
    t.true("the entry keeps its own copy of the metrics", first["metrics"] == expected["metrics"],
           f"metrics {expected['metrics']} after the caller changed its dict", f"{first['metrics']}", hint)
    second_metrics = {"accuracy": 0.5, "flash_bytes": len(second_bytes)}
    ok, second = t.call("runs for a derived model", fn, second_bytes, data_hash, second_metrics, first, hint=hint)
    if ok:
        expected = {"model_sha256": hashlib.sha256(second_bytes).hexdigest(), "data_sha256": data_hash,
                    "metrics": second_metrics, "parent": first["model_sha256"]}
        t.true("the entry of a model derived from the first", second == expected, repr(expected), repr(second), hint)


CHECKS = {"folder-hash": check_folder_hash, "registry-entry": check_registry_entry}
