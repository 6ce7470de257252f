from django.apps import AppConfig


class ShowcaseConfig(AppConfig):
    name = "tinymlkit.platform.showcase"
    label = "showcase"
    verbose_name = "Showcase"
