from django.contrib import admin

from tinymlkit.platform.forum.models import Ban, Flag, ModerationAction, Post, Thread


@admin.register(Thread)
class ThreadAdmin(admin.ModelAdmin):
    list_display = ("id", "title", "author", "course", "unit", "locked", "hidden", "last_activity")
    list_filter = ("course", "locked", "hidden")
    search_fields = ("title", "author__username")


@admin.register(Post)
class PostAdmin(admin.ModelAdmin):
    list_display = ("id", "thread", "author", "is_question", "hidden", "votes", "created_at")
    list_filter = ("hidden", "is_question")
    search_fields = ("body", "author__username")


@admin.register(Flag)
class FlagAdmin(admin.ModelAdmin):
    list_display = ("post", "user", "reason", "created_at", "resolved_at")


@admin.register(Ban)
class BanAdmin(admin.ModelAdmin):
    list_display = ("user", "reason", "by", "created_at")


@admin.register(ModerationAction)
class ModerationActionAdmin(admin.ModelAdmin):
    list_display = ("created_at", "actor", "action", "thread", "post", "target_user", "note")
    list_filter = ("action",)

    def has_change_permission(self, request, obj=None) -> bool:
        return False  # the audit log is append-only

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
