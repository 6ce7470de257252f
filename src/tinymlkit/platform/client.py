"""Send a lab to the platform with a personal token (``tinyml course submit``), standard library only."""

import base64
import json
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from tinymlkit.errors import TinyMLError

ENV_URL = "TINYML_PLATFORM_URL"
ENV_TOKEN = "TINYML_TOKEN"


@dataclass(frozen=True)
class Platform:
    url: str
    token: str

    def _call(self, method: str, path: str, body: dict | None = None) -> dict:
        data = json.dumps(body).encode() if body is not None else None
        request = urllib.request.Request(
            self.url.rstrip("/") + path,
            data=data,
            method=method,
            headers={
                "Authorization": f"Token {self.token}",
                "Content-Type": "application/json",
                "Accept": "application/json",
            },
        )
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                return json.loads(response.read())
        except urllib.error.HTTPError as exc:
            try:
                message = json.loads(exc.read()).get("error") or exc.reason
            except ValueError:
                message = exc.reason
            raise TinyMLError(f"the platform refused the submission ({exc.code}): {message}") from exc
        except (urllib.error.URLError, TimeoutError, ConnectionError) as exc:
            reason = getattr(exc, "reason", exc)
            raise TinyMLError(
                f"cannot reach the platform at {self.url} ({reason}): check its address (--url, or "
                "--server for a model) and your connection, and submit again; your files stay as they "
                "are"
            ) from exc

    def submit(self, lab: str, source: str, name: str, exercise: str | None = None) -> dict:
        return self._call(
            "POST", "/api/v1/submissions/", {"lab": lab, "exercise": exercise or "", "name": name, "source": source}
        )

    def status(self, submission_id: int) -> dict:
        return self._call("GET", f"/api/v1/submissions/{submission_id}/")

    def wait(self, submission_id: int, timeout_s: float, poll_s: float = 2.0, status=None) -> dict:
        """The submission once graded (or failed), or its last state when ``timeout_s`` runs out; ``status``
        reads the state (default: a lab submission's)."""
        status = status or self.status
        deadline = time.monotonic() + timeout_s
        state = status(submission_id)
        while not state["done"] and time.monotonic() < deadline:
            time.sleep(poll_s)
            state = status(submission_id)
        return state

    def submit_model(self, challenge: str, model: bytes, name: str, labels: list[str] | None = None) -> dict:
        """Send a .tflite to a competition challenge (``tinyml compete submit --server``)."""
        return self._call(
            "POST",
            f"/api/v1/compete/{challenge}/entries/",
            {"name": name, "model": base64.b64encode(model).decode("ascii"), "labels": labels or []},
        )

    def entry(self, entry_id: int) -> dict:
        return self._call("GET", f"/api/v1/compete/entries/{entry_id}/")


def find_notebook(lab: str, notebook: Path | None) -> Path:
    """The file to send: ``notebook`` if given, else the workspace notebook ``tinyml course start`` wrote, else
    ``LAB.ipynb`` or ``LAB.py`` in the current folder."""
    from tinymlkit.course.workspace import notebook_path

    if notebook is not None:
        if not notebook.is_file():
            raise TinyMLError(f"{notebook} does not exist: pass the lab notebook you worked in with --notebook")
        return notebook
    candidates = (notebook_path(lab), Path(f"{lab}.ipynb"), Path(f"{lab}.py"))
    for candidate in candidates:
        if candidate.is_file():
            return candidate
    raise TinyMLError(f"no {' or '.join(map(str, candidates))}: pass the lab notebook with --notebook PATH")
