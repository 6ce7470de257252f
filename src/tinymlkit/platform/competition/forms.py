"""The upload form: size and type checks in the request; the model itself is checked and run by the worker."""

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError

from tinymlkit.errors import TinyMLError


def max_bytes(challenge) -> int:
    """The largest upload a challenge takes: its own limit, capped by the site's."""
    return min(challenge.max_model_bytes, settings.COMPETITION_MAX_BYTES)


class EntryForm(forms.Form):
    model = forms.FileField(label="Your model (.tflite)", widget=forms.ClearableFileInput(attrs={"accept": ".tflite"}))
    labels = forms.CharField(
        required=False,
        max_length=500,
        label="Output labels in your model's order",
        help_text="Comma-separated; leave empty if your outputs follow the challenge's order.",
    )

    def __init__(self, *args, challenge, **kwargs):
        super().__init__(*args, **kwargs)
        self.challenge = challenge
        self.fields["labels"].widget.attrs["placeholder"] = ",".join(challenge.labels)

    def clean(self):
        from tinymlkit.compete import check_labels

        data = super().clean()
        upload = data.get("model")
        if not upload:
            raise ValidationError("Choose your .tflite model file.")
        limit = max_bytes(self.challenge)
        if upload.size > limit:
            raise ValidationError(
                f"The file is {upload.size // 1024} KB; this challenge takes models up to {limit // 1024} KB."
            )
        if not upload.name.lower().endswith(".tflite"):
            raise ValidationError("Upload the model as a .tflite file (TensorFlow Lite flatbuffer).")
        content = upload.read()
        if len(content) < 8 or content[4:8] != b"TFL3":
            raise ValidationError(
                "This file is not a TensorFlow Lite model (no 'TFL3' identifier): export it as "
                ".tflite with tm.to_int8 or the TFLite converter."
            )
        text = (data.get("labels") or "").strip()
        labels = [x.strip() for x in text.split(",") if x.strip()] if text else []
        try:
            data["labels"] = check_labels(self.challenge, labels) if labels else []
        except TinyMLError as exc:
            raise ValidationError(str(exc)) from None
        data["content"] = content
        data["model_name"] = upload.name[:200]
        return data
