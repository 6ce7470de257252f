"""What a learner did with the content: lessons opened and quiz attempts. The content itself ships in the package."""

from django.conf import settings
from django.db import models


class LessonView(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="lesson_views")
    course = models.SlugField(max_length=80)
    unit = models.SlugField(max_length=80)
    lesson = models.SlugField(max_length=80)
    first_seen = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "course", "unit", "lesson"], name="one_view_per_lesson")]


class QuizAttempt(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="quiz_attempts")
    course = models.SlugField(max_length=80)
    unit = models.SlugField(max_length=80)
    answers = models.JSONField()
    score = models.FloatField()
    max_score = models.FloatField()
    report = models.JSONField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [models.Index(fields=["user", "course", "unit"])]
        ordering = ["-created_at"]

    @property
    def passed(self) -> bool:
        return self.max_score > 0 and self.score >= QUIZ_PASS_FRACTION * self.max_score


QUIZ_PASS_FRACTION = 0.7
