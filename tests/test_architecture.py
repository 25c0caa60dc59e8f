"""The structure the code keeps, read from the source with `ast` (nothing is imported).

In bot/, a feature imports bot/shared, bot's top-level plumbing and storage, never another
feature (the summarisers, digest and Home, name what they summarise), and no module of bot/ is
part of an import cycle. bot/shared, what several features
use and none owns, imports only bot/shared, the plumbing and storage: among it bot/shared/kpis,
the KPI catalogue, engine and unusual days that `/kpi`, the digest, the Home, alerts and the
seller card all read, and the action ids more than one feature's buttons carry.

storage/ is grouped by feature too (storage/sellers, storage/reviews…, each with its tables in
its models.py) and is the bottom layer: it imports neither bot/ nor handlers/, and a table is
imported from the module that defines it, never through storage/tables.py, which imports every
table module for Alembic and the tests."""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from pathlib import Path

BOT = Path(__file__).resolve().parent.parent / "bot"
SUMMARISERS = {"digest", "home"}
# Every package of bot/ is a feature, but bot/shared: a new one is kept apart from the start.
FEATURES = {path.parent.name for path in BOT.glob("*/__init__.py")} - {"shared"} - SUMMARISERS


def _modules() -> dict[str, Path]:
    modules = {}
    for path in BOT.rglob("*.py"):
        parts = path.relative_to(BOT.parent).with_suffix("").parts
        modules[".".join(parts).removesuffix(".__init__")] = path
    return modules


MODULES = _modules()


def _module_of(name: str) -> str | None:
    """The module of bot/ that importing `name` runs last (a package's module or the package)."""
    while name and name not in MODULES:
        name = name.rpartition(".")[0]
    return name or None


def _imports(path: Path, *, module_level: bool) -> Iterator[str]:
    """The bot/ modules `path` imports: all of them, or only those imported when it is (not in
    a function, nor under `if TYPE_CHECKING:`)."""

    def walk(body: list[ast.stmt], top: bool) -> Iterator[tuple[ast.stmt, bool]]:
        for node in body:
            if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
                continue
            yield node, top
            inner = top and not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
            for field in ("body", "orelse", "finalbody"):
                block = getattr(node, field, None)
                if isinstance(block, list) and all(isinstance(s, ast.stmt) for s in block):
                    yield from walk(block, inner)
            for handler in getattr(node, "handlers", []):
                yield from walk(handler.body, inner)

    for node, top in walk(ast.parse(path.read_text(encoding="utf-8")).body, True):
        if module_level and not top:
            continue
        names: list[str] = []
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names = [f"{node.module}.{alias.name}" for alias in node.names]
        for name in names:
            found = _module_of(name) if name.startswith("bot.") else None
            if found is not None:
                yield found


def _package(module: str) -> str | None:
    parts = module.split(".")
    return parts[1] if len(parts) > 2 else None


def test_no_feature_imports_another() -> None:
    crossings = set()
    for module, path in MODULES.items():
        source = _package(module)
        if source not in FEATURES:
            continue
        for imported in _imports(path, module_level=False):
            target = _package(imported)
            if target != source and target in FEATURES | SUMMARISERS:
                crossings.add((module, imported))
    assert crossings == set()


HANDLERS = BOT.parent / "handlers"
HANDLER_FEATURES = {path.parent.name for path in HANDLERS.glob("*/__init__.py")}


def _handler_crossings() -> Iterator[tuple[str, str]]:
    """(module, imported) for each import by a module of handlers/<feature>/ of another
    feature's package, in bot/ or in handlers/ (type-checking imports included)."""
    for path in sorted(HANDLERS.glob("*/*.py")):
        source = path.parent.name
        if source in SUMMARISERS:
            continue
        module = ".".join(path.relative_to(BOT.parent).with_suffix("").parts)
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
            for imported in _imported(node):
                top, _, rest = imported.partition(".")
                target = rest.partition(".")[0]
                if top == "bot" and target in FEATURES | SUMMARISERS and target != source:
                    yield module.removesuffix(".__init__"), imported
                if top == "handlers" and target in HANDLER_FEATURES and target != source:
                    yield module.removesuffix(".__init__"), imported


def test_no_handler_feature_imports_another() -> None:
    """handlers/<feature>/ (its declaration, commands and listeners) imports its own bot/
    package, bot/shared, bot's plumbing, storage and handlers' shared plumbing (answers,
    slash, forms, pages, events, workspaces), never another feature's package in bot/ or
    handlers/; the summarisers (digest, home) may name what they summarise. A feature's Home
    and digest sections are its own (bot/<feature>/home_sections.py, digest_sections.py),
    written against bot.shared.home_section and bot.shared.digest_section.

    storage/ is the layer every feature reads, as in bot/: a table of one feature read by
    another is a relation of the data (a note names a creator, a review a seller), not a
    crossing.

    A feature's entry point under another feature's command (the imports feature's `/kpi
    import`) is declared by the feature it belongs to and attached by the core
    (`Feature(added_subcommands=…)`, bot.features), not imported by the command's owner."""
    assert set(_handler_crossings()) == set()


def test_shared_imports_no_feature() -> None:
    features = FEATURES | SUMMARISERS
    found = {
        (module, imported)
        for module, path in MODULES.items()
        if module.startswith("bot.shared.")
        for imported in _imports(path, module_level=False)
        if _package(imported) in features
    }
    assert found == set()


