"""The layout is the architecture: each capability a folder, imports only running down
the layers (the README's map of the code names them), no two modules importing each
other, and a wheel that carries every SQL file and nothing at a generic top level."""

import ast
from pathlib import Path

from tests.conftest import ROOT

PACKAGE = ROOT / "buildings"
# From the bottom up. A module may import its own package and the layers below it; two
# packages of one layer never import each other, but for the entry points at the top.
LAYERS = (
    ("postgres",),  # which server, and the embedded one
    ("core",),  # models, criteria, the report and its one statement, the SQL loader
    ("derived",),  # kept from the buildings: the live summary, the view, the data version
    ("cluster",),  # several servers: the shards' aggregates, placement, routed writes
    ("ingest", "analysis"),  # writing the buildings; reading them into a report
    ("bench", "schema"),  # measuring the strategies; migrations' operations and checks
    ("dashboard",),  # the pages
    ("project", "management", "migrations", "apps", "__main__"),  # entry points
)
LAYER = {name: level for level, names in enumerate(LAYERS) for name in names}


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports(path: Path) -> set[str]:
    """Every module of ours the file imports, at the top or inside a function."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
            found |= {f"{node.module}.{alias.name}" for alias in node.names}
    return {name for name in found if name.split(".")[0] == "buildings"}


def known_modules() -> dict[str, Path]:
    return {module_name(p): p for p in PACKAGE.rglob("*.py")}


def graph() -> dict[str, set[str]]:
    modules = known_modules()
    return {name: {m for m in imports(path) if m in modules and m != name}
            for name, path in modules.items()}


def part(module: str) -> str:
    if module == "buildings.models":  # where Django looks for the core's models
        return "core"
    return module.split(".")[1] if "." in module else "__init__"


def test_every_package_has_a_layer():
    assert {part(m) for m in known_modules()} - {"__init__"} <= set(LAYER)


def test_imports_only_run_down_the_layers():
    wrong = []
    for module, imported in graph().items():
        for target in imported:
            here, there = part(module), part(target)
            if here == there or there == "__init__":
                continue
            top = LAYER[here] == len(LAYERS) - 1
            if LAYER[there] > LAYER[here] or (LAYER[there] == LAYER[here] and not top):
                wrong.append(f"{module} imports {target}")
    assert not wrong, "\n".join(sorted(wrong))


def test_no_two_modules_import_each_other():
    edges = graph()
    cycles = []
    state: dict[str, int] = {}  # 1 on the current path, 2 done

    def visit(module: str, path: list[str]) -> None:
        state[module] = 1
        for target in sorted(edges[module]):
            if state.get(target) == 1:
                cycles.append(" -> ".join([*path[path.index(target):], target]))
            elif target not in state:
                visit(target, [*path, target])
        state[module] = 2

    for module in sorted(edges):
        if module not in state:
            visit(module, [module])
    assert not cycles, "\n".join(cycles)


def test_each_capability_keeps_its_sql_beside_it():
    """No SQL at the root: every .sql file sits in the sql/ folder of the package whose
    Python runs it (or of the migrations, which hold theirs)."""
    assert not (ROOT / "sql").exists()
    for path in ROOT.rglob("*.sql"):
        if ".venv" in path.parts or "build" in path.parts:
            continue
        assert "sql" in path.relative_to(PACKAGE).parts[:-1], path
