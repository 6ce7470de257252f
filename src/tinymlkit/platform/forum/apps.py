from django.apps import AppConfig


class ForumConfig(AppConfig):
    name = "tinymlkit.platform.forum"
    label = "forum"
    verbose_name = "Forum"
