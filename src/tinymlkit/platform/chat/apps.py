from django.apps import AppConfig


class ChatConfig(AppConfig):
    name = "tinymlkit.platform.chat"
    label = "chat"
    verbose_name = "Chat"
