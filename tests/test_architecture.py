"""The structure the code keeps: what may import what (read with `ast`, nothing is imported)."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
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
