"""The chat over WebSockets (Django Channels). One consumer per open page; rooms are channel-layer groups.

The browser sends ``{"action": "say", "text": ...}`` or, staff only, ``{"action": "delete", "id": ...}``. It
receives ``history`` once on joining, then ``message``, ``deleted`` and (to the sender only) ``error`` events.
"""

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncJsonWebsocketConsumer

from tinymlkit.platform.chat import rooms
from tinymlkit.platform.chat.models import HISTORY, ChatMessage, clean_text
from tinymlkit.platform.forum import rules
from tinymlkit.platform.forum.models import ModerationAction

REFUSED = 4403  # close code: not logged in, or no such room


class ChatConsumer(AsyncJsonWebsocketConsumer):
    group = None

    async def connect(self) -> None:
        self.user = self.scope.get("user")
        room = rooms.find(self.scope["url_route"]["kwargs"]["room"])
        if room is None or self.user is None or not self.user.is_authenticated or not self.user.is_active:
            await self.close(code=REFUSED)
            return
        self.room = room
        self.group = rooms.group_name(room.slug)
        await self.channel_layer.group_add(self.group, self.channel_name)
        await self.accept()
        await self.send_json(
            {
                "type": "history",
                "room": room.slug,
                "messages": await self.history(),
                "moderator": rules.is_moderator(self.user),
            }
        )

    async def disconnect(self, code) -> None:
        if self.group:
            await self.channel_layer.group_discard(self.group, self.channel_name)

    async def receive_json(self, content, **kwargs) -> None:
        action = content.get("action", "say") if isinstance(content, dict) else None
        if action == "say":
            outcome = await self.say(content.get("text"))
            if isinstance(outcome, str):
                await self.send_json({"type": "error", "message": outcome})
            else:
                await self.channel_layer.group_send(self.group, {"type": "chat.message", "message": outcome})
        elif action == "delete":
            outcome = await self.delete(content.get("id"))
            if isinstance(outcome, str):
                await self.send_json({"type": "error", "message": outcome})
            else:
                await self.channel_layer.group_send(self.group, {"type": "chat.deleted", "id": outcome})
        else:
            await self.send_json({"type": "error", "message": "Unknown action."})

    async def receive(self, text_data=None, bytes_data=None, **kwargs) -> None:
        try:
            await super().receive(text_data=text_data, bytes_data=bytes_data, **kwargs)
        except ValueError:  # not JSON
            await self.send_json({"type": "error", "message": "Messages are JSON objects."})

    async def chat_message(self, event) -> None:
        await self.send_json({"type": "message", **event["message"]})

    async def chat_deleted(self, event) -> None:
        await self.send_json({"type": "deleted", "id": event["id"]})

    @database_sync_to_async
    def history(self) -> list[dict]:
        recent = (
            ChatMessage.objects.filter(room=self.room.slug, deleted=False)
            .select_related("user")
            .order_by("-created_at", "-pk")[:HISTORY]
        )
        return [m.as_event() for m in reversed(recent)]

    @database_sync_to_async
    def say(self, text) -> dict | str:
        """The saved message as an event, or why it was refused."""
        try:
            body = clean_text(text)
        except ValueError as exc:
            return str(exc)
        ban = rules.ban_of(self.user)
        if ban is not None:
            return f"You are banned from posting: {ban.reason}"
        too_fast = rules.over_rate(self.user, "chat", ChatMessage.objects.filter(user=self.user))
        if too_fast:
            return too_fast
        message = ChatMessage.objects.create(room=self.room.slug, user=self.user, body=body)
        return message.as_event()

    @database_sync_to_async
    def delete(self, pk) -> int | str:
        """The deleted message's id, or why not."""
        if not rules.is_moderator(self.user):
            return "Only moderators (staff) can delete messages."
        if not isinstance(pk, int):
            return "Which message?"
        message = ChatMessage.objects.filter(pk=pk, room=self.room.slug, deleted=False).first()
        if message is None:
            return "No such message in this room."
        message.deleted, message.deleted_by = True, self.user
        message.save(update_fields=["deleted", "deleted_by"])
        ModerationAction.objects.create(
            actor=self.user,
            action=ModerationAction.Kind.DELETE_CHAT,
            target_user_id=message.user_id,
            note=f"in {self.room.slug}: {message.body[:200]}",
        )
        return message.pk
