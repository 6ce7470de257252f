"""``python -m tinymlkit`` runs the ``tinyml`` command."""

from tinymlkit.cli import main

main()
