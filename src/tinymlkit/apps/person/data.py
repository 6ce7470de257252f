"""Person-detection data sets on disk: image folders and Visual Wake Words annotations.

Every image goes through the board's camera path (:mod:`tinymlkit.apps.person.camera`): the loaders return 96x96
uint8 images in ``Dataset.x``, labels ``no_person`` (0) and ``person`` (1), the model's output order.

Layouts read by :func:`load_person_data`:

- an image folder: ``person/`` and ``no_person/`` (``non_person/`` as in the MLPerf Tiny Visual Wake Words set is
  the same class), with optional ``validation_list.txt`` and ``testing_list.txt`` naming files relative to the
  folder (one per line, as in Speech Commands); without lists, a file's split is a stable hash of its name (of
  the part before ``_nohash_`` when there is one, so a group of shots stays together);
- split subfolders ``train/``, ``validation/`` (or ``val/``) and ``test/``, each holding the two class folders;
- Visual Wake Words annotations: a COCO-derived ``.json`` (``images`` with ``file_name``, ``annotations`` with a
  0/1 ``label`` per image, as the TensorFlow models repository's ``build_visualwakewords_data`` and the
  ``create_visualwakewords_annotations`` script write them), or a folder of them. Images are looked up beside the
  file, or in ``--images``, and in the COCO subfolder their name gives (``train2014/``...). A file whose name
  contains ``train`` gives the train and validation splits, other files (``val``, ``minival``) the test split; a
  single file is split by a hash of the image id.
"""

import json
from pathlib import Path

import numpy as np

from tinymlkit.apps.person.camera import SIZE, SUFFIXES, read_image
from tinymlkit.data.dataset import Dataset
from tinymlkit.data.split import speaker_of, split_of
from tinymlkit.errors import TinyMLError
from tinymlkit.fileio import read_user_text
from tinymlkit.progress import ProgressCallback, silent, track

LABELS = ["no_person", "person"]  # output index 0 = no person, 1 = person, as in the TFLM example
CLASS_FOLDERS = {"person": 1, "no_person": 0, "non_person": 0}
SPLIT_FOLDERS = {"train": "train", "validation": "validation", "val": "validation", "test": "test"}
LISTS = {"validation": "validation_list.txt", "test": "testing_list.txt"}


def load_person_data(
    path: str | Path, images: str | Path | None = None, progress: ProgressCallback = silent
) -> Dataset:
    """Load an image folder, a folder with split subfolders, or Visual Wake Words annotations (see the module)."""
    path = Path(path)
    if path.is_file():
        if path.suffix.lower() != ".json":
            raise TinyMLError(f"{path} is not a folder or a Visual Wake Words .json annotations file")
        return load_vww_annotations([path], images, progress)
    if not path.is_dir():
        raise TinyMLError(f"data folder {path} not found")
    splits = {SPLIT_FOLDERS[p.name]: p for p in sorted(path.iterdir()) if p.is_dir() and p.name in SPLIT_FOLDERS}
    if splits:
        return _load_split_folders(path, splits, progress)
    if any(p.is_dir() and p.name in CLASS_FOLDERS for p in path.iterdir()):
        return load_image_folder(path, progress)
    annotations = sorted(path.glob("*.json"))
    if annotations:
        return load_vww_annotations(annotations, images, progress)
    raise TinyMLError(
        f"no person/ and no_person/ folders, train/validation/test folders or Visual Wake Words .json files in {path}"
    )


def _class_files(folder: Path) -> list[tuple[Path, int]]:
    """(file, label) of every image under the class folders of ``folder``; checks both classes are there."""
    found: dict[int, list[Path]] = {0: [], 1: []}
    classes = [p for p in sorted(folder.iterdir()) if p.is_dir() and p.name in CLASS_FOLDERS]
    for label, name in ((1, "person"), (0, "no_person")):
        if not any(CLASS_FOLDERS[c.name] == label for c in classes):
            other = " (or non_person/)" if label == 0 else ""
            raise TinyMLError(
                f"no {name}/ folder{other} in {folder}; a person data set needs person/ and "
                "no_person/ folders of images"
            )
    for cls in classes:
        files = [f for f in sorted(cls.rglob("*")) if f.is_file() and not f.name.startswith(".")]
        for f in files:
            if f.suffix.lower() not in SUFFIXES:
                raise TinyMLError(
                    f"{f} is not a supported image ({f.suffix or 'no extension'}); use PNG, JPEG or "
                    "BMP files (.png, .jpg, .jpeg, .bmp) or move it out of the class folder"
                )
        if not files:
            raise TinyMLError(f"class folder {cls} has no images; add .png, .jpg or .bmp files or remove it")
        found[CLASS_FOLDERS[cls.name]] += files
    return [(f, label) for label in (1, 0) for f in found[label]]


def _read_list(root: Path, name: str) -> set[str]:
    listed = root / name
    if not listed.is_file():
        return set()
    entries = set()
    for n, line in enumerate(listed.read_text(errors="replace").splitlines(), start=1):
        entry = line.strip()
        if not entry:
            continue
        if not (root / entry).is_file():
            raise TinyMLError(f"{listed} line {n}: {entry} not found in {root}; list files relative to the folder")
        entries.add(Path(entry).as_posix())
    return entries


