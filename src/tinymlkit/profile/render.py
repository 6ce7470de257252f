"""Render a :class:`~tinymlkit.profile.Profile` as JSON and as a self-contained HTML page (inline SVG charts)."""

from pathlib import Path

from tinymlkit.deploy.render import environment
from tinymlkit.fileio import to_jsonable, write_json, write_text
from tinymlkit.profile.profiler import Profile

TEMPLATES = Path(__file__).parent / "templates"
BAR_WIDTH = 560  # pixels of the longest bar in the per-layer charts


def profile_dict(profile: Profile) -> dict:
    """The profile as plain JSON values, with the derived verdicts spelled out."""
    data = to_jsonable(profile)
    data["runnable"] = profile.runnable
    data["hybrid"] = profile.hybrid
    if profile.fit is not None:
        data["fit"]["flash_share"] = round(profile.fit.flash_share, 4)
        data["fit"]["ram_share"] = round(profile.fit.ram_share, 4)
    return data


def write_profile_json(profile: Profile, path: str | Path) -> Path:
    """Write the profile as JSON (atomically)."""
    return write_json(path, profile_dict(profile))


def render_html(profile: Profile) -> str:
    """One HTML page: totals, problems and fixes, board fit, per-layer table and bar charts; no external assets."""
    layers = profile.layers
    max_macs = max((layer.macs for layer in layers), default=0) or 1
    max_live = max((layer.live_bytes for layer in layers), default=0) or 1
    bars = [
        {
            "label": f"{layer.index} {layer.op}",
            "macs": layer.macs,
            "macs_width": round(BAR_WIDTH * layer.macs / max_macs, 1),
            "live": layer.live_bytes,
            "live_width": round(BAR_WIDTH * layer.live_bytes / max_live, 1),
            "peak": layer.index == profile.peak_layer,
        }
        for layer in layers
    ]
    return (
        environment(TEMPLATES, autoescape=True)
        .get_template("profile.html.j2")
        .render(p=profile, bars=bars, bar_width=BAR_WIDTH)
    )


def write_profile_html(profile: Profile, path: str | Path) -> Path:
    """Write the HTML page (atomically)."""
    return write_text(path, render_html(profile))
