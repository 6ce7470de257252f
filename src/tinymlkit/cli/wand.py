"""``tinyml wand ...``: magic wand gestures (placeholder while being written)."""

import typer

app = typer.Typer(help="Magic wand: IMU gestures.", no_args_is_help=True)
