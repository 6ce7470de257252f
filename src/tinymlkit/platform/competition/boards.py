"""Leaderboards: each learner's best entry, ranked by the challenge's rule (:func:`tinymlkit.compete.rank_key`).

The public board ranks on the public part of the hidden set. The private board, shown after the deadline, takes
the same entries (each learner's best on the public part: no one can pick by the private result) and ranks them
on the private part.
"""

from dataclasses import dataclass
from datetime import UTC, datetime, time

from tinymlkit.platform.competition.models import Entry


@dataclass
class Row:
    rank: int
    entry: Entry
    accuracy: float
    entries: int  # the learner's scored entries

    @property
    def percent(self) -> str:
        return f"{self.accuracy:.1%}"


def _key(entry: Entry, accuracy: float, resolution: float) -> tuple:
    from tinymlkit.compete import rank_key

    # Among equals, the earlier entry wins.
    return (
        *rank_key(accuracy, bool(entry.fits), entry.size_bytes or 0, entry.latency_ms or 0.0, resolution),
        -entry.created_at.timestamp(),
    )


def leaderboard(challenge, part: str = "public") -> list[Row]:
    scored = (
        Entry.objects.filter(challenge=challenge.name, status=Entry.Status.SCORED)
        .select_related("user")
        .defer("model", "score")
    )
    resolution = challenge.scoring.resolution
    best: dict[int, tuple[tuple, Entry]] = {}
    counts: dict[int, int] = {}
    for e in scored:
        counts[e.user_id] = counts.get(e.user_id, 0) + 1
        key = _key(e, e.public_accuracy or 0.0, resolution)
        if e.user_id not in best or key > best[e.user_id][0]:
            best[e.user_id] = (key, e)
    chosen = [e for _, e in best.values()]
    attr = "public_accuracy" if part == "public" else "private_accuracy"
    chosen.sort(key=lambda e: _key(e, getattr(e, attr) or 0.0, resolution), reverse=True)
    return [Row(i + 1, e, getattr(e, attr) or 0.0, counts[e.user_id]) for i, e in enumerate(chosen)]


def start_of_day(now: datetime) -> datetime:
    """Midnight UTC of ``now``'s day: the daily limit counts entries since then."""
    return datetime.combine(now.astimezone(UTC).date(), time(0), tzinfo=UTC)


def entries_today(user, challenge, now: datetime) -> int:
    """Entries that count against the daily limit: today's, except those the scorer itself failed on."""
    return (
        Entry.objects.filter(user=user, challenge=challenge.name, created_at__gte=start_of_day(now))
        .exclude(status=Entry.Status.ERROR)
        .count()
    )
