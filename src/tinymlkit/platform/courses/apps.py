from django.apps import AppConfig


class CoursesConfig(AppConfig):
    name = "tinymlkit.platform.courses"
    label = "courses"
    verbose_name = "Courses"
