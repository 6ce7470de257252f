"""The chat: rooms over WebSockets through the real ASGI application (Channels routing, session login, origin
checks), history from the database, sanitising, rate limits, bans and moderator deletes."""

import asyncio
import json

import pytest
from asgiref.testing import ApplicationCommunicator
from django.urls import reverse

from tinymlkit.platform.chat.models import MAX_CHARS, ChatMessage, clean_text
from tinymlkit.platform.chat.rooms import all_rooms
from tinymlkit.platform.forum.models import Ban, ModerationAction

pytestmark = pytest.mark.django_db(transaction=True)


class WebsocketCommunicator(ApplicationCommunicator):
    """A browser's side of one WebSocket, spoken to the ASGI application directly (what channels.testing offers,
    without the daphne server its package imports)."""

    def __init__(self, application, path: str, headers: list):
        super().__init__(
            application,
            {"type": "websocket", "path": path, "query_string": b"", "headers": headers, "subprotocols": []},
        )

    async def connect(self, timeout: float = 5):
        await self.send_input({"type": "websocket.connect"})
        response = await self.receive_output(timeout)
        return response["type"] == "websocket.accept", response.get("code")

    async def send_to(self, text_data: str):
        await self.send_input({"type": "websocket.receive", "text": text_data})

    async def send_json_to(self, data):
        await self.send_to(json.dumps(data))

    async def receive_json_from(self, timeout: float = 5):
        response = await self.receive_output(timeout)
        assert response["type"] == "websocket.send", response
        return json.loads(response["text"])

    async def disconnect(self, code: int = 1000, timeout: float = 5):
        await self.send_input({"type": "websocket.disconnect", "code": code})
        await self.wait(timeout)


def cookie_for(client, user) -> str:
    """A session of ``user`` (each in its own client: logging in again on one client ends its last session)."""
    from django.test import Client

    browser = Client()
    browser.force_login(user)
    return browser.cookies["sessionid"].value


def connect(session: str | None, room: str = "general", origin: str = "http://testserver"):
    from tinymlkit.platform.asgi import application

    headers = [(b"host", b"testserver"), (b"origin", origin.encode())]
    if session:
        headers.append((b"cookie", f"sessionid={session}".encode()))
    return WebsocketCommunicator(application, f"/ws/chat/{room}/", headers=headers)


async def joined(communicator) -> dict:
    connected, _ = await communicator.connect()
    assert connected
    history = await communicator.receive_json_from(timeout=5)
    assert history["type"] == "history"
    return history


def run(coro):
    return asyncio.run(coro)


def test_two_people_chat_live_and_history_is_loaded_on_join(client, learner, other_learner):
    ada, bo = cookie_for(client, learner), cookie_for(client, other_learner)

    async def scenario():
        a, b = connect(ada), connect(bo)
        assert (await joined(a))["messages"] == []
        await joined(b)
        await a.send_json_to({"action": "say", "text": "  hello <b>bo</b>\x07  "})
        for side in (a, b):
            got = await side.receive_json_from(timeout=5)
            assert got["type"] == "message" and got["user"] == "ada" and got["text"] == "hello <b>bo</b>"
        await b.send_json_to({"action": "say", "text": "hi ada"})
        assert (await a.receive_json_from(timeout=5))["text"] == "hi ada"
        await b.receive_json_from(timeout=5)
        await a.disconnect()
        await b.disconnect()
        late = connect(ada)
        history = await joined(late)
        assert [(m["user"], m["text"]) for m in history["messages"]] == [("ada", "hello <b>bo</b>"), ("bo", "hi ada")]
        await late.disconnect()
        other_room = connect(ada, room=all_rooms()[1].slug)
        assert (await joined(other_room))["messages"] == []  # rooms are separate
        await other_room.disconnect()

    run(scenario())
    assert ChatMessage.objects.count() == 2


def test_strangers_other_sites_and_unknown_rooms_are_refused(client, learner):
    session = cookie_for(client, learner)

    async def scenario():
        for communicator in (
            connect(None),
            connect(session, room="no-such-room"),
            connect(session, origin="http://evil.example"),
        ):
            connected, code = await communicator.connect()
            assert not connected and code in (4403, 403, None), code

    run(scenario())
    client.force_login(learner)
    assert client.get(reverse("chat-room", args=["no-such-room"])).status_code == 404
    client.logout()
    assert client.get(reverse("chat-room", args=["general"])).status_code == 302  # to the login page


