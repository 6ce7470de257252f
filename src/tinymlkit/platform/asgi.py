"""The ASGI application uvicorn serves: Django's pages over HTTP, the chat over WebSockets (Django Channels)."""

import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tinymlkit.platform.settings")
django_application = get_asgi_application()  # sets Django up before the chat's models are imported

from channels.auth import AuthMiddlewareStack  # noqa: E402
from channels.routing import ProtocolTypeRouter, URLRouter  # noqa: E402
from channels.security.websocket import AllowedHostsOriginValidator  # noqa: E402

from tinymlkit.platform.chat.routing import websocket_urlpatterns  # noqa: E402
from tinymlkit.platform.chat.security import SameOriginValidator  # noqa: E402

application = ProtocolTypeRouter(
    {
        "http": django_application,
        "websocket": AllowedHostsOriginValidator(
            SameOriginValidator(AuthMiddlewareStack(URLRouter(websocket_urlpatterns)))
        ),
    }
)
