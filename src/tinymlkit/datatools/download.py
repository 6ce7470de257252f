"""Public data sets fetched when there is a network: ``tinyml data get NAME --to DIR``.

The archive is downloaded beside ``DIR`` under a hidden ``.part`` name and resumed from where it stopped when
the command runs again (HTTP ``Range``); it is checked against its published size and digest (SHA-256, or MD5
where that is all the host publishes) and only then unpacked, with the owned-output rules of
:mod:`tinymlkit.fileio`: into a temporary folder renamed to ``DIR`` when complete, so ``DIR`` either holds the
whole data set or is as it was. Archive members that would land outside ``DIR`` (``../``, absolute paths, links
out of the folder, devices) are refused by tarfile's ``data`` filter.

    get("speech-commands", Path("speech_commands_v0.02"))
    get("vww", Path("vww")).data_root          # vww/vw_coco2014_96: person/, non_person/
"""

import hashlib
import http.client
import os
import socket
import tarfile
import urllib.error
import urllib.request
import zipfile
from dataclasses import dataclass, replace
from pathlib import Path, PurePosixPath
from urllib.parse import urlsplit

from tinymlkit.errors import TinyMLError
from tinymlkit.fileio import building_dir, check_output_dir
from tinymlkit.progress import ProgressCallback, ProgressEvent, silent

URL_ENV = "TINYML_DATA_URL"  # overrides the address of the data set asked for (a mirror, or a test server)
CHUNK = 1 << 16
DIGEST_NAMES = {"sha256": "SHA-256", "md5": "MD5"}  # hashlib's name -> the published one
TIMEOUT_S = 30.0


@dataclass(frozen=True)
class DataSource:
    """A public archive: where it is, its published digest and size (None where none is published), and what it
    holds."""

    name: str
    url: str
    digest: str  # hex: SHA-256 (64 digits), or MD5 (32) where the host publishes only that (Zenodo)
    size: int | None
    description: str
    use: str = ""  # the command that reads it once unpacked; DIR stands for the unpacked data set's folder

    @property
    def archive(self) -> str:
        """The archive's file name, from its address."""
        return PurePosixPath(urlsplit(self.url).path).name or f"{self.name}.tar.gz"

    @property
    def algorithm(self) -> str:
        """The digest's hashlib name: ``sha256`` or ``md5``."""
        return "sha256" if len(self.digest) == 64 else "md5"

    @property
    def digest_name(self) -> str:
        return DIGEST_NAMES[self.algorithm]


ZENODO_DCASE = "https://zenodo.org/record/3678171/files/dev_data_{machine}.zip"
DCASE_USE = "tinyml anomaly train --data DIR"


def dcase_source(name: str, machine: str, md5: str, size: int | None, what: str) -> DataSource:
    """A machine of the DCASE 2020 task 2 development set (Zenodo record 3678171, CC BY-NC-SA 4.0): normal training
    recordings and a test split with anomalies, 10 s at 16 kHz, one channel, in the layout the anomaly app reads."""
    return DataSource(
        name,
        ZENODO_DCASE.format(machine=machine),
        md5,
        size,
        f"{what}: the DCASE 2020 task 2 development set of this machine (train/ normal, test/ normal and "
        "anomaly; 10 s at 16 kHz; CC BY-NC-SA 4.0)",
        DCASE_USE,
    )


