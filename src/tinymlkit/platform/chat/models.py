"""Chat messages, kept so that whoever joins a room sees its recent history."""

import unicodedata

from django.conf import settings
from django.db import models

MAX_CHARS = 1000
HISTORY = 50


class ChatMessage(models.Model):
    room = models.SlugField(max_length=80)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="chat_messages")
    body = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)
    deleted = models.BooleanField(default=False)
    deleted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        indexes = [models.Index(fields=["room", "-created_at"]), models.Index(fields=["user", "created_at"])]
        ordering = ["created_at", "pk"]

    def as_event(self) -> dict:
        """The message as the browser receives it: plain text (the page inserts it as text, never as HTML)."""
        return {
            "id": self.pk,
            "user": self.user.username,
            "staff": self.user.is_staff,
            "text": self.body,
            "at": self.created_at.isoformat(),
        }


def clean_text(value) -> str:
    """The message's text: control characters (other than new lines and tabs) removed, trimmed; ValueError when it
    is not text, empty or longer than :data:`MAX_CHARS`."""
    if not isinstance(value, str):
        raise ValueError("A message is text.")
    text = "".join(ch for ch in value if ch in "\n\t" or unicodedata.category(ch) not in ("Cc", "Cf", "Cs"))
    text = text.strip()
    if not text:
        raise ValueError("The message is empty.")
    if len(text) > MAX_CHARS:
        raise ValueError(f"The message is {len(text)} characters long; the limit is {MAX_CHARS}.")
    return text
