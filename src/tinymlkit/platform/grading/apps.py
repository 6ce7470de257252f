from django.apps import AppConfig


class GradingConfig(AppConfig):
    name = "tinymlkit.platform.grading"
    label = "grading"
    verbose_name = "Grading"
