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
from tinymlkit.validate import SEED_MAX, check_number, check_output_folder


def setting(
    default: Any = MISSING,
    *,
    factory: Any = MISSING,
    help: str = "",
    min: float | None = None,
    max: float | None = None,
    positive: bool = False,
    why: str = "",
    choices: tuple | None = None,
    builtin: bool = False,
    source: bool = False,
    flag: str | None = None,
    cli: bool = True,
    output_folder: bool = False,
) -> Field:
    """A dataclass field with its help text and allowed values (``flag``: the CLI name, default ``--<name>``).

    Numbers must be finite, whole where the default is an int, at least ``min`` (above 0 with ``positive``) and at
    most ``max``; ``why`` says why in the message. ``builtin``: a setting of the built-in data; ``source``: where
    the data comes from (``--data``); ``output_folder``: a folder checked to be creatable and writable; ``cli``:
    offered as a command-line option (needs ``help``).
    """
    integer = isinstance(default, int) and not isinstance(default, bool)
    metadata = {
        "help": help,
        "min": min,
        "max": max,
        "positive": positive,
        "why": why,
        "integer": integer,
        "choices": choices,
        "builtin": builtin,
        "source": source,
        "flag": flag,
        "cli": cli and bool(help),
        "output_folder": output_folder,
    }
    if factory is not MISSING:
        return field(default_factory=factory, metadata=metadata)
    return field(default=default, metadata=metadata)


def bounded(
    default: Any,
    min: float | None = None,
    max: float | None = None,
    *,
    positive: bool = False,
    why: str = "",
    flag: str | None = None,
) -> Field:
    """A checked number field that is not a command-line option of its own (e.g. a recognizer setting)."""
    return setting(default, min=min, max=max, positive=positive, why=why, flag=flag, cli=False)


def seed_setting(default: int = 0) -> Field:
    """The random seed of a config: an unsigned 32-bit integer."""
    return setting(
        default,
        help="Random seed: the same seed gives the same data and model.",
        min=0,
        max=SEED_MAX,
        why="seeds are unsigned 32-bit numbers",
        builtin=True,
    )


def runs_setting(default: str = "runs") -> Field:
    """The folder that receives run folders, checked before any training."""
    return setting(default, help="Folder that receives the run folder.", output_folder=True)


def real_test_setting() -> Field:
    """A folder of real-world examples that a run measures its int8 model on, beside the test split."""
    return setting(
        None,
        help="Folder of real recordings or photos (the --data layout) to measure the int8 model on "
        "in TFLM beside the test split; never trained on.",
    )


def flag_of(f: Field) -> str:
    """The CLI name of a config field: ``--learning-rate`` for ``learning_rate``."""
    return f.metadata.get("flag") or "--" + f.name.replace("_", "-")


def validate(config: Any) -> None:
    """Check every declared field against its range and choices; a :class:`TinyMLError` names the flag."""
    for f in fields(config):
        value, m = getattr(config, f.name), f.metadata
        if not m or "help" not in m:
            continue
        if m["output_folder"]:
            check_output_folder(flag_of(f), value)
            continue
        if value is None:
            continue
        for v in value if isinstance(value, list | tuple) else [value]:
            _check(flag_of(f), v, m)


def _check(flag: str, value: Any, m: dict) -> None:
    if m["choices"] is not None and value not in m["choices"]:
        raise TinyMLError(f"{flag} must be one of {', '.join(map(str, m['choices']))}, not {value}")
    numeric = m["integer"] or m["positive"] or m["min"] is not None or m["max"] is not None
    if numeric or (isinstance(value, float) and not isinstance(value, bool)):
        check_number(
            flag, value, m["min"], m["max"], above=0 if m["positive"] else None, integer=m["integer"], why=m["why"]
        )
