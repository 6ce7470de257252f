"""Personal API tokens: a learner's key for ``tinyml course submit`` from the command line.

Only a SHA-256 digest of the token is stored; the token itself is shown once, when it is made.
"""

import hashlib
import secrets

from django.conf import settings
from django.db import models


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class ApiToken(models.Model):
    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_token")
    digest = models.CharField(max_length=64, unique=True)
    prefix = models.CharField(max_length=8, help_text="First characters, to recognise the token")
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.user} {self.prefix}..."

    @classmethod
    def issue(cls, user) -> str:
        """Make a new token for ``user`` (replacing any old one) and return it in clear, once."""
        token = "tml_" + secrets.token_urlsafe(32)
        cls.objects.update_or_create(user=user, defaults={"digest": token_digest(token), "prefix": token[:8]})
        return token

    @classmethod
    def user_for(cls, token: str):
        """The active user a token belongs to, or None."""
        found = cls.objects.select_related("user").filter(digest=token_digest(token)).first()
        if found is None or not found.user.is_active:
            return None
        return found.user
