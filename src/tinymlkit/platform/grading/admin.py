from django.contrib import admin, messages

from tinymlkit.platform.grading import tasks
from tinymlkit.platform.grading.models import Submission


@admin.register(Submission)
class SubmissionAdmin(admin.ModelAdmin):
    list_display = ("id", "user", "lab", "exercise", "status", "score", "max_score", "passed", "jobs", "created_at")
    list_filter = ("status", "lab", "passed", "via")
    search_fields = ("user__username", "lab", "exercise")
    readonly_fields = ("created_at", "started_at", "finished_at", "jobs")
    actions = ["retry_failed"]

    @admin.action(description="Grade the selected failed submissions again")
    def retry_failed(self, request, queryset):
        n = sum(tasks.retry(sub) for sub in queryset)
        self.message_user(request, f"{n} submission(s) queued again.", messages.INFO)
