"""Every example of docs/api.md runs as written (in a scratch folder holding a small ``my_words`` data set)."""

import re
from pathlib import Path

import pytest

from datagen import write_tone_dataset

API_DOC = Path(__file__).parents[1] / "docs" / "api.md"


def examples() -> list[tuple[str, str]]:
    """(section title, code) of each Python block of docs/api.md."""
    out, title = [], ""
    for block in re.split(r"^```", API_DOC.read_text(), flags=re.M):
        heading = re.findall(r"^## (.+)$", block, flags=re.M)
        if block.startswith("python\n"):
            out.append((title, block.removeprefix("python\n")))
        elif heading:
            title = heading[-1]
    return out


def test_every_application_has_an_example():
    titles = " ".join(t for t, _ in examples()).lower()
    for words in ("sine", "keyword", "wand", "person", "anomaly"):
        assert words in titles


@pytest.mark.e2e
@pytest.mark.parametrize(("title", "code"), examples(), ids=[t for t, _ in examples()])
def test_api_example_runs(title, code, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    write_tone_dataset(tmp_path / "my_words")  # yes, no and two other words (the unknown class)
    exec(compile(code, f"docs/api.md ({title})", "exec"), {})
    assert list(tmp_path.glob("runs/*/report.json")) or list(tmp_path.glob("out/*/model.tflite"))
