"""Learners' project pages: a write-up and, optionally, the .tflite model with the profile the worker made of it."""

from django.conf import settings
from django.db import models


class Project(models.Model):
    class Profile(models.TextChoices):
        NONE = "none", "No model"
        QUEUED = "queued", "Queued"
        RUNNING = "running", "Profiling"
        DONE = "done", "Profiled"
        ERROR = "error", "Could not profile"

    FINAL = (Profile.NONE, Profile.DONE, Profile.ERROR)

    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="projects")
    title = models.CharField(max_length=120)
    body = models.TextField()
    model_name = models.CharField(max_length=200, blank=True)
    model_data = models.BinaryField(null=True, blank=True, editable=False)
    board = models.CharField(max_length=40, blank=True, help_text="Board the model was profiled for")
    profile_status = models.CharField(max_length=10, choices=Profile.choices, default=Profile.NONE)
    profile = models.JSONField(null=True, blank=True)
    profile_error = models.TextField(blank=True)
    ops = models.CharField(max_length=1000, blank=True, help_text="The model's operators, space-separated (search)")
    profile_started_at = models.DateTimeField(null=True, blank=True)
    model_version = models.PositiveIntegerField(
        default=0,
        help_text="Bumped by each upload: a late job for an older model does not overwrite the new one's profile",
    )
    hidden = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-updated_at", "-pk"]
        indexes = [models.Index(fields=["owner", "created_at"])]

    def __str__(self) -> str:
        return f"#{self.pk} {self.title} by {self.owner}"

    @property
    def profiled(self) -> bool:
        return self.profile_status in self.FINAL