def load_image_folder(root: str | Path, progress: ProgressCallback = silent) -> Dataset:
    """``root/person/*`` and ``root/no_person/*`` images, split by the list files or by a hash of the name."""
    root = Path(root)
    if not root.is_dir():
        raise TinyMLError(f"data folder {root} not found")
    files = _class_files(root)
    lists = {split: _read_list(root, name) for split, name in LISTS.items()}
    splits, groups = [], []
    for f, _ in files:
        rel = f.relative_to(root).as_posix()
        group = speaker_of(f.name)
        groups.append(group)
        if lists["validation"] or lists["test"]:
            splits.append(next((s for s, entries in lists.items() if rel in entries), "train"))
        else:
            splits.append(split_of(group))
    return _dataset(files, splits, groups, progress)


def _load_split_folders(root: Path, folders: dict[str, Path], progress: ProgressCallback) -> Dataset:
    if "train" not in folders:
        raise TinyMLError(f"{root} has {', '.join(p.name for p in folders.values())}/ but no train/ folder")
    files, splits, groups = [], [], []
    for split, folder in folders.items():
        part = _class_files(folder)
        files += part
        splits += [split] * len(part)
        groups += [speaker_of(f.name) for f, _ in part]
    if "validation" not in folders:  # carve validation out of train by group
        splits = [
            ("validation" if split_of(g, 10.0, 0.0) == "validation" else s) if s == "train" else s
            for s, g in zip(splits, groups, strict=True)
        ]
    return _dataset(files, splits, groups, progress)


def _dataset(
    files: list[tuple[Path, int]], splits: list[str], groups: list[str], progress: ProgressCallback
) -> Dataset:
    x = np.zeros((len(files), SIZE, SIZE), dtype=np.uint8)
    for i, (f, _) in enumerate(track(files, "Reading images", progress)):
        x[i] = read_image(f)
    return Dataset(
        x=x,
        y=np.array([label for _, label in files], dtype=np.int64),
        labels=list(LABELS),
        split=np.array(splits),
        group=np.array(groups),
        meta={"path": np.array([str(f) for f, _ in files])},
    )


def _vww_labels(path: Path) -> tuple[list[dict], dict[str, int]]:
    """The images of a VWW annotations file and the label of each image id."""
    try:
        doc = json.loads(read_user_text(path))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise TinyMLError(f"{path} is not valid JSON ({exc}); pass a Visual Wake Words annotations file") from None
    if not isinstance(doc, dict) or not isinstance(doc.get("images"), list) or "annotations" not in doc:
        raise TinyMLError(
            f"{path} is not a Visual Wake Words annotations file: expected 'images' and "
            "'annotations' (written by build_visualwakewords_data or create_visualwakewords_annotations)"
        )
    annotations = doc["annotations"]
    entries = annotations.values() if isinstance(annotations, dict) else annotations
    labels: dict[str, int] = {}
    for entry in entries:
        first = entry[0] if isinstance(entry, list) and entry else entry
        if not isinstance(first, dict) or "image_id" not in first or first.get("label") not in (0, 1):
            raise TinyMLError(
                f"{path}: an annotation without image_id and a 0/1 label ({str(entry)[:60]}); "
                "pass a Visual Wake Words annotations file, not COCO instances"
            )
        labels[str(first["image_id"])] = int(first["label"])
    return doc["images"], labels


def _find_image(name: str, folders: list[Path]) -> Path | None:
    coco_split = name.split("_")[1] if name.startswith("COCO_") and name.count("_") >= 2 else None
    for folder in folders:
        for candidate in (folder / name, folder / coco_split / name if coco_split else None):
            if candidate is not None and candidate.is_file():
                return candidate
    return None


def load_vww_annotations(
    paths: list[Path], images: str | Path | None = None, progress: ProgressCallback = silent
) -> Dataset:
    """Images labelled by Visual Wake Words annotation files (see the module for the splits)."""
    files, splits, groups = [], [], []
    for path in paths:
        if not path.is_file():
            raise TinyMLError(f"annotations file {path} not found")
        entries, labels = _vww_labels(path)
        folders = [Path(images)] if images else [path.parent, path.parent.parent]
        role = "train" if "train" in path.name else "test"
        for image in entries:
            if not isinstance(image, dict) or "file_name" not in image or "id" not in image:
                raise TinyMLError(f"{path}: an image entry without id and file_name ({str(image)[:60]})")
            image_id = str(image["id"])
            if image_id not in labels:
                raise TinyMLError(f"{path}: image {image_id} ({image['file_name']}) has no annotation")
            found = _find_image(str(image["file_name"]), folders)
            if found is None:
                raise TinyMLError(
                    f"image {image['file_name']} of {path.name} not found in "
                    f"{', '.join(map(str, folders))}; pass the COCO image folder with --images"
                )
            files.append((found, labels[image_id]))
            groups.append(image_id)
            if len(paths) == 1:
                splits.append(split_of(image_id))
            else:
                splits.append(split_of(image_id, 10.0, 0.0) if role == "train" else "test")
    if not files:
        raise TinyMLError(f"no images listed in {', '.join(map(str, paths))}")
    return _dataset(files, splits, groups, progress)
