"""``{% forum_link course unit %}``: the line on unit and lesson pages that leads to the unit's forum board;
``|ago`` ("just now", "5 minutes ago") and ``|board_label`` (where a thread lives, in words)."""

from datetime import timedelta

from django import template
from django.urls import reverse
from django.utils import timezone
from django.utils.timesince import timesince

from tinymlkit.platform.forum.models import Thread

register = template.Library()


@register.inclusion_tag("forum/_unit_link.html")
def forum_link(course: str, unit: str) -> dict:
    threads = Thread.objects.filter(course=course, unit=unit, hidden=False)
    return {
        "url": reverse("forum-board", args=[course, unit]),
        "count": threads.count(),
        "new_url": reverse("forum-new", args=[course, unit]),
    }


@register.filter
def ago(moment) -> str:
    if moment is None:
        return ""
    if timezone.now() - moment < timedelta(minutes=1):
        return "just now"
    return f"{timesince(moment)} ago"


@register.filter
def board_label(thread) -> str:
    from tinymlkit.platform.forum.rules import board_of

    b = board_of(thread)
    return f"{b.course_title} › {b.title}" if b.unit and b.course_title else b.title
