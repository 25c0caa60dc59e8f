"""A subcommand's usage is written once, in its declaration (the docstring that
bot.shared.commands reads); answers, errors and hints read it there (`usage_of`, `Usage`), so
none can drift."""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from app import FEATURES
from bot.features import Features
from bot.shared.commands import usage_of
from bot.shared.replies import escape
from devkit.offline import OfflineBot

COMMANDS = Features(FEATURES).commands

ROOT = Path(__file__).resolve().parents[1]
SOURCES = ("app.py", "bot", "handlers", "storage", "devkit")
_COMMAND = "|".join(re.escape(command.name) for command in COMMANDS)
# A slash command followed, before the string or its backticks end, by a placeholder.
USAGE_SHAPED = re.compile(rf"(?:{_COMMAND})\b[^`\"\n]*?(?:<|\[|&lt;|@handle\b|@host\b)")
# Example sentences: a command for the one thing just shown, or a filled-in example; not a
# usage, so not read from the declaration. `{}` stands for what the f-string fills in.
EXAMPLES = {
    "/feedback @{} <note>": "a note about the creator just named (the handle filled in)",
    "/seller edit {note} {text}": "editing the seller note just saved (its number and, in the "
    "reader's language, `<text>` filled in)",
    "/digest subscribe #channel thu 10:00 category:<name>": "an example of the options the "
    "subscribe form leaves out",
}


def _docstrings(tree: ast.AST) -> set[int]:
    """The string constants that are documentation: module, class, function and attribute
    docstrings (a string standing alone as a statement)."""
    found = set()
    for node in ast.walk(tree):
        body = getattr(node, "body", None)
        for statement in body if isinstance(body, list) else []:
            if (
                isinstance(statement, ast.Expr)
                and isinstance(statement.value, ast.Constant)
                and isinstance(statement.value.value, str)
            ):
                found.add(id(statement.value))
    return found


def _strings(tree: ast.AST) -> Iterator[tuple[int, str]]:
    """Each string the code builds (f-strings with `{}` for what they fill in), by line."""
    skipped = _docstrings(tree)
    for node in ast.walk(tree):
        if isinstance(node, ast.JoinedStr):
            skipped.update(id(value) for value in node.values)
            text = "".join(v.value if isinstance(v, ast.Constant) else "{}" for v in node.values)
            yield node.lineno, str(text)
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Constant)
            and isinstance(node.value, str)
            and id(node) not in skipped
        ):
            yield node.lineno, node.value


def _trees() -> Iterator[tuple[str, ast.AST]]:
    for source in SOURCES:
        found = ROOT / source
        for path in [found] if found.is_file() else sorted(found.rglob("*.py")):
            yield str(path.relative_to(ROOT)), ast.parse(path.read_text(), str(path))


def test_no_usage_is_retyped_outside_its_declaration() -> None:
    retyped = [
        f"{name}:{line}: {text!r}"
        for name, tree in _trees()
        for line, text in _strings(tree)
        if USAGE_SHAPED.search(text) and text not in EXAMPLES
    ]
    assert retyped == [], (
        "read these from the declaration (bot.shared.commands.usage_of / Usage):\n"
        + ("\n".join(retyped))
    )


def test_every_example_is_still_written_somewhere() -> None:
    written = {text for _, tree in _trees() for _, text in _strings(tree)}
    assert set(EXAMPLES) <= written, set(EXAMPLES) - written


def test_every_usage_named_is_declared() -> None:
    declared = {(command.name, word) for command in COMMANDS for word in command.subcommands}
    named = [
        (name, node.lineno, tuple(arg.value for arg in node.args[-2:]))
        for name, tree in _trees()
        for node in ast.walk(tree)
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Name)
        and node.func.id in {"Usage", "usage_of"}
        and all(isinstance(arg, ast.Constant) for arg in node.args[-2:])
    ]
    assert named, "the scan finds the references"
    assert [n for n in named if n[2] not in declared] == []


@pytest.mark.parametrize(
    ("typed", "command", "word"),
    [
        ("/alert remove x", "/alert", "remove"),  # a usage the command module names
        ("/review subscribe #general 25:00", "/review", "subscribe"),  # its parser's usage
        ("/match @nobody.here", "/match", "for"),
        ("/feedback recent nonsense", "/feedback", "recent"),
        ("/review export nonsense", "/review", "export"),  # a period reader's, with its own usage
    ],
)
def test_an_error_shows_the_declared_usage(
    bot: OfflineBot, typed: str, command: str, word: str
) -> None:
    seen = bot.say(typed)
    assert f"Try: `{escape(usage_of(COMMANDS, command, word))}`" in seen.reply["text"], seen.text


def test_an_error_raised_in_storage_shows_the_declared_usage(bot: OfflineBot) -> None:
    seen = bot.say("/seller delete 424242")
    assert f"`{escape(usage_of(COMMANDS, '/seller', 'log'))}`" in seen.reply["text"], seen.text
