"""The sine application: recipe, data and synthesizer, device features, sketch templates and CLI.

Its recipe object is ``tinymlkit.sine``; the recipe module's names are available here too.
"""

from tinymlkit.apps import recipe_names

__getattr__ = recipe_names(__name__)
