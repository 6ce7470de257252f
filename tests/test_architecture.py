"""The package's shape: generic layers never import an application, and no module imports itself in a loop."""

import ast
from pathlib import Path

PACKAGE = Path(__file__).parents[1] / "src" / "tinymlkit"
GENERIC = (
    "convert",
    "runtime",
    "profile",
    "deploy",
    "evaluate",
    "optimize",
    "data",
    "models",
    "errors",
    "fileio",
    "progress",
    "report",
    "runs",
    "cache",
    "recipe",
    "pipeline",
    "train",
)


def modules() -> dict[str, Path]:
    """Every module of the package by dotted name (packages by their own name)."""
    out = {}
    for path in PACKAGE.rglob("*.py"):
        parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
        out[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = path
    return out


def imports(path: Path, known: dict[str, Path]) -> set[str]:
    """The package's modules that ``path`` imports anywhere (function bodies too); ``from pkg import mod`` counts
    as importing ``pkg.mod``."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            found |= {a.name for a in node.names if a.name.startswith("tinymlkit")}
        elif isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("tinymlkit"):
            subs = {f"{node.module}.{a.name}" for a in node.names} & set(known)
            found |= subs or {node.module}
    return found & set(known)


def graph() -> dict[str, set[str]]:
    known = modules()
    return {name: imports(path, known) - {name} for name, path in known.items()}


def test_generic_layers_never_import_an_application():
    offenders = [
        f"{m} imports {d}"
        for m, deps in graph().items()
        if m.count(".") and m.split(".")[1] in GENERIC
        for d in deps
        if d.startswith("tinymlkit.apps")
    ]
    assert offenders == []


def test_generic_layers_never_name_an_application():
    names = ("kws", "wand", "person", "anomaly", "sine")
    offenders = []
    for name, path in modules().items():
        if len(name.split(".")) > 1 and name.split(".")[1] in GENERIC:
            for node in ast.walk(ast.parse(path.read_text())):
                if isinstance(node, ast.Compare) and any(
                    isinstance(c, ast.Constant) and c.value in names for c in node.comparators
                ):
                    offenders.append(f"{name}:{node.lineno}")
    assert offenders == []


def test_no_import_cycles():
    deps = graph()
    index, low, stack, on_stack, cycles = {}, {}, [], set(), []

    def visit(v: str) -> None:  # Tarjan's strongly connected components
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in deps[v]:
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                cycles.append(sorted(component))

    for v in deps:
        if v not in index:
            visit(v)
    assert cycles == [], "\n".join(" <-> ".join(c) for c in cycles)
