from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "tinymlkit.platform.accounts"
    label = "accounts"
    verbose_name = "Accounts"
