"""Exercise submissions and their grading state. A submission is never lost: every state is stored."""

from django.conf import settings
from django.db import models


class Submission(models.Model):
    class Status(models.TextChoices):
        QUEUED = "queued", "Queued"
        RUNNING = "running", "Grading"
        GRADED = "graded", "Graded"
        ERROR = "error", "Grader error"  # the grading job itself crashed or was lost; can be retried

    FINAL = (Status.GRADED, Status.ERROR)

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="submissions")
    lab = models.SlugField(max_length=80)
    exercise = models.SlugField(max_length=80, blank=True, help_text="Empty: every exercise of the lab")
    source = models.TextField()
    source_name = models.CharField(max_length=200, blank=True)
    via = models.CharField(max_length=10, default="web")  # web | api
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    score = models.FloatField(null=True, blank=True)
    max_score = models.FloatField(null=True, blank=True)
    passed = models.BooleanField(default=False)
    report = models.JSONField(null=True, blank=True)
    error = models.TextField(blank=True)
    jobs = models.PositiveIntegerField(default=0, help_text="Grading jobs started (retries included)")
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["user", "lab"]), models.Index(fields=["status", "started_at"])]
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"#{self.pk} {self.user} {self.lab}/{self.exercise or '*'} {self.status}"

    @property
    def done(self) -> bool:
        return self.status in self.FINAL

    def exercise_scores(self) -> dict[str, tuple[float, float, bool]]:
        """Per exercise: (score, max score, passed), from the grade report."""
        if not self.report:
            return {}
        from tinymlkit.course import GradeReport

        return {r.exercise: (r.score, r.max_score, r.passed) for r in GradeReport.from_dict(self.report).results}
