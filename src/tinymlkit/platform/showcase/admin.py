from django.contrib import admin

from tinymlkit.platform.showcase.models import Project


@admin.register(Project)
class ProjectAdmin(admin.ModelAdmin):
    list_display = ("id", "title", "owner", "model_name", "profile_status", "hidden", "updated_at")
    list_filter = ("profile_status", "hidden")
    search_fields = ("title", "owner__username")
    exclude = ("model_data",)
