"""The built-in applications, one package each: recipe, data and synthesizer, device features, sketch templates
and CLI. ``tinymlkit.kws`` (or :func:`recipes`) gives an application's recipe object."""

from collections.abc import Callable
from importlib import import_module

APPS = ("kws", "wand", "person", "anomaly", "sine")


def recipes() -> dict:
    """Every built-in recipe by name."""
    return {name: import_module(f"tinymlkit.apps.{name}.recipe").recipe for name in APPS}


def recipe_names(package: str) -> Callable[[str], object]:
    """A module ``__getattr__`` for an application package: its recipe module's names, imported on first use, so
    ``from tinymlkit.apps.kws import KwsConfig, run`` keeps working without making the package heavy."""

    def __getattr__(name: str) -> object:
        if name.startswith("__"):
            raise AttributeError(name)
        module = import_module(f"{package}.recipe")
        try:
            return getattr(module, name)
        except AttributeError:
            raise AttributeError(f"module '{package}' has no attribute '{name}'") from None

    return __getattr__
