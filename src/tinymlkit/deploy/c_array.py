"""A .tflite model as a C array (``model_data.cc`` / ``model_data.h``), the way firmware embeds it in flash."""

import re

from tinymlkit import __version__
from tinymlkit.deploy.render import render

BYTES_PER_LINE = 12


def c_array(model: bytes, name: str = "g_model", stem: str = "model_data", source: str = "model.tflite") -> dict:
    """The source and header files as ``{filename: text}``; the array holds exactly the bytes of ``model``."""
    if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", name):
        raise ValueError(f"'{name}' is not a C identifier")
    lines = [
        ", ".join(f"0x{b:02x}" for b in model[i : i + BYTES_PER_LINE]) + ","
        for i in range(0, len(model), BYTES_PER_LINE)
    ]
    header = f"{stem}.h"
    common = {"name": name, "version": __version__}
    return {
        f"{stem}.cc": render(
            "c_array/model_data.cc.j2", lines=lines, length=len(model), source=source, header=header, **common
        ),
        header: render("c_array/model_data.h.j2", guard=f"{stem.upper()}_H_", source_file=f"{stem}.cc", **common),
    }


def parse_c_array(text: str) -> bytes:
    """The bytes of the first ``{ 0x.., ... }`` array in C source (used to check generated files)."""
    body = text[text.index("{") + 1 : text.index("};")]
    return bytes(int(v, 16) for v in re.findall(r"0x([0-9a-fA-F]{2})", body))
