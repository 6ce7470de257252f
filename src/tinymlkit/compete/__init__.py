"""Competitions: challenges as files, hidden test sets made by the toolkit, and one scorer for the CLI and the
platform's worker.

    >>> from tinymlkit import compete
    >>> list(compete.load_challenges())
    ['magic-wand', 'kws-yes-no', 'person-detection']
    >>> c = compete.get_challenge("kws-yes-no")
    >>> parts = {"public": compete.load_part(c, "public", folder)}
    >>> compete.score_model(model_bytes, c, parts).accuracy

See docs/competition.md.
"""

from tinymlkit.compete.challenge import (
    Challenge,
    InputContract,
    Scoring,
    get_challenge,
    load_challenge,
    load_challenges,
)
from tinymlkit.compete.hidden import PARTS, load_part
from tinymlkit.compete.score import Score, check_labels, check_upload, rank_key, score_model

__all__ = [
    "PARTS",
    "Challenge",
    "InputContract",
    "Score",
    "Scoring",
    "check_labels",
    "check_upload",
    "get_challenge",
    "load_challenge",
    "load_challenges",
    "load_part",
    "rank_key",
    "score_model",
]
