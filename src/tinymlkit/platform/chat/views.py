from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET

from tinymlkit.platform.chat import rooms
from tinymlkit.platform.chat.models import MAX_CHARS


@require_GET
def index(request: HttpRequest) -> HttpResponse:
    return redirect("chat-room", room=rooms.GENERAL)


@login_required
@require_GET
def room_page(request: HttpRequest, room: str) -> HttpResponse:
    current = rooms.find(room)
    if current is None:
        raise Http404("no such chat room")
    return render(request, "chat/room.html", {"room": current, "rooms": rooms.all_rooms(), "max_chars": MAX_CHARS})