# Digests and sizes as published: by the TensorFlow Datasets and torchaudio loaders of the same files (Speech
# Commands), with the MLPerf Tiny Visual Wake Words archive, and by Zenodo (MD5 only; as soundata's DCASE loader has
# them).
SOURCES: dict[str, DataSource] = {
    s.name: s
    for s in (
        DataSource(
            "speech-commands",
            "http://download.tensorflow.org/data/speech_commands_v0.02.tar.gz",
            "af14739ee7dc311471de98f5f9d2c9191b18aedfe957f4a6ff791c709868ff58",
            2_428_923_189,
            "Speech Commands v0.02: 105,829 one-second clips of 35 words by 2,618 speakers (CC BY 4.0)",
            "tinyml kws train --data DIR --words yes,no",
        ),
        DataSource(
            "speech-commands-v0.01",
            "http://download.tensorflow.org/data/speech_commands_v0.01.tar.gz",
            "743935421bb51cccdb6bdd152e04c5c70274e935c82119ad7faeec31780d811d",
            None,
            "Speech Commands v0.01: 64,727 one-second clips of 30 words by 1,881 speakers (CC BY 4.0)",
            "tinyml kws train --data DIR --words yes,no",
        ),
        DataSource(
            "vww",
            "https://www.silabs.com/public/files/github/machine_learning/benchmarks/datasets/vw_coco2014_96.tar.gz",
            "f8746b9e44f8a7a4293f73be9ba6e8da9239fe69798d42364aae62b915cfab58",
            234_810_765,
            "Visual Wake Words as MLPerf Tiny packs it: COCO 2014 photos resized to 96x96 in person/ (a person's box "
            "over 2.5 % of the photo) and non_person/ (COCO's photo licences)",
            "tinyml person train --data DIR",
        ),
        dcase_source("mimii-fan", "fan", "649bdfc06263ae7a838963f43b6641e6", 1_354_774_772, "MIMII fans"),
        dcase_source("mimii-pump", "pump", "90e7091ef722b7238a7f1009365779cd", 1_031_279_015, "MIMII pumps"),
        dcase_source("mimii-slider", "slider", "da24a757719f0d94d5aa2d646bbfdc86", 1_002_998_966, "MIMII slide rails"),
        dcase_source("mimii-valve", "valve", "34d2672f55bb041589ef79c10dc89934", None, "MIMII valves"),
        dcase_source("toyadmos-car", "ToyCar", "4dec75ca8d9f666aa9e4c1894a740501", None, "ToyADMOS toy cars"),
        dcase_source(
            "toyadmos-conveyor", "ToyConveyor", "03b6aa1bfd09a39d53af0ba39f71fa91", None, "ToyADMOS toy conveyors"
        ),
    )
}


@dataclass
class Fetched:
    """What :func:`get` did: the folder, the archive's size, and how many bytes this call downloaded."""

    folder: Path
    source: DataSource
    archive_bytes: int
    downloaded_bytes: int
    resumed_from: int
    files: int

    def summary(self) -> str:
        resumed = f", resumed at {self.resumed_from / 1e6:.1f} MB" if self.resumed_from else ""
        return (
            f"{self.source.name} ({self.archive_bytes / 1e6:.1f} MB archive{resumed}, "
            f"{self.source.digest_name} checked): {self.files} files in {self.folder}"
        )

    @property
    def data_root(self) -> Path:
        """The data set's own folder: ``folder``, or the folder the archive wraps it in (``vw_coco2014_96/``,
        ``fan/``): followed down while a folder holds one folder and nothing else."""
        root = self.folder
        while True:
            entries = [p for p in root.iterdir() if not p.name.startswith(".")]
            if len(entries) != 1 or not entries[0].is_dir():
                return root
            root = entries[0]

    def next_command(self) -> str:
        """The command that reads the unpacked data set ('' when none is known)."""
        return self.source.use.replace("DIR", str(self.data_root))


def source_of(name: str, url: str | None = None, sha256: str | None = None) -> DataSource:
    """The known data set ``name``; ``url`` (or ``$TINYML_DATA_URL``) fetches it from elsewhere, ``sha256``
    expects another archive (the published digest and size are then not checked)."""
    if name not in SOURCES:
        raise TinyMLError(f"no data set named '{name}'; known: {', '.join(SOURCES)}")
    source = SOURCES[name]
    url = url or os.environ.get(URL_ENV) or None
    if url:
        if urlsplit(url).scheme not in ("http", "https"):
            raise TinyMLError(f"--url must be an http:// or https:// address, not {url}")
        source = replace(source, url=url)
    if sha256:
        digest = sha256.strip().lower()
        if len(digest) != 64 or any(c not in "0123456789abcdef" for c in digest):
            raise TinyMLError("--sha256 must be 64 hexadecimal digits")
        source = replace(source, digest=digest, size=None)
    return source


