"""``tinyml data audit``: find what is wrong with a data set folder, file by file, with a suggested fix.

    result = audit_folder("my_words")              # AuditResult: findings, counts per check
    quarantine(result)                              # move the bad files to <root>/_quarantine/ (never delete)
    restore("my_words")                             # and back, from _quarantine/manifest.json

Checks: unreadable files; exact duplicates (same bytes) and near duplicates (the same recording with another gain
or a little noise), flagged as *leakage* when the copies sit in different splits; silent and clipped examples;
wrong lengths; a group (speaker, subject) in more than one split; outliers within a class; and suspected label
errors: examples a cross-validated logistic regression on summary features confidently puts in another class
(quarantined only when it is very sure and itself reliable, otherwise reported for a person to check).
"""

import contextlib
import hashlib
import json
import os
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path, PurePosixPath

import numpy as np

from tinymlkit.datatools.kinds import DataKind, Entry, detect_kind, scan
from tinymlkit.errors import TinyMLError
from tinymlkit.fileio import write_json
from tinymlkit.progress import ProgressCallback, ProgressEvent, silent, track

QUARANTINE = "_quarantine"
MANIFEST = "manifest.json"
JOURNAL = "journal.jsonl"  # each move, appended before it is made (see quarantine)
NEAR_DUPLICATE = 0.9995  # cosine similarity of fingerprints
LENGTH_TOLERANCE = 0.1  # reported beyond +-10 % of the expected length
BAD_LENGTH = 0.5  # quarantined beyond half or twice the expected length
OUTLIER_Z = 5.0
LABEL_GIVEN_MAX = 0.2  # suspected label error: the given label's probability below this...
LABEL_OTHER_MIN = 0.6  # ...and another label's above this
SURE_GIVEN_MAX, SURE_OTHER_MIN = 0.05, 0.9  # quarantined: this sure, and the check itself reliable...
RELIABLE_ACCURACY = 0.9  # ...(cross-validated accuracy at least this)


@dataclass
class Finding:
    """One problem with one file. ``quarantine``: ``--fix`` moves the file away."""

    check: str  # unreadable, duplicate, near duplicate, leakage, silent, clipped, length, split, outlier, label
    path: str
    detail: str
    fix: str
    quarantine: bool
    related: list[str] = field(default_factory=list)


@dataclass
class AuditResult:
    """Every finding of one audit, counted per check."""

    root: str
    kind: str
    files: int
    findings: list[Finding]
    counts: dict[str, int]
    label_check: str  # how the label check ran (or why it did not)

    @property
    def to_quarantine(self) -> list[str]:
        return sorted({f.path for f in self.findings if f.quarantine})


@dataclass
class QuarantineResult:
    """Files moved by :func:`quarantine` (or back by :func:`restore`)."""

    root: str
    moved: list[str]
    folder: str


def audit_folder(
    root: str | Path, kind: str | None = None, label_check: bool = True, progress: ProgressCallback = silent
) -> AuditResult:
    """Audit the data set folder ``root`` (``kind`` None: detected from its files)."""
    root = Path(root)
    data_kind = detect_kind(root, kind)
    entries = scan(root, data_kind)
    findings: list[Finding] = []
    clips, hashes, ok = [], [], []
    for e in track(entries, "Reading files", progress):
        hashes.append(hashlib.sha256((root / e.path).read_bytes()).hexdigest())
        try:
            clips.append(data_kind.inspect(root / e.path))
            ok.append(e)
        except TinyMLError as exc:
            findings.append(Finding("unreadable", e.path, str(exc), "convert or re-record it", True))
    findings += _duplicates(entries, hashes)
    findings += _near_duplicates(ok, clips, {f.path for f in findings})
    findings += _problems(ok, clips, data_kind)
    findings += _lengths(ok, clips, data_kind)
    findings += _straddling(entries, data_kind)
    flagged = {f.path for f in findings}
    findings += [f for f in _outliers(ok, clips) if f.path not in flagged]
    note = "skipped"
    if label_check:
        found, note = _label_errors(ok, clips, progress)
        findings += found
    counts: dict[str, int] = {}
    for f in findings:
        counts[f.check] = counts.get(f.check, 0) + 1
    return AuditResult(str(root), data_kind.name, len(entries), findings, counts, note)


def _keep_first(group: list[int], entries: list[Entry]) -> tuple[int, list[int]]:
    """The copy to keep (a training one if any, else the first) and the others."""
    keep = next((i for i in group if entries[i].split == "train"), group[0])
    return keep, [i for i in group if i != keep]


