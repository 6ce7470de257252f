from django.contrib import admin, messages

from tinymlkit.platform.competition import tasks
from tinymlkit.platform.competition.models import Entry


@admin.register(Entry)
class EntryAdmin(admin.ModelAdmin):
    list_display = (
        "id",
        "user",
        "challenge",
        "status",
        "public_accuracy",
        "private_accuracy",
        "fits",
        "size_bytes",
        "latency_ms",
        "created_at",
    )
    list_filter = ("status", "challenge", "fits")
    search_fields = ("user__username", "challenge", "sha256")
    readonly_fields = ("created_at", "started_at", "finished_at", "jobs", "sha256", "size")
    exclude = ("model",)
    actions = ["retry_failed"]

    @admin.action(description="Score the selected failed entries again")
    def retry_failed(self, request, queryset):
        n = sum(tasks.retry(entry) for entry in queryset)
        self.message_user(request, f"{n} entr(y/ies) queued again.", messages.INFO)