def part_path(folder: Path, source: DataSource) -> Path:
    """Where the archive is downloaded: a hidden name beside ``folder``, kept between tries to resume."""
    return folder.parent / f".{folder.name}~{source.archive}.part"


def get(
    name: str,
    folder: str | Path,
    url: str | None = None,
    sha256: str | None = None,
    force: bool = False,
    progress: ProgressCallback = silent,
) -> Fetched:
    """Download data set ``name`` (resuming an earlier partial download), check its size and digest and unpack
    it into ``folder``. A failure raises a one-line :class:`TinyMLError`; ``folder`` is then as it was, and a
    partial download that can be resumed is kept."""
    source = source_of(name, url, sha256)
    folder = check_output_dir(Path(folder), force)
    part = part_path(folder, source)
    start = part.stat().st_size if part.is_file() else 0
    downloaded = download(source, part, progress)
    size = part.stat().st_size
    if source.size is not None and size != source.size:
        part.unlink()
        raise TinyMLError(
            f"the {source.name} archive from {source.url} is {size} bytes, not {source.size}; it was "
            "deleted: run the command again, or check --url"
        )
    digest = digest_of(part, source.algorithm, progress)
    if digest != source.digest:
        part.unlink()
        raise TinyMLError(
            f"the {source.name} archive from {source.url} is corrupt ({source.digest_name} {digest[:12]}..., "
            f"expected {source.digest[:12]}...); it was deleted: run the command again"
        )
    files = unpack(part, folder, force, progress)
    part.unlink()
    return Fetched(folder, source, size, downloaded, start if 0 < downloaded < size else 0, files)


def download(source: DataSource, part: Path, progress: ProgressCallback = silent) -> int:
    """Append the rest of ``source`` to ``part`` (all of it when ``part`` is new, or the server cannot resume);
    the number of bytes this call received."""
    start = part.stat().st_size if part.is_file() else 0
    if source.size is not None and start == source.size:
        return 0
    if source.size is not None and start > source.size:
        part.unlink()
        start = 0
    request = urllib.request.Request(source.url, headers={"User-Agent": "tinymlkit", "Accept-Encoding": "identity"})
    if start:
        request.add_header("Range", f"bytes={start}-")
    try:
        response = urllib.request.urlopen(request, timeout=TIMEOUT_S)  # noqa: S310 (http/https checked above)
    except urllib.error.HTTPError as exc:
        if exc.code == 416 and start:  # nothing left to send: the part is complete (the checksum decides)
            return 0
        raise TinyMLError(f"{source.url} answered {exc.code} {exc.reason}; check --url or try again later") from None
    except (urllib.error.URLError, OSError) as exc:
        raise TinyMLError(
            f"cannot reach {host(source.url)} ({reason(exc)}): connect to the network and run the command again"
        ) from None
    with response:
        if start and response.status != 206:  # the server sends the whole file again
            start = 0
        length = response.headers.get("Content-Length")
        total = start + int(length) if length and length.isdigit() else source.size
        received = 0
        task = f"Downloading {source.archive}"
        part.parent.mkdir(parents=True, exist_ok=True)
        with open(part, "ab" if start else "wb") as out:
            progress(ProgressEvent(task, round(start / 1e6, 1), mb(total), "MB"))
            while True:
                try:
                    chunk = response.read(CHUNK)
                except (OSError, http.client.HTTPException) as exc:
                    have = start + received
                    raise TinyMLError(
                        f"the download of {source.archive} was cut off at {have / 1e6:.1f} MB "
                        f"({reason(exc)}); run the same command again to resume"
                    ) from None
                if not chunk:
                    break
                try:
                    out.write(chunk)
                except OSError as exc:
                    raise TinyMLError(
                        f"cannot write {part} ({exc.strerror}); free some space and run the command again to resume"
                    ) from None
                received += len(chunk)
                progress(ProgressEvent(task, round((start + received) / 1e6, 1), mb(total), "MB"))
    if total is not None and start + received < total:
        raise TinyMLError(
            f"the download of {source.archive} was cut off at {(start + received) / 1e6:.1f} of "
            f"{total / 1e6:.1f} MB; run the same command again to resume"
        )
    return received


