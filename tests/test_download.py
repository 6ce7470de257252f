"""``tinyml data get``: download, resume, checksum and unpack, against a local HTTP server serving an archive made
in the test (no test touches the network)."""

import hashlib
import http.server
import io
import socket
import tarfile
import threading
import zipfile
from dataclasses import replace

import numpy as np
import pytest

from tinymlkit.datatools.download import get, part_path, source_of
from tinymlkit.errors import TinyMLError
from tinymlkit.fileio import MARKER

from clirun import one_line_error, tinyml_here


def make_archive(extra: tarfile.TarInfo | None = None) -> bytes:
    """A small Speech Commands-like .tar.gz: two words with a few 'clips', a list file."""
    files = {
        "yes/a_nohash_0.wav": b"Y" * 50_000,
        "no/b_nohash_0.wav": b"N" * 70_000,
        "validation_list.txt": b"yes/a_nohash_0.wav\n",
    }
    return served_archive(files, extra=extra)


def served_archive(files: dict[str, bytes], fmt: str = "tar", extra: tarfile.TarInfo | None = None) -> bytes:
    """A .tar.gz (with ``extra``, a member made by hand, at the end) or a .zip holding ``files`` (path -> bytes)."""
    buf = io.BytesIO()
    if fmt == "zip":
        with zipfile.ZipFile(buf, "w") as z:
            for name, payload in files.items():
                z.writestr(name, payload)
        return buf.getvalue()
    with tarfile.open(fileobj=buf, mode="w:gz") as tar:
        for name, payload in files.items():
            info = tarfile.TarInfo(name)
            info.size = len(payload)
            tar.addfile(info, io.BytesIO(payload))
        if extra is not None:
            tar.addfile(extra, io.BytesIO(b"x" * extra.size))
    return buf.getvalue()


class Server:
    """Serves ``data`` at /archive.tar.gz with Range support; ``cut_after`` closes the first response early."""

    def __init__(self, data: bytes, cut_after: int | None = None):
        self.data, self.cut_after, self.ranges = data, cut_after, []
        server = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def log_message(self, *args) -> None:  # quiet
                pass

            def do_GET(self) -> None:
                start = 0
                header = self.headers.get("Range")
                server.ranges.append(header)
                if header:
                    start = int(header.split("=")[1].split("-")[0])
                    self.send_response(206)
                    self.send_header("Content-Range", f"bytes {start}-{len(server.data) - 1}/{len(server.data)}")
                else:
                    self.send_response(200)
                body = server.data[start:]
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                if server.cut_after is not None:
                    body, server.cut_after = body[: server.cut_after], None
                self.wfile.write(body)

        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}/archive.tar.gz"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def __enter__(self) -> "Server":
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


def sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def test_full_download_unpacks_with_marker(tmp_path):
    data = make_archive()
    events = []
    with Server(data) as server:
        r = get("speech-commands", tmp_path / "sc", url=server.url, sha256=sha(data), progress=events.append)
    out = tmp_path / "sc"
    assert (out / "yes" / "a_nohash_0.wav").read_bytes() == b"Y" * 50_000
    assert (out / "no" / "b_nohash_0.wav").stat().st_size == 70_000
    assert (out / MARKER).is_file() and r.files == 3 and r.archive_bytes == len(data)
    assert r.downloaded_bytes == len(data) and r.resumed_from == 0
    assert not list(tmp_path.glob(".*part"))  # the archive is gone once unpacked
    downloading = [e for e in events if e.task.startswith("Downloading")]
    assert downloading[-1].completed == pytest.approx(len(data) / 1e6, abs=0.05)


