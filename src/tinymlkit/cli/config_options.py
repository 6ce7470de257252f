"""Command-line options made from an application's config dataclass (see :mod:`tinymlkit.settings`): one option
per field with a help text, the training config's fields as ``--epochs``, ``--batch-size``, ``--learning-rate``
and ``--patience``, lists as comma-separated text, defaults taken from the config itself."""

import inspect
import types
import typing
from collections.abc import Callable
from dataclasses import dataclass, fields, is_dataclass, replace
from typing import Any

import typer

from tinymlkit.settings import flag_of

SIMPLE = (str, int, float, bool)


@dataclass(frozen=True)
class ConfigOption:
    """One option: its Python name, the config field it sets (``("train", "epochs")``), type and default."""

    name: str
    path: tuple[str, ...]
    kind: type
    is_list: bool
    default: Any
    flag: str
    help: str


def comma_list(text: str | None) -> list[str] | None:
    """``"yes, no"`` -> ``["yes", "no"]``; None or blank -> None."""
    items = [t.strip() for t in (text or "").split(",") if t.strip()]
    return items or None


def config_options(
    config_type: type, builtin_only: bool = False, sources: bool = False, defaults: dict[str, Any] | None = None
) -> list[ConfigOption]:
    """The options of ``config_type``: fields with a help text and the training config's; ``builtin_only``: only
    the built-in data's settings (and with ``sources`` where the data comes from). ``defaults`` overrides some
    defaults (e.g. a smaller data set to write)."""
    instance, hints, out = config_type(), typing.get_type_hints(config_type), []
    for f in fields(config_type):
        value = getattr(instance, f.name)
        if f.name == "train" and is_dataclass(value) and not builtin_only:
            out += [
                _option(g, getattr(value, g.name), typing.get_type_hints(type(value))[g.name], ("train", g.name))
                for g in fields(value)
                if g.metadata.get("cli", False)
            ]
            continue
        wanted = f.metadata.get("builtin") or (sources and f.metadata.get("source"))
        if not f.metadata.get("cli") or (builtin_only and not wanted):
            continue
        out.append(_option(f, value, hints[f.name], (f.name,)))
    if defaults:
        out = [replace(o, default=defaults.get(o.name, o.default)) for o in out]
    return out


def _option(f, default: Any, hint: Any, path: tuple[str, ...]) -> ConfigOption:
    args = [a for a in typing.get_args(hint) if a is not type(None)]
    base = args[0] if isinstance(hint, types.UnionType) or typing.get_origin(hint) is typing.Union else hint
    is_list = typing.get_origin(base) is list
    kind = str if is_list else base
    if kind not in SIMPLE:
        raise TypeError(f"config field {f.name} of type {hint} cannot be a command-line option; set cli=False")
    shown = ",".join(default) if is_list and default is not None else default
    return ConfigOption(f.name, path, kind, is_list, shown, flag_of(f), f.metadata["help"])


def parameters(options: list[ConfigOption]) -> list[inspect.Parameter]:
    """Typer parameters for ``options`` (keyword-only, in order)."""
    out = []
    for o in options:
        decls = [o.flag] if o.kind is not bool else [f"{o.flag}/--no-{o.flag[2:]}"]
        annotation = o.kind if o.default is not None else o.kind | None
        out.append(
            inspect.Parameter(
                o.name,
                inspect.Parameter.KEYWORD_ONLY,
                annotation=annotation,
                default=typer.Option(o.default, *decls, help=o.help, show_default=True),
            )
        )
    return out


def build_config(config_type: type, options: list[ConfigOption], values: dict[str, Any]):
    """The config from parsed option ``values`` (fields without an option keep their defaults); the config's own
    checks raise a one-line :class:`~tinymlkit.errors.TinyMLError` for a value out of range."""
    config = config_type()
    top: dict[str, Any] = {}
    nested: dict[str, dict[str, Any]] = {}
    for o in options:
        value = comma_list(values[o.name]) if o.is_list else values[o.name]
        if len(o.path) == 1:
            top[o.name] = value
        else:
            nested.setdefault(o.path[0], {})[o.path[1]] = value
    for name, changes in nested.items():
        top[name] = replace(getattr(config, name), **changes)
    return replace(config, **top)


def old_flag_parameters(
    options: list[ConfigOption], old_flags: dict[str, str] | None, before: tuple = ()
) -> list[tuple[str, ConfigOption, inspect.Parameter]]:
    """(old flag, the option it sets, a hidden parameter) for the former names of options (``old_flags``: old flag
    -> new flag). An old name is offered only where its new one is an option and it names nothing else."""
    taken = {o.flag for o in options} | {d for p in before for d in getattr(p.default, "param_decls", None) or ()}
    out = []
    for old, new in (old_flags or {}).items():
        option = next((o for o in options if o.flag == new), None)
        if option is None or old in taken:
            continue
        decls = [old] if option.kind is not bool else [f"{old}/--no-{old[2:]}"]
        default = typer.Option(None, *decls, hidden=True)
        parameter = inspect.Parameter(
            f"{option.name}__old", inspect.Parameter.KEYWORD_ONLY, annotation=option.kind | None, default=default
        )
        out.append((old, option, parameter))
    return out


def flag_renamed(old: str, new: str) -> None:
    """The one-line notice of an option given by its former name."""
    from tinymlkit.cli.ui import errors

    errors.print(
        f"notice: {old} is now {new} (the old name goes in the next release)",
        highlight=False,
        markup=False,
        soft_wrap=True,
    )


def config_command(
    config_type: type,
    body: Callable[..., None],
    doc: str,
    before: tuple = (),
    builtin_only: bool = False,
    sources: bool = False,
    defaults: dict[str, Any] | None = None,
    old_flags: dict[str, str] | None = None,
) -> Callable[..., None]:
    """A Typer command whose options are ``config_type``'s; it builds the config and calls
    ``body(config, **other)`` where ``other`` are the parameters ``before`` (e.g. an output folder argument).
    ``old_flags`` (old flag -> new flag): former option names that keep working for one release, with a notice,
    hidden from ``--help``."""
    options = config_options(config_type, builtin_only, sources, defaults)
    own = {o.name for o in options}
    old = old_flag_parameters(options, old_flags, before)

    def command(**values: Any) -> None:
        for old_flag, option, parameter in old:
            value = values.pop(parameter.name)
            if value is not None:
                flag_renamed(old_flag, option.flag)
                values[option.name] = value
        config = build_config(config_type, options, {k: v for k, v in values.items() if k in own})
        body(config, **{k: v for k, v in values.items() if k not in own})

    command.__signature__ = inspect.Signature([*before, *parameters(options), *(p for _, _, p in old)])
    command.__doc__ = doc
    return command
