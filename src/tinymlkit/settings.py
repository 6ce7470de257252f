"""Config fields that describe themselves: the help text, the allowed values and whether the CLI offers them.

    @dataclass
    class SineConfig:
        samples: int = setting(1000, help="Built-in data: number of samples.", min=10, builtin=True)
        def __post_init__(self):
            validate(self)

The CLI builds each application's options from these fields (``tinymlkit.cli.config_options``), so a default,
a help text and a range live in one place, and a bad value fails with the same one-line error from the CLI and
from Python. ``builtin=True`` marks the settings of the built-in data (the ``data`` command offers those).
"""

from dataclasses import MISSING, Field, field, fields
from typing import Any

from tinymlkit.errors import TinyMLError


def setting(default: Any = MISSING, *, factory: Any = MISSING, help: str, min: float | None = None,
            max: float | None = None, positive: bool = False, choices: tuple | None = None, builtin: bool = False,
            source: bool = False, flag: str | None = None, cli: bool = True) -> Field:
    """A dataclass field with its help text and allowed values (``flag``: the CLI name, default ``--<name>``).
    ``builtin``: a setting of the built-in data; ``source``: where the data comes from (``--data``)."""
    metadata = {"help": help, "min": min, "max": max, "positive": positive, "choices": choices, "builtin": builtin,
                "source": source, "flag": flag, "cli": cli}
    if factory is not MISSING:
        return field(default_factory=factory, metadata=metadata)
    return field(default=default, metadata=metadata)


def flag_of(f: Field) -> str:
    """The CLI name of a config field: ``--learning-rate`` for ``learning_rate``."""
    return f.metadata.get("flag") or "--" + f.name.replace("_", "-")


def validate(config: Any) -> None:
    """Check every field against its declared range and choices; a :class:`TinyMLError` names the flag."""
    for f in fields(config):
        value, m = getattr(config, f.name), f.metadata
        if value is None or not m or isinstance(value, bool):
            continue
        values = value if isinstance(value, list | tuple) else [value]
        for v in values:
            _check(flag_of(f), v, m)


def _check(flag: str, value: Any, m: dict) -> None:
    if m.get("choices") is not None and value not in m["choices"]:
        raise TinyMLError(f"{flag} must be one of {', '.join(map(str, m['choices']))}, not {value}")
    if not isinstance(value, int | float):
        return
    if m.get("positive") and not value > 0:
        raise TinyMLError(f"{flag} must be above 0, not {value:g}")
    if m.get("min") is not None and value < m["min"]:
        raise TinyMLError(f"{flag} must be at least {m['min']:g}, not {value:g}")
    if m.get("max") is not None and value > m["max"]:
        raise TinyMLError(f"{flag} must be at most {m['max']:g}, not {value:g}")
