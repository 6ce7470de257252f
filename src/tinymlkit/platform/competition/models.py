"""A model uploaded to a challenge and what the scorer found. Every state is stored; a result is written at once."""

from django.conf import settings
from django.db import models


class Entry(models.Model):
    class Status(models.TextChoices):
        QUEUED = "queued", "Queued"
        RUNNING = "running", "Scoring"
        SCORED = "scored", "Scored"
        REJECTED = "rejected", "Rejected"  # the model breaks the challenge's contract or TFLM cannot run it
        ERROR = "error", "Scorer error"  # the scoring job itself failed or was lost; can be retried

    FINAL = (Status.SCORED, Status.REJECTED, Status.ERROR)

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="competition_entries")
    challenge = models.SlugField(max_length=50)
    model = models.BinaryField(editable=False)  # the .tflite itself: in the database, never under the web root
    model_name = models.CharField(max_length=200, blank=True)
    sha256 = models.CharField(max_length=64)
    size = models.PositiveIntegerField()
    labels = models.JSONField(default=list, blank=True, help_text="The model's output labels in its order")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    reason = models.TextField(blank=True, help_text="Why it was rejected, or why the scorer failed: one line")
    public_accuracy = models.FloatField(null=True, blank=True)
    private_accuracy = models.FloatField(null=True, blank=True)
    fits = models.BooleanField(null=True, blank=True)
    flash_bytes = models.PositiveIntegerField(null=True, blank=True)
    arena_bytes = models.PositiveIntegerField(null=True, blank=True, help_text="32-bit estimate of the TFLM arena")
    size_bytes = models.PositiveIntegerField(null=True, blank=True, help_text="flash + arena")
    latency_ms = models.FloatField(null=True, blank=True)
    score = models.JSONField(null=True, blank=True, help_text="The scorer's whole result")
    jobs = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name_plural = "entries"
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["challenge", "status"]),
            models.Index(fields=["user", "challenge", "created_at"]),
            models.Index(fields=["status", "started_at"]),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.user} {self.challenge} {self.status}"

    @property
    def done(self) -> bool:
        return self.status in self.FINAL

    @property
    def public_percent(self) -> str:
        return "" if self.public_accuracy is None else f"{self.public_accuracy:.1%}"

    @property
    def private_percent(self) -> str:
        return "" if self.private_accuracy is None else f"{self.private_accuracy:.1%}"
