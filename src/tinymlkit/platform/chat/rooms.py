"""Chat rooms: one for everybody and one per course of the catalogue. (The platform has no cohorts: a class
that wants its own room runs its own platform or uses its course's room.)"""

from dataclasses import dataclass

from tinymlkit.platform.courses import content

GENERAL = "general"


@dataclass(frozen=True)
class Room:
    slug: str
    title: str


def all_rooms() -> list[Room]:
    return [Room(GENERAL, "Everyone")] + [Room(c.slug, c.title) for c in content.catalog().courses]


def find(slug: str) -> Room | None:
    return next((r for r in all_rooms() if r.slug == slug), None)


def group_name(slug: str) -> str:
    return f"chat.{slug}"