def _copies(groups: list[list[int]], entries: list[Entry], what: str) -> list[Finding]:
    out = []
    for group in groups:
        keep, others = _keep_first(group, entries)
        k = entries[keep]
        for i in others:
            e = entries[i]
            labels = f", labelled '{e.label}' there but '{k.label}' here" if e.label != k.label else ""
            if e.split != k.split:
                out.append(
                    Finding(
                        "leakage",
                        e.path,
                        f"{what} of {k.path} ({k.split}) in the {e.split} split{labels}",
                        f"quarantine the {e.split} copy so the test figures are honest",
                        True,
                        [k.path],
                    )
                )
            else:
                out.append(
                    Finding(what, e.path, f"{what} of {k.path}{labels}", "quarantine the extra copy", True, [k.path])
                )
    return out


def _duplicates(entries: list[Entry], hashes: list[str]) -> list[Finding]:
    by_hash: dict[str, list[int]] = {}
    for i, h in enumerate(hashes):
        by_hash.setdefault(h, []).append(i)
    return _copies([g for g in by_hash.values() if len(g) > 1], entries, "duplicate")


def _near_duplicates(entries: list[Entry], clips, already: set[str]) -> list[Finding]:
    """Pairs of fingerprints with cosine similarity above :data:`NEAR_DUPLICATE`, joined into groups."""
    idx = [i for i, e in enumerate(entries) if e.path not in already and clips[i].fingerprint.size]
    if len(idx) < 2:
        return []
    prints = np.stack([clips[i].fingerprint for i in idx]).astype(np.float32)
    parent = list(range(len(idx)))

    def root_of(a: int) -> int:
        while parent[a] != a:
            parent[a] = parent[parent[a]]
            a = parent[a]
        return a

    block = 256  # rows of the similarity matrix at a time (the search is quadratic: fine to some 20,000 files)
    for start in range(0, len(idx), block):
        sim = prints[start : start + block] @ prints.T
        for a, b in zip(*np.nonzero(sim >= NEAR_DUPLICATE), strict=True):
            if start + a < b:
                parent[root_of(start + a)] = root_of(b)
    groups: dict[int, list[int]] = {}
    for k in range(len(idx)):
        groups.setdefault(root_of(k), []).append(idx[k])
    return _copies([g for g in groups.values() if len(g) > 1], entries, "near duplicate")


def _problems(entries: list[Entry], clips, kind: DataKind) -> list[Finding]:
    out = []
    for e, c in zip(entries, clips, strict=True):
        for check, detail, fix in c.problems:
            if check == "silent" and e.label in kind.quiet_labels:
                continue
            out.append(Finding(check, e.path, detail, fix, check in ("silent", "clipped")))
    return out


def _lengths(entries: list[Entry], clips, kind: DataKind) -> list[Finding]:
    if not clips or kind.duration is None:
        return []
    expected = kind.expected_duration_s or float(np.median([c.duration_s for c in clips]))
    tolerance = LENGTH_TOLERANCE if kind.expected_duration_s else 1 / BAD_LENGTH - 1  # free lengths: extremes only
    out = []
    for e, c in zip(entries, clips, strict=True):
        ratio = c.duration_s / expected if expected else 1.0
        if abs(ratio - 1) > tolerance:
            bad = ratio < BAD_LENGTH or ratio > 1 / BAD_LENGTH
            what = "expected" if kind.expected_duration_s else "the median"
            out.append(
                Finding(
                    "length",
                    e.path,
                    f"{c.duration_s:.2f} s long, {what} is {expected:.2f} s",
                    "re-record or trim it" if bad else "fine to keep: it is padded or trimmed when loading",
                    bad,
                )
            )
    return out


def _straddling(entries: list[Entry], kind: DataKind) -> list[Finding]:
    splits: dict[str, set[str]] = {}
    first: dict[str, str] = {}
    for e in entries:
        splits.setdefault(e.group, set()).add(e.split)
        first.setdefault(e.group, e.path)
    return [
        Finding(
            "split",
            first[g],
            f"{kind.group_word} '{g}' is in {', '.join(sorted(s))}",
            "run 'tinyml data split' so each is in one split",
            False,
        )
        for g, s in sorted(splits.items())
        if len(s) > 1
    ]


def _standardized(clips) -> np.ndarray:
    x = np.stack([c.features for c in clips]).astype(np.float64)
    return (x - x.mean(axis=0)) / (x.std(axis=0) + 1e-9)


