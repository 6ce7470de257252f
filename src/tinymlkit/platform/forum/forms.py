from django import forms

BODY_MAX = 20_000


class PostForm(forms.Form):
    body = forms.CharField(
        label="Your answer",
        max_length=BODY_MAX,
        strip=True,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text="Markdown: **bold**, `code`, ```python fenced blocks```, [links](https://...).",
    )

    def clean_body(self):
        body = self.cleaned_data["body"].replace("\x00", "")
        if not body.strip():
            raise forms.ValidationError("Write something first.")
        return body


class ThreadForm(PostForm):
    title = forms.CharField(
        label="Title", min_length=5, max_length=200, strip=True, help_text="One line saying what you are stuck on."
    )
    field_order = ["title", "body"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["body"].label = "Details"


class ReasonForm(forms.Form):
    reason = forms.CharField(max_length=300, strip=True)
