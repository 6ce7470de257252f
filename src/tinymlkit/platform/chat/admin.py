from django.contrib import admin

from tinymlkit.platform.chat.models import ChatMessage


@admin.register(ChatMessage)
class ChatMessageAdmin(admin.ModelAdmin):
    list_display = ("id", "room", "user", "created_at", "deleted")
    list_filter = ("room", "deleted")
    search_fields = ("body", "user__username")