def _outliers(entries: list[Entry], clips) -> list[Finding]:
    """Examples far from their class (robust z-score of the distance to the class median above 4)."""
    if len(clips) < 8:
        return []
    x = _standardized(clips)
    labels = np.array([e.label for e in entries])
    out = []
    for label in sorted(set(labels.tolist())):
        members = np.flatnonzero(labels == label)
        if len(members) < 8:
            continue
        d = np.linalg.norm(x[members] - np.median(x[members], axis=0), axis=1)
        mad = 1.4826 * np.median(np.abs(d - np.median(d))) + 1e-9
        for i, z in zip(members, (d - np.median(d)) / mad, strict=True):
            if z > OUTLIER_Z:
                out.append(
                    Finding(
                        "outlier",
                        entries[i].path,
                        f"unlike the rest of '{label}' (robust z {z:.1f})",
                        "listen to or plot it: wrong word, noise or a bad take?",
                        False,
                    )
                )
    return out


def _label_errors(entries: list[Entry], clips, progress: ProgressCallback) -> tuple[list[Finding], str]:
    """Cross-validated logistic regression on summary features; flag confident disagreements."""
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import StratifiedKFold, cross_val_predict

    labels = np.array([e.label for e in entries])
    names, counts = np.unique(labels, return_counts=True)
    folds = int(min(5, counts.min())) if len(names) >= 2 else 0
    if folds < 2:
        return [], "skipped: needs two or more labels with at least two files each"
    x = _standardized(clips)
    model = LogisticRegression(C=0.5, max_iter=2000)
    task = "Checking labels (cross-validated logistic regression)"
    progress(ProgressEvent(task, 0, 1))
    proba = cross_val_predict(
        model, x, labels, cv=StratifiedKFold(folds, shuffle=True, random_state=0), method="predict_proba"
    )
    progress(ProgressEvent(task, 1, 1))
    out = []
    accuracy = float(np.mean(names[np.argmax(proba, axis=1)] == labels))
    for i, e in enumerate(entries):
        given = proba[i, int(np.searchsorted(names, e.label))]
        top = int(np.argmax(proba[i]))
        if given < LABEL_GIVEN_MAX and proba[i, top] > LABEL_OTHER_MIN and names[top] != e.label:
            sure = given < SURE_GIVEN_MAX and proba[i, top] > SURE_OTHER_MIN and accuracy >= RELIABLE_ACCURACY
            out.append(
                Finding(
                    "label",
                    e.path,
                    f"labelled '{e.label}' but looks like '{names[top]}' (p {proba[i, top]:.2f} vs {given:.2f})",
                    f"check it: move it to {names[top]}/ if that is what it is, else quarantine it",
                    sure,
                )
            )
    return out, f"{folds}-fold logistic regression on summary features, {accuracy:.2f} cross-validated accuracy"


def save_audit(result: AuditResult, path: str | Path) -> Path:
    """Write the audit as JSON."""
    return write_json(path, result)


def quarantine(result: AuditResult) -> QuarantineResult:
    """Move every file a finding marks ``quarantine`` to ``<root>/_quarantine/<same path>``, recording each move
    in ``_quarantine/manifest.json`` (with its reasons) so :func:`restore` can put it back. Nothing is deleted.

    Each move is first appended to ``_quarantine/journal.jsonl`` and only then made, so a kill at any moment
    leaves a record of every moved file (an entry whose move never happened is recognised by its file still
    being in place); the manifest is written once at the end and the journal removed.
    """
    root = Path(result.root)
    folder = root / QUARANTINE
    manifest = _read_manifest(root)
    reasons: dict[str, list[str]] = {}
    for f in result.findings:
        if f.quarantine:
            reasons.setdefault(f.path, []).append(f"{f.check}: {f.detail}")
    todo = [rel for rel in sorted(reasons) if _confined(root, rel) and (root / rel).is_file()]
    clash = [rel for rel in todo if os.path.lexists(folder / rel)]
    if clash:
        raise TinyMLError(f"{folder / clash[0]} already exists: restore it first ('tinyml data restore {root}')")
    moved = []
    when = datetime.now(UTC).isoformat(timespec="seconds")
    if todo:
        folder.mkdir(exist_ok=True)
        with open(folder / JOURNAL, "a", encoding="utf-8") as journal:
            for rel in todo:
                entry = {"path": rel, "quarantined": f"{QUARANTINE}/{rel}", "reasons": reasons[rel], "when": when}
                journal.write(json.dumps(entry, ensure_ascii=False) + "\n")
                journal.flush()  # in the page cache before the move: a killed process loses no record
                (folder / rel).parent.mkdir(parents=True, exist_ok=True)
                os.replace(root / rel, folder / rel)
                manifest.append(entry)
                moved.append(rel)
    _save_manifest(root, manifest)
    return QuarantineResult(str(root), moved, str(folder))