def test_resume_after_cut_off(tmp_path):
    data = make_archive()
    with Server(data, cut_after=len(data) // 3) as server:
        with pytest.raises(TinyMLError, match="cut off .*run the same command again to resume"):
            get("speech-commands", tmp_path / "sc", url=server.url, sha256=sha(data))
        part = part_path(tmp_path / "sc", source_of("speech-commands", server.url, sha(data)))
        assert part.stat().st_size == len(data) // 3 and not (tmp_path / "sc").exists()
        r = get("speech-commands", tmp_path / "sc", url=server.url, sha256=sha(data))
        assert server.ranges == [None, f"bytes={len(data) // 3}-"]
    assert r.resumed_from == len(data) // 3 and r.downloaded_bytes == len(data) - len(data) // 3
    assert (tmp_path / "sc" / "yes" / "a_nohash_0.wav").read_bytes() == b"Y" * 50_000
    assert not part.exists()


def test_checksum_mismatch_is_one_line_and_writes_nothing(tmp_path, monkeypatch):
    data = make_archive()
    with Server(data) as server:
        monkeypatch.setenv("TINYML_DATA_URL", server.url)
        result = tinyml_here("data", "get", "speech-commands", "--to", str(tmp_path / "sc"), "--sha256", "0" * 64)
    one_line_error(result, "corrupt", "SHA-256", "run the command again")
    assert list(tmp_path.iterdir()) == []  # no folder, no partial archive (a corrupt one is not resumed)


def test_published_size_is_checked(tmp_path, monkeypatch):
    with Server(make_archive()) as server:
        result = tinyml_here("data", "get", "speech-commands", "--to", str(tmp_path / "sc"), "--url", server.url)
    one_line_error(result, "bytes, not 2428923189")
    assert list(tmp_path.iterdir()) == []


def test_offline_is_one_line(tmp_path):
    with socket.socket() as s:  # a port nobody listens on: connection refused
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    result = tinyml_here(
        "data", "get", "speech-commands", "--to", str(tmp_path / "sc"), "--url", f"http://127.0.0.1:{port}/x.tar.gz"
    )
    one_line_error(result, "cannot reach 127.0.0.1", "connection refused", "network")
    assert list(tmp_path.iterdir()) == []


def test_cli_success_and_bad_names(tmp_path):
    data = make_archive()
    with Server(data) as server:
        result = tinyml_here(
            "data", "get", "speech-commands", "--to", str(tmp_path / "sc"), "--url", server.url, "--sha256", sha(data)
        )
    assert result.returncode == 0, result.stderr
    assert "3 files" in result.stdout and "SHA-256 checked" in result.stdout
    one_line_error(
        tinyml_here("data", "get", "imagenet", "--to", str(tmp_path / "x")), "no data set named", "speech-commands"
    )
    one_line_error(
        tinyml_here("data", "get", "speech-commands", "--to", str(tmp_path / "x"), "--url", "file:///etc/passwd"),
        "http://",
    )


def test_unsafe_member_is_refused(tmp_path):
    evil = tarfile.TarInfo("../escaped.txt")
    evil.size = 10
    data = make_archive(evil)
    with Server(data) as server:
        with pytest.raises(TinyMLError, match="unsafe entry"):
            get("speech-commands", tmp_path / "out" / "sc", url=server.url, sha256=sha(data))
    assert not (tmp_path / "out" / "escaped.txt").exists() and not (tmp_path / "out" / "sc").exists()


def test_existing_user_folder_is_refused_before_downloading(tmp_path):
    (tmp_path / "sc").mkdir()
    (tmp_path / "sc" / "mine.txt").write_text("keep")
    with pytest.raises(TinyMLError, match="holds files tinyml did not write"):
        get("speech-commands", tmp_path / "sc", url="http://127.0.0.1:9/x.tar.gz")
    assert (tmp_path / "sc" / "mine.txt").read_text() == "keep"


def test_vww_unpacks_where_person_training_reads_it(tmp_path):
    """MLPerf Tiny's Visual Wake Words archive wraps person/ and non_person/ in vw_coco2014_96/: the next command
    printed points there, and the person loader reads that folder."""
    from PIL import Image

    from tinymlkit.apps.person.data import load_person_data

    def jpeg(level: int) -> bytes:
        out = io.BytesIO()
        Image.new("RGB", (96, 96), (level, level, level)).save(out, "JPEG")
        return out.getvalue()

    photos = {f"vw_coco2014_96/person/COCO_train2014_{i:012d}.jpg": jpeg(40 + i) for i in range(6)}
    photos |= {f"vw_coco2014_96/non_person/COCO_val2014_{i:012d}.jpg": jpeg(200 - i) for i in range(6)}
    data = served_archive(photos)
    with Server(data) as server:
        result = tinyml_here(
            "data", "get", "vww", "--to", str(tmp_path / "vww"), "--url", server.url, "--sha256", sha(data)
        )
    assert result.returncode == 0, result.stderr
    root = tmp_path / "vww" / "vw_coco2014_96"
    assert "12 files" in result.stdout and f"next: tinyml person train --data {root}" in " ".join(result.stdout.split())
    photos = load_person_data(root)
    assert photos.labels == ["no_person", "person"] and np.bincount(photos.y).tolist() == [6, 6]


def test_zenodo_sets_are_checked_by_md5_and_read_by_the_anomaly_app(tmp_path, monkeypatch):
    """The DCASE 2020 sets carry Zenodo's MD5: a wrong archive is refused with it, the right one unpacks to a
    machine folder the anomaly app reads."""
    import soundfile

    from tinymlkit.apps.anomaly.data import find_recordings
    from tinymlkit.datatools import download

    def wav() -> bytes:
        out = io.BytesIO()
        soundfile.write(out, np.zeros(1600, dtype=np.float32), 16000, format="WAV")
        return out.getvalue()

    data = served_archive(
        {
            "ToyCar/train/normal_id_01_00000000.wav": wav(),
            "ToyCar/train/normal_id_01_00000001.wav": wav(),
            "ToyCar/test/normal_id_01_00000000.wav": wav(),
            "ToyCar/test/anomaly_id_01_00000000.wav": wav(),
        },
        fmt="zip",
    )
    assert download.SOURCES["toyadmos-car"].digest_name == "MD5"
    with Server(data) as server:
        wrong = tinyml_here("data", "get", "toyadmos-car", "--to", str(tmp_path / "car"), "--url", server.url)
        one_line_error(wrong, "corrupt (MD5", "expected 4dec75ca8d9f", "run the command again")
        assert list(tmp_path.iterdir()) == []
        md5 = hashlib.md5(data).hexdigest()  # the digest Zenodo publishes
        monkeypatch.setitem(download.SOURCES, "toyadmos-car", replace(download.SOURCES["toyadmos-car"], digest=md5))
        r = get("toyadmos-car", tmp_path / "car", url=server.url)
    assert "MD5 checked" in r.summary() and r.data_root == tmp_path / "car" / "ToyCar"
    assert r.next_command() == f"tinyml anomaly train --data {tmp_path / 'car' / 'ToyCar'}"
    found = sorted(
        (p.parent.name, condition, split != "test") for p, _, condition, split in find_recordings(r.data_root)
    )
    assert found == [
        ("test", "anomaly", False),
        ("test", "normal", False),
        ("train", "normal", True),
        ("train", "normal", True),
    ]
