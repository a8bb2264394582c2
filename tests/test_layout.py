"""The package is laid out as its pipeline: a stage imports only from the stages before it.

core -> output -> read -> join -> analysis -> plan -> render -> pipeline -> batch -> cli. Every import
counts, also those inside functions (a lazy import is still a dependency). No import cycle between
modules, and no function longer than 60 lines. The QGIS plugin (serang_gis/qgis_plugin) stands apart: it runs
in QGIS's own Python, zipped on its own, so it imports nothing of the package but itself, and nothing imports it.
"""

import ast
from pathlib import Path

import pytest

PKG = Path(__file__).resolve().parents[1] / "serang_gis"
PLUGIN = "serang_gis.qgis_plugin"
STAGES = ["core", "output", "read", "join", "analysis", "plan", "render", "pipeline", "batch", "cli"]
MAX_LINES = 60


def _modules():
    for path in sorted(PKG.rglob("*.py")):
        rel = path.relative_to(PKG).with_suffix("")
        parts = list(rel.parts)
        if parts[-1] == "__init__":
            parts = parts[:-1]
        if not parts or parts == ["__main__"]:
            continue  # the package root only re-exports lazily; __main__ calls the CLI
        yield "serang_gis." + ".".join(parts), path


def _imports(name: str, path: Path):
    """Absolute names of the serang_gis modules (or names in them) that a module imports."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    is_pkg = path.name == "__init__.py"
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for a in node.names:
                if a.name.startswith("serang_gis"):
                    yield a.name, node.lineno
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = name.split(".") if is_pkg else name.split(".")[:-1]
                base = base[: len(base) - node.level + 1]
                mod = ".".join(base + ([node.module] if node.module else []))
            else:
                mod = node.module or ""
            if mod.startswith("serang_gis"):
                for a in node.names:
                    yield f"{mod}.{a.name}", node.lineno


def _stage(name: str) -> int | None:
    parts = name.split(".")
    return STAGES.index(parts[1]) if len(parts) > 1 and parts[1] in STAGES else None


MODULES = dict(_modules())


def _target(imported: str) -> str:
    """The module an imported name lives in (serang_gis.core.text.t -> serang_gis.core.text)."""
    while imported not in MODULES and "." in imported:
        imported = imported.rsplit(".", 1)[0]
    return imported


def _plugin(name: str) -> bool:
    return name == PLUGIN or name.startswith(PLUGIN + ".")


def test_every_module_belongs_to_a_stage():
    assert [m for m in MODULES if _stage(m) is None and not _plugin(m)] == []


def test_the_qgis_plugin_imports_only_itself_and_nothing_imports_it():
    wrong = [f"{path.relative_to(PKG.parent)}:{line} imports {imported}" for name, path in MODULES.items()
             for imported, line in _imports(name, path) if _plugin(name) != _plugin(_target(imported))]
    assert wrong == []


def test_no_import_from_a_later_stage():
    upward = []
    for name, path in MODULES.items():
        for imported, line in _imports(name, path):
            target = _target(imported)
            if _plugin(name) and _plugin(target):
                continue  # checked apart
            if target == "serang_gis" or _stage(target) is None:
                upward.append(f"{path.relative_to(PKG.parent)}:{line} imports the package root ({imported})")
            elif _stage(target) > _stage(name):
                upward.append(f"{path.relative_to(PKG.parent)}:{line} imports {imported} ({STAGES[_stage(target)]} "
                              f"comes after {STAGES[_stage(name)]})")
    assert upward == []


def test_no_import_cycle():
    graph = {name: {_target(i) for i, _ in _imports(name, path)} - {name} for name, path in MODULES.items()}
    # a package's __init__ is not an edge back: importing serang_gis.read.x runs serang_gis.read first
    graph = {n: {t for t in ts if not n.startswith(t + ".")} for n, ts in graph.items()}
    state, cycles = {}, []

    def visit(node, trail):
        state[node] = "open"
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == "open":
                cycles.append(" -> ".join(trail[trail.index(nxt):] + [nxt]))
            elif nxt not in state:
                visit(nxt, trail + [nxt])
        state[node] = "done"

    for n in sorted(graph):
        if n not in state:
            visit(n, [n])
    assert cycles == []


@pytest.mark.parametrize("name", sorted(MODULES))
def test_functions_are_short(name):
    tree = ast.parse(MODULES[name].read_text(encoding="utf-8"))
    long = [f"{node.name} ({node.end_lineno - node.lineno + 1} lines, line {node.lineno})"
            for node in ast.walk(tree) if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef))
            and node.end_lineno - node.lineno + 1 > MAX_LINES]
    assert long == []


def test_the_text_catalogue_defines_each_key_once():
    """Two branches merged into serang_gis/core/text.py can both define a key: the later silently wins (found after a
    merge left two 'strength.note'). Each dict literal of the catalogue holds each key once."""
    import ast
    import collections

    tree = ast.parse((PKG / "core" / "text.py").read_text(encoding="utf-8"))
    twice = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Dict):
            keys = [k.value for k in node.keys if isinstance(k, ast.Constant)]
            twice += [k for k, n in collections.Counter(keys).items() if n > 1]
    assert twice == []