def restore(root: str | Path) -> QuarantineResult:
    """Move every quarantined file of ``root`` back to where it was, and empty the manifest.

    Everything is checked before the first move (paths inside the data set, nothing in the way); a restore that
    was killed half-way is finished by running it again."""
    root = Path(root)
    folder = root / QUARANTINE
    manifest = _read_manifest(root)
    if not manifest:
        raise TinyMLError(f"nothing to restore: {folder / MANIFEST} lists no files")
    todo = []
    for m in manifest:
        source, target = root / m["quarantined"], root / m["path"]
        if os.path.lexists(source) and os.path.lexists(target):
            raise TinyMLError(f"{target} exists again; move it away, then restore")
        if os.path.lexists(source):
            todo.append(m)
        elif not os.path.lexists(target):
            raise TinyMLError(
                f"{source} is missing (listed in {folder / MANIFEST}); put it back or remove its "
                "entry from the manifest"
            )
    for m in todo:
        (root / m["path"]).parent.mkdir(parents=True, exist_ok=True)
        os.replace(root / m["quarantined"], root / m["path"])
    _save_manifest(root, [])
    return QuarantineResult(str(root), [m["path"] for m in manifest], str(folder))


def check_quarantine(root: str | Path) -> None:
    """Refuse a data set whose quarantine manifest is damaged or lists paths outside it (moves nothing)."""
    _read_manifest(Path(root))


def _confined(root: Path, rel: str, under: str = "") -> bool:
    """Whether ``rel`` names a place inside ``root/under`` (no absolute path, no '..', no link out of it)."""
    pure = PurePosixPath(rel)
    if not pure.parts or pure.is_absolute() or "\\" in rel or any(p in ("..", ".") for p in rel.split("/")):
        return False
    if not under and pure.parts[0] == QUARANTINE:
        return False
    base = (root / under).resolve()
    return (root / under / rel).parent.resolve().is_relative_to(base)


def _save_manifest(root: Path, manifest: list[dict]) -> None:
    folder = root / QUARANTINE
    kept = [m for m in manifest if os.path.lexists(root / m["quarantined"])]  # a journalled move never made: gone
    if kept or (folder / MANIFEST).exists():
        write_json(folder / MANIFEST, kept)
    with contextlib.suppress(FileNotFoundError):
        (folder / JOURNAL).unlink()


def _read_manifest(root: Path) -> list[dict]:
    """The manifest's entries plus those of a journal left by a killed ``quarantine``, each checked to stay
    inside the data set."""
    folder = root / QUARANTINE
    path = folder / MANIFEST
    data: list = []
    if path.is_file():
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (ValueError, UnicodeDecodeError):
            raise TinyMLError(f"{path} is damaged; fix it by hand (a JSON list of moved files)") from None
        if not isinstance(data, list):
            raise TinyMLError(f"{path} is not a list of moved files; fix it by hand")
    if (folder / JOURNAL).is_file():
        seen = {m.get("quarantined") for m in data if isinstance(m, dict)}
        for line in (folder / JOURNAL).read_text(encoding="utf-8", errors="replace").splitlines():
            try:
                entry = json.loads(line)
            except ValueError:
                continue  # the last line of a killed run may be cut short: its move was never made
            if isinstance(entry, dict) and entry.get("quarantined") not in seen:
                data.append(entry)
    for m in data:
        if not (isinstance(m, dict) and isinstance(m.get("path"), str) and isinstance(m.get("quarantined"), str)):
            raise TinyMLError(f"{path} has an entry that is not {{'path': ..., 'quarantined': ...}}; fix it by hand")
        rel, q = m["path"], m["quarantined"]
        if not (_confined(root, rel) and q == f"{QUARANTINE}/{rel}" and _confined(root, rel, QUARANTINE)):
            raise TinyMLError(
                f"{path} lists '{rel}' -> '{q}', outside the data set or not its own quarantine "
                "place; nothing was moved: fix the manifest by hand"
            )
    return data