def mb(size: int | None) -> float | None:
    return None if size is None else round(size / 1e6, 1)


def host(url: str) -> str:
    return urlsplit(url).netloc or url


def reason(exc: BaseException) -> str:
    """A short cause of a network error: 'connection refused', 'timed out'..."""
    inner = getattr(exc, "reason", exc)
    if isinstance(inner, ConnectionRefusedError):
        return "connection refused"
    if isinstance(inner, socket.timeout | TimeoutError):
        return "timed out"
    if isinstance(inner, socket.gaierror):
        return "name not found: offline?"
    text = str(getattr(inner, "strerror", None) or inner) or type(inner).__name__
    return text.splitlines()[0] if text else type(inner).__name__


def digest_of(path: Path, algorithm: str = "sha256", progress: ProgressCallback = silent) -> str:
    """A file's digest (hashlib's ``algorithm``: sha256, md5) as hex, reporting progress in MB."""
    h, size, done = hashlib.new(algorithm), path.stat().st_size, 0
    with open(path, "rb") as f:
        while block := f.read(1 << 20):
            h.update(block)
            done += len(block)
            progress(ProgressEvent(f"Checking {DIGEST_NAMES[algorithm]}", round(done / 1e6, 1), mb(size), "MB"))
    return h.hexdigest()


def unpack(archive: Path, folder: Path, force: bool = False, progress: ProgressCallback = silent) -> int:
    """Unpack a .tar(.gz/.bz2/.xz) or .zip archive into ``folder`` (built aside, renamed when complete); the number
    of files. Members outside the folder, links and special files are refused."""
    try:
        with building_dir(folder, force) as tmp:
            if zipfile.is_zipfile(archive):
                return _unzip(archive, tmp, progress)
            with tarfile.open(archive) as tar:
                members = tar.getmembers()
                for i, member in enumerate(members):
                    tar.extract(member, tmp, filter="data")
                    progress(ProgressEvent("Unpacking", i + 1, len(members)))
                return sum(1 for m in members if m.isfile())
    except tarfile.FilterError as exc:
        raise TinyMLError(f"{archive.name} holds an unsafe entry ({exc}); nothing was unpacked") from None
    except (tarfile.TarError, zipfile.BadZipFile, EOFError, OSError) as exc:
        if isinstance(exc, OSError) and not isinstance(exc, EOFError) and exc.errno is not None:
            raise TinyMLError(
                f"cannot unpack into {folder} ({exc.strerror}); free some space or choose another folder"
            ) from None
        raise TinyMLError(f"{archive.name} is not a readable archive ({exc}); nothing was unpacked") from None


def _unzip(archive: Path, out: Path, progress: ProgressCallback) -> int:
    with zipfile.ZipFile(archive) as z:
        infos = z.infolist()
        root = out.resolve()
        for info in infos:
            target = (out / info.filename).resolve()
            if info.filename.startswith(("/", "\\")) or root not in (target, *target.parents):
                raise TinyMLError(
                    f"{archive.name} holds an entry outside its folder ({info.filename}); nothing was unpacked"
                )
        for i, info in enumerate(infos):
            z.extract(info, out)
            progress(ProgressEvent("Unpacking", i + 1, len(infos)))
        return sum(1 for i in infos if not i.is_dir())
