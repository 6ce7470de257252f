from django import forms

from tinymlkit.platform.showcase.profiling import MODEL_MAX_BYTES, looks_like_tflite


def board_choices() -> list[tuple[str, str]]:
    from tinymlkit.profile import load_boards

    boards = load_boards()
    return [("", "No board (model figures only)")] + [(b, boards[b].name) for b in boards]


class ProjectForm(forms.Form):
    title = forms.CharField(max_length=120, min_length=3, strip=True)
    body = forms.CharField(
        label="Write-up",
        max_length=30_000,
        widget=forms.Textarea(attrs={"rows": 12}),
        help_text="Markdown: what it does, the data, the results, what you learned.",
    )
    model = forms.FileField(
        required=False,
        label="Model (.tflite, optional)",
        widget=forms.ClearableFileInput(attrs={"accept": ".tflite"}),
        help_text=f"Up to {MODEL_MAX_BYTES // 1024 // 1024} MB; the worker profiles it: "
        "flash, tensor arena, operators.",
    )
    board = forms.ChoiceField(required=False, label="Profile for board")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["board"].choices = board_choices()

    def clean_body(self):
        body = self.cleaned_data["body"].replace("\x00", "")
        if not body.strip():
            raise forms.ValidationError("Write a few lines about the project.")
        return body

    def clean_model(self):
        upload = self.cleaned_data.get("model")
        if not upload:
            return None
        if upload.size > MODEL_MAX_BYTES:
            raise forms.ValidationError(
                f"The model is {upload.size // 1024} KB; the limit is {MODEL_MAX_BYTES // 1024} KB."
            )
        if not upload.name.lower().endswith(".tflite"):
            raise forms.ValidationError("Upload a TensorFlow Lite model (.tflite).")
        data = upload.read()
        if not looks_like_tflite(data):
            raise forms.ValidationError("This file is not a TensorFlow Lite model (no TFL3 identifier).")
        return upload.name[:200], data
