from django.contrib import admin

from tinymlkit.platform.courses.models import LessonView, QuizAttempt


@admin.register(QuizAttempt)
class QuizAttemptAdmin(admin.ModelAdmin):
    list_display = ("id", "user", "course", "unit", "score", "max_score", "created_at")
    list_filter = ("course", "unit")
    search_fields = ("user__username",)


@admin.register(LessonView)
class LessonViewAdmin(admin.ModelAdmin):
    list_display = ("user", "course", "unit", "lesson", "first_seen")
    list_filter = ("course",)
    search_fields = ("user__username",)
