"""Each setting is declared once, by the part that owns it: `.env.example` is the declarations
written out (each setting once, with its default and description, and nothing else), every part
that declares settings is collected, and bot.settings imports none of them."""

from __future__ import annotations

import ast
import importlib
import inspect
import pkgutil
from dataclasses import is_dataclass
from pathlib import Path

import bot
import bot.settings
import handlers
from app import FEATURE_SETTINGS
from bot.settings import Settings, declarations, env_example, load_settings

ENV_EXAMPLE = Path(__file__).parent.parent / ".env.example"


def test_env_example_is_written_from_the_declarations() -> None:
    assert ENV_EXAMPLE.read_text() == env_example(FEATURE_SETTINGS), (
        ".env.example differs from the settings' declarations: write it with `make env-example`"
    )


def test_every_setting_is_declared_once_with_a_description_and_a_heading() -> None:
    names = [d.env for kind in (Settings, *FEATURE_SETTINGS) for d in declarations(kind)]
    assert len(names) == len(set(names))
    for kind in (Settings, *FEATURE_SETTINGS):
        declared = declarations(kind)
        assert declared and declared[0].heading, f"{kind.__name__} starts without a heading"
        assert all(d.describe and d.invalid for d in declared)


def test_the_defaults_are_values_of_their_settings() -> None:
    settings = load_settings({}, env_file=None, require_slack=False, sections=FEATURE_SETTINGS)
    for kind in FEATURE_SETTINGS:
        assert settings.section(kind) == kind()


def test_every_part_that_declares_settings_is_collected() -> None:
    """A section declared anywhere in the product and left out of FEATURE_SETTINGS would be
    neither checked at start nor shown in `.env.example`."""
    found = set()
    for package in (bot, handlers):
        for module_info in pkgutil.walk_packages(package.__path__, package.__name__ + "."):
            if module_info.name.endswith("__main__"):
                continue
            module = importlib.import_module(module_info.name)
            for _, value in inspect.getmembers(module, inspect.isclass):
                ours = value.__module__ == module.__name__ and is_dataclass(value)
                if ours and declarations(value):
                    found.add(value)
    assert found == {Settings, *FEATURE_SETTINGS}


def test_the_settings_module_imports_no_part_of_the_bot() -> None:
    source = Path(bot.settings.__file__).read_text()
    imported = [
        node.module if isinstance(node, ast.ImportFrom) else alias.name
        for node in ast.walk(ast.parse(source))
        if isinstance(node, ast.Import | ast.ImportFrom)
        for alias in node.names
    ]
    assert not [name for name in imported if name and name.split(".")[0] in {"bot", "handlers"}]