def test_no_import_cycle_among_bot_modules() -> None:
    graph = {
        module: {imported for imported in _imports(path, module_level=True) if imported != module}
        for module, path in MODULES.items()
    }
    cycle = _a_cycle(graph)
    assert cycle is None, " → ".join(cycle or [])


def _a_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """One cycle of `graph`, as the modules along it, or None (depth-first, iterative)."""
    state: dict[str, int] = {}  # 1 on the current path, 2 done
    for root in sorted(graph):
        if root in state:
            continue
        path = [root]
        todo = [iter(sorted(graph[root]))]
        state[root] = 1
        while todo:
            following = next(todo[-1], None)
            if following is None:
                state[path.pop()] = 2
                todo.pop()
            elif state.get(following) == 1:
                return [*path[path.index(following) :], following]
            elif following not in state:
                state[following] = 1
                path.append(following)
                todo.append(iter(sorted(graph.get(following, ()))))
    return None


ROOT = BOT.parent
PRODUCT = ("bot", "handlers", "storage")
PROJECT = {"bot", "handlers", "storage", "app", "devkit"}
# Alembic loads the migrations by path, and each must carry its own SQL rather than import
# today's code (a rule of its own), so they are not read here.
NOT_MODULES = (ROOT / "storage" / "migrations",)


def _product_files() -> Iterator[Path]:
    for package in PRODUCT:
        for path in sorted((ROOT / package).rglob("*.py")):
            if not any(path.is_relative_to(skipped) for skipped in NOT_MODULES):
                yield path


def _imported(node: ast.AST) -> list[str]:
    """The modules an import statement names (absolute), or none for any other node."""
    if isinstance(node, ast.Import):
        return [alias.name for alias in node.names]
    if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
        return [node.module]
    return []


def _function_level_imports(tree: ast.Module) -> Iterator[tuple[int, str]]:
    for function in ast.walk(tree):
        if isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda):
            for node in ast.walk(function):
                for module in _imported(node):
                    yield node.lineno, module


def test_no_function_imports_a_project_module() -> None:
    """An import inside a function hides a dependency, most often one that works around an
    import cycle; project modules are imported at the top of the module. (An optional heavy
    library, such as pyarrow or readline, may still be imported where it is used.)"""
    found = [
        f"{path.relative_to(ROOT)}:{line} imports {module}"
        for path in _product_files()
        for line, module in _function_level_imports(ast.parse(path.read_text(), str(path)))
        if module.split(".")[0] in PROJECT
    ]
    assert found == []


def test_the_product_imports_neither_the_root_nor_the_devkit() -> None:
    """The composition root (app.py) imports the product, and the devkit (sandbox, demo, offline
    bot, shell) builds on it; neither is imported by bot/, handlers/ or storage/, anywhere in a
    module (type-checking imports included)."""
    found = [
        f"{path.relative_to(ROOT)}:{node.lineno} imports {module}"
        for path in _product_files()
        for node in ast.walk(ast.parse(path.read_text(), str(path)))
        for module in _imported(node)
        if module.split(".")[0] in {"app", "devkit"}
    ]
    assert found == []


def _product_imports() -> Iterator[tuple[Path, int, str]]:
    for path in _product_files():
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            for module in _imported(node):
                yield path, node.lineno, module


def test_storage_imports_neither_bot_nor_handlers() -> None:
    """storage/ is what bot/ and handlers/ build on: none of its modules imports them."""
    found = [
        f"{path.relative_to(ROOT)}:{line} imports {module}"
        for path, line, module in _product_imports()
        if path.is_relative_to(ROOT / "storage") and module.split(".")[0] in {"bot", "handlers"}
    ]
    assert found == []


def test_the_product_imports_each_table_where_it_is_defined() -> None:
    """storage/tables.py imports every table module so that SQLModel.metadata is whole, for
    Alembic's env and the tests; the product imports a table from its own module."""
    found = [
        f"{path.relative_to(ROOT)}:{line} imports {module}"
        for path, line, module in _product_imports()
        if module == "storage.tables"
    ]
    assert found == []


DOCUMENT = ROOT / "docs" / "architecture.md"


def test_the_architecture_document_names_only_paths_that_exist() -> None:
    """The map and the recipes name files and folders; each one named must be there (a
    `<placeholder>` in a path stands for any name)."""
    named = set(
        re.findall(r"`((?:app|bot|handlers|storage|devkit|tests)/[\w./-]*|app\.py)`", _text())
    )
    named |= set(re.findall(r"^\s*((?:bot|handlers|storage|devkit)/[\w./-]*)", _text(), re.M))
    missing = sorted(path for path in named if not (ROOT / path.rstrip(".")).exists())
    assert missing == []


def test_the_architecture_document_lists_every_feature() -> None:
    rows = re.findall(r"^\| (\w+) \|.*\| `handlers/\w+/` \|$", _text(), re.M)
    features = [
        path.name for path in (ROOT / "handlers").iterdir() if (path / "__init__.py").exists()
    ]
    assert sorted(rows) == sorted(features)


def _text() -> str:
    return DOCUMENT.read_text(encoding="utf-8")