def test_too_long_empty_and_malformed_messages_are_refused(client, learner):
    session = cookie_for(client, learner)

    async def scenario():
        c = connect(session)
        await joined(c)
        await c.send_json_to({"action": "say", "text": "x" * (MAX_CHARS + 1)})
        assert "limit is 1000" in (await c.receive_json_from(timeout=5))["message"]
        await c.send_json_to({"action": "say", "text": " \u200b\n "})
        assert (await c.receive_json_from(timeout=5))["message"] == "The message is empty."
        await c.send_json_to({"action": "say", "text": 42})
        assert (await c.receive_json_from(timeout=5))["type"] == "error"
        await c.send_to(text_data="not json")
        assert (await c.receive_json_from(timeout=5))["message"] == "Messages are JSON objects."
        await c.disconnect()

    run(scenario())
    assert not ChatMessage.objects.exists()


def test_clean_text():
    assert clean_text("a\x00b\u202ec\r\nd") == "abc\nd"
    with pytest.raises(ValueError):
        clean_text(None)


def test_rate_limit_and_ban(client, learner, staff, settings):
    settings.COMMUNITY_RATE_LIMITS = {**settings.COMMUNITY_RATE_LIMITS, "chat": (3, 60)}
    session = cookie_for(client, learner)

    async def scenario():
        c = connect(session)
        await joined(c)
        for i in range(3):
            await c.send_json_to({"action": "say", "text": f"message {i}"})
            assert (await c.receive_json_from(timeout=5))["type"] == "message"
        await c.send_json_to({"action": "say", "text": "one too many"})
        refused = await c.receive_json_from(timeout=5)
        assert refused["type"] == "error" and "too fast" in refused["message"]
        await c.disconnect()

    run(scenario())
    assert ChatMessage.objects.count() == 3
    ChatMessage.objects.all().delete()
    Ban.objects.create(user=learner, reason="spamming the chat", by=staff)

    async def banned():
        c = connect(session)
        await joined(c)
        await c.send_json_to({"action": "say", "text": "let me talk"})
        assert "banned" in (await c.receive_json_from(timeout=5))["message"]
        await c.disconnect()

    run(banned())
    assert not ChatMessage.objects.exists()


def test_staff_delete_messages_and_learners_cannot(client, learner, other_learner, staff):
    ada, bo, teach = cookie_for(client, learner), cookie_for(client, other_learner), cookie_for(client, staff)

    async def scenario():
        a, b, t = connect(ada), connect(bo), connect(teach)
        assert not (await joined(a))["moderator"]
        await joined(b)
        assert (await joined(t))["moderator"]
        await a.send_json_to({"action": "say", "text": "rude words"})
        message = None
        for side in (a, b, t):
            message = await side.receive_json_from(timeout=5)
        await b.send_json_to({"action": "delete", "id": message["id"]})
        assert "Only moderators" in (await b.receive_json_from(timeout=5))["message"]
        await t.send_json_to({"action": "delete", "id": message["id"]})
        for side in (a, b, t):
            assert await side.receive_json_from(timeout=5) == {"type": "deleted", "id": message["id"]}
        for side in (a, b, t):
            await side.disconnect()
        again = connect(bo)
        assert (await joined(again))["messages"] == []
        await again.disconnect()

    run(scenario())
    gone = ChatMessage.objects.get()
    assert gone.deleted and gone.deleted_by == staff
    assert ModerationAction.objects.get().action == "delete_chat"


def test_chat_page_lists_rooms_and_escapes(client, learner):
    client.force_login(learner)
    html = client.get(reverse("chat-room", args=["general"])).content.decode()
    for room in all_rooms():
        assert reverse("chat-room", args=[room.slug]) in html
    assert "platform/chat.js" in html


def test_one_web_process_without_redis(tmp_path):
    """The in-memory channel layer lives in one process: without Redis, serve starts one web process."""
    from tinymlkit.platform.config import PlatformConfig
    from tinymlkit.platform.server import web_processes

    assert web_processes(PlatformConfig(tmp_path), None) == 1
    assert web_processes(PlatformConfig(tmp_path, redis_url="redis://127.0.0.1:6379/0"), None) == 2
    assert web_processes(PlatformConfig(tmp_path), 3) == 3  # as asked (serve prints a note)


def test_origin_must_be_this_site_or_a_trusted_one(settings):
    from tinymlkit.platform.chat.security import same_origin

    assert same_origin({b"origin": b"http://school.example:8000", b"host": b"school.example:8000"})
    assert not same_origin({b"origin": b"http://evil.example", b"host": b"school.example:8000"})
    assert not same_origin({b"host": b"school.example:8000"})
    settings.CSRF_TRUSTED_ORIGINS = ["https://course.example.org"]
    assert same_origin({b"origin": b"https://course.example.org", b"host": b"127.0.0.1:8000"})
