"""The boards catalogue (``boards.json``): clock, core, flash and RAM of common TinyML boards, with sources."""

import json
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from tinymlkit.errors import TinyMLError

CATALOGUE = Path(__file__).parent / "boards.json"


@dataclass(frozen=True)
class Board:
    """One board. ``reserved_*`` is what the sketch needs besides the model (flash) and the arena (RAM)."""

    id: str
    name: str
    mcu: str
    core: str
    clock_mhz: float
    flash_bytes: int
    ram_bytes: int
    reserved_flash_bytes: int
    reserved_ram_bytes: int
    kernels: str
    sources: list[str] = field(default_factory=list)
    notes: str = ""

    @property
    def model_flash_budget(self) -> int:
        """Flash left for the model once the sketch's code is in."""
        return self.flash_bytes - self.reserved_flash_bytes

    @property
    def arena_budget(self) -> int:
        """RAM left for the tensor arena once the sketch's own memory is taken."""
        return self.ram_bytes - self.reserved_ram_bytes


@lru_cache(maxsize=1)
def load_boards() -> dict[str, Board]:
    """All boards of the catalogue, by id, in catalogue order."""
    data = json.loads(CATALOGUE.read_text())
    return {b["id"]: Board(**b) for b in data["boards"]}


def get_board(name: str) -> Board:
    """The board called ``name`` (its id or full name, any case); :class:`TinyMLError` listing the valid ids."""
    boards = load_boards()
    wanted = name.strip().lower()
    for board in boards.values():
        if wanted in (board.id.lower(), board.name.lower()):
            return board
    raise TinyMLError(f"unknown board {name!r}; choose one of: {', '.join(boards)} (see `tinyml device boards`)")
