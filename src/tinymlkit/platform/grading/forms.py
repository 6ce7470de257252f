"""The submission form and the upload checks it shares with the token API."""

import json

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError

ALLOWED_SUFFIXES = (".ipynb", ".py")


def check_source(name: str, data: bytes) -> str:
    """The submitted text, or ValidationError naming the fix: size and type limits, UTF-8, a real notebook."""
    limit = settings.SUBMISSION_MAX_BYTES
    if len(data) > limit:
        raise ValidationError(
            f"The file is {len(data) // 1024} KB; the limit is {limit // 1024} KB. "
            "Clear the notebook's outputs (Kernel > Restart & Clear Output) and try again."
        )
    if name and not name.lower().endswith(ALLOWED_SUFFIXES):
        raise ValidationError("Upload the lab notebook (.ipynb) or a Python file (.py).")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ValidationError("The file is not UTF-8 text: upload the .ipynb or .py file itself.") from exc
    if "\x00" in text:
        raise ValidationError("The file is binary: upload the .ipynb or .py file itself.")
    if name.lower().endswith(".ipynb"):
        try:
            cells = json.loads(text).get("cells")
        except (ValueError, AttributeError) as exc:
            raise ValidationError("This .ipynb is not a notebook (it is not valid notebook JSON).") from exc
        if not isinstance(cells, list):
            raise ValidationError("This .ipynb has no cells: upload the lab notebook you worked in.")
    if not text.strip():
        raise ValidationError("The submission is empty.")
    return text


class SubmissionForm(forms.Form):
    exercise = forms.ChoiceField(required=False, label="Exercise")
    notebook = forms.FileField(
        required=False, label="Notebook or .py file", widget=forms.ClearableFileInput(attrs={"accept": ".ipynb,.py"})
    )
    code = forms.CharField(
        required=False, label="…or paste your code", widget=forms.Textarea(attrs={"rows": 8, "spellcheck": "false"})
    )

    def __init__(self, *args, lab, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["exercise"].choices = [("", "All exercises of the lab")] + [
            (e.slug, e.title) for e in lab.exercises
        ]

    def clean(self):
        data = super().clean()
        upload, code = data.get("notebook"), (data.get("code") or "")
        if upload and code.strip():
            raise ValidationError("Upload a file or paste code, not both.")
        if upload:
            if upload.size > settings.SUBMISSION_MAX_BYTES:
                raise ValidationError(
                    f"The file is {upload.size // 1024} KB; the limit is {settings.SUBMISSION_MAX_BYTES // 1024} KB."
                )
            data["source"] = check_source(upload.name, upload.read())
            data["source_name"] = upload.name[:200]
        elif code.strip():
            data["source"] = check_source("", code.encode("utf-8"))
            data["source_name"] = "pasted code"
        else:
            raise ValidationError("Choose your notebook file or paste your code.")
        return data
