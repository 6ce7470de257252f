"""``{% forum_link course unit %}``: the line on unit and lesson pages that leads to the unit's forum board."""

from django import template
from django.urls import reverse

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
