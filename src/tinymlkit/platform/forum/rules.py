"""Who may do what in the community (forum, chat, showcase), and how often.

Staff are the moderators. A banned user reads but does not post anywhere. Posting is rate-limited per user by
counting their recent rows in the database, so the limit holds across web processes and machines.
"""

from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.http import Http404
from django.urls import reverse
from django.utils import timezone

from tinymlkit.platform.courses import content

EDIT_WINDOW = timedelta(minutes=30)


def is_moderator(user) -> bool:
    return bool(user.is_authenticated and user.is_active and user.is_staff)


def ban_of(user):
    from tinymlkit.platform.forum.models import Ban

    if not user.is_authenticated:
        return None
    return Ban.objects.filter(user=user).first()


def rate_limit(kind: str) -> tuple[int, int]:
    """(most posts, window in seconds) for ``kind``: ``forum``, ``chat`` or ``showcase``."""
    return tuple(settings.COMMUNITY_RATE_LIMITS[kind])


def over_rate(user, kind: str, queryset) -> str | None:
    """A sentence saying the user must wait, if ``queryset`` (their rows, with ``created_at``) is at the limit."""
    if is_moderator(user):
        return None
    most, window_s = rate_limit(kind)
    since = timezone.now() - timedelta(seconds=window_s)
    recent = list(
        queryset.filter(created_at__gte=since).order_by("created_at").values_list("created_at", flat=True)[:most]
    )
    if len(recent) < most:
        return None
    wait = max(1, int((recent[0] + timedelta(seconds=window_s) - timezone.now()).total_seconds()) + 1)
    return f"You are posting too fast ({most} in {_span(window_s)} at most): wait {_span(wait)}."


def _span(seconds: int) -> str:
    if seconds >= 120 and seconds % 60 == 0:
        return f"{seconds // 60} minutes"
    return f"{seconds} seconds" if seconds != 1 else "1 second"


def cannot_post(user) -> str | None:
    """Why ``user`` may not post in the forum now (banned or too fast), or None."""
    from tinymlkit.platform.forum.models import Post

    ban = ban_of(user)
    if ban is not None:
        return f"You are banned from posting: {ban.reason}"
    return over_rate(user, "forum", Post.objects.filter(author=user))


def can_edit(user, post, thread=None, banned: bool | None = None) -> bool:
    """Staff always; the author within :data:`EDIT_WINDOW` of posting, while the thread is open and visible."""
    if is_moderator(user):
        return True
    thread = thread or post.thread
    if post.author_id != user.pk or post.hidden or thread.locked or thread.hidden:
        return False
    if timezone.now() - post.created_at > EDIT_WINDOW:
        return False
    return not (ban_of(user) is not None if banned is None else banned)


def can_accept(user, thread) -> bool:
    return is_moderator(user) or (user.is_authenticated and thread.author_id == user.pk)


@dataclass(frozen=True)
class Board:
    """A place in the catalogue threads belong to: general (no course), a course, or one unit of a course."""

    course: str = ""
    unit: str = ""
    title: str = "General"
    course_title: str = ""

    @property
    def key(self) -> tuple[str, str]:
        return self.course, self.unit

    def url_args(self) -> list[str]:
        return [a for a in (self.course, self.unit) if a]

    @property
    def url(self) -> str:
        return reverse("forum-board", args=self.url_args())

    @property
    def new_url(self) -> str:
        return reverse("forum-new", args=self.url_args())

    def filter(self, queryset):
        """This board's threads; a course's board also shows the threads of its units."""
        if self.course and not self.unit:
            return queryset.filter(course=self.course)
        return queryset.filter(course=self.course, unit=self.unit)


def board(course: str = "", unit: str = "") -> Board:
    """The board for these slugs, 404 if the catalogue has no such course or unit."""
    if not course:
        return Board()
    if unit:
        c, u = content.get_unit(course, unit)
        return Board(c.slug, u.slug, f"{u.number}. {u.title}", c.title)
    c = content.get_course(course)
    return Board(c.slug, "", c.title, c.title)


def all_boards() -> list[Board]:
    """The general board, then each course followed by its units, in catalogue order."""
    boards = [Board()]
    for c in content.catalog().courses:
        boards.append(Board(c.slug, "", c.title, c.title))
        boards += [Board(c.slug, u.slug, f"{u.number}. {u.title}", c.title) for u in c.units]
    return boards


def board_of(thread) -> Board:
    try:
        return board(thread.course, thread.unit)
    except Http404:  # the course or unit left the catalogue: the thread stays readable
        return Board(thread.course, thread.unit, thread.unit or thread.course or "General")
