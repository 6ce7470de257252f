from django.apps import AppConfig


class CompetitionConfig(AppConfig):
    name = "tinymlkit.platform.competition"
    label = "competition"
    verbose_name = "Competitions"
