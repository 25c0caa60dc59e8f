"""The message catalogs kept in step with the source: `make messages` (`python -m devkit.messages`).

Each part of the product has its catalog in every language (`bot/locale/de/<part>.po`): a
feature's part is its packages in bot/ and handlers/ (`kpi`: bot/kpi, handlers/kpi), `shared` is
the rest of bot/ and handlers/ (the plumbing and the shared home), `storage` is storage/. The
sentences are the English texts wrapped in `_()`, `ngettext()`, `pgettext()` or `N_()`
(bot.shared.language). Updating keeps every translation whose English text is unchanged, adds
the new texts untranslated and drops the gone ones; tests/test_catalogs.py fails while a
text has no translation.
"""

from __future__ import annotations

import ast
import sys
from collections.abc import Iterable, Iterator
from datetime import UTC, datetime
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_file
from babel.messages.pofile import read_po, write_po

from bot.shared.commands import doc_summary
from bot.shared.language import CATALOGS, KEPT_TERMS, LANGUAGES, SOURCE_LANGUAGE

ROOT = Path(__file__).resolve().parent.parent
KEYWORDS = {"_": None, "ngettext": (1, 2), "pgettext": ((1, "c"), 2), "N_": None, "Nn_": (1, 2)}
SHARED = "shared"
STABLE_DATE = datetime(2026, 12, 7, tzinfo=UTC)  # the headers change only with their texts
LANGUAGE_TEAMS = {"de": "German"}
HEADER = """\
# {language} texts of shopbot: {part}.
# Kept in step with the source by `make messages`; every text is translated
# (tests/test_catalogs.py).
# Style: business {language} in the neutral, short tone of software; no form of address where a
# sentence can do without one, the polite form where it cannot.
# Kept in English on purpose, as the team says them: {kept}.
#"""
STORAGE = "storage"


def features() -> list[str]:
    """The features, as the packages of bot/ and handlers/ name them (shared is none)."""
    return sorted(
        {
            path.name
            for top in ("bot", "handlers")
            for path in (ROOT / top).iterdir()
            if path.is_dir() and (path / "__init__.py").exists() and path.name != SHARED
        }
    )


def part_of(path: Path) -> str:
    """Which part's catalog a source file's texts go to."""
    relative = path.relative_to(ROOT).parts
    if relative[0] == STORAGE:
        return STORAGE
    if len(relative) > 2 and relative[1] in features():
        return relative[1]
    return SHARED


def sources() -> Iterator[Path]:
    for top in ("bot", "handlers", "storage"):
        yield from sorted((ROOT / top).rglob("*.py"))


def _is_subcommand(decorator: ast.expr) -> bool:
    """`@SELLER.subcommand("gaps", …)`: a subcommand's declaration (bot.shared.commands)."""
    call = decorator.func if isinstance(decorator, ast.Call) else decorator
    return isinstance(call, ast.Attribute) and call.attr == "subcommand"


def command_texts(path: Path) -> Iterator[tuple[int, str]]:
    """(line, text) of the help's texts declared in a source file: a slash command's summary
    (`SlashCommand("/seller", "seller profiles: …")`) and each subcommand's, the phrase after
    its usage in the docstring; the help shows them with `_()` (bot.shared.help)."""
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "SlashCommand":
            summary = node.args[1] if len(node.args) > 1 else None
            if isinstance(summary, ast.Constant) and isinstance(summary.value, str):
                yield node.lineno, summary.value
        elif isinstance(node, ast.FunctionDef) and any(map(_is_subcommand, node.decorator_list)):
            said = doc_summary(ast.get_docstring(node))
            if said:
                yield node.lineno, said


def templates() -> dict[str, Catalog]:
    """Every part's texts as found in the source, with where each is written."""
    parts: dict[str, Catalog] = {}
    for path in sources():
        part = part_of(path)
        template = parts.setdefault(
            part, Catalog(domain=part, fuzzy=False, creation_date=STABLE_DATE)
        )
        for line, message, comments, context in extract_from_file(
            "python", str(path), keywords=KEYWORDS, comment_tags=("Translators:",)
        ):
            where = (str(path.relative_to(ROOT)), line)
            template.add(message, locations=[where], auto_comments=comments, context=context)
        for line, summary in command_texts(path):
            where = (str(path.relative_to(ROOT)), line)
            template.add(summary, locations=[where], auto_comments=["A command's help line."])
    return parts


def catalog_path(language: str, part: str) -> Path:
    return CATALOGS / language / f"{part}.po"


def read(path: Path, language: str) -> Catalog:
    with path.open("rb") as file:
        return read_po(file, locale=language)


def update(languages: Iterable[str]) -> list[str]:
    """Brings every catalog in step with the source; what it wrote, a line per catalog."""
    written = []
    for part, template in sorted(templates().items()):
        for language in languages:
            path = catalog_path(language, part)
            if not len(template) and not path.exists():
                continue
            catalog = (
                read(path, language)
                if path.exists()
                else Catalog(locale=language, creation_date=STABLE_DATE, revision_date=STABLE_DATE)
            )
            catalog.domain, catalog.project, catalog.version = part, "shopbot", "1"
            catalog.copyright_holder = catalog.last_translator = "the shopbot team"
            catalog.language_team = LANGUAGE_TEAMS.get(language, language)
            catalog.fuzzy = False
            catalog.header_comment = HEADER.format(
                language=catalog.language_team, part=part, kept=", ".join(KEPT_TERMS)
            )
            catalog.update(template, no_fuzzy_matching=True)
            catalog.obsolete.clear()
            path.parent.mkdir(parents=True, exist_ok=True)
            with path.open("wb") as file:
                # No line numbers, sorted by text: an edit elsewhere in a file changes no catalog.
                write_po(file, catalog, width=100, sort_output=True, include_lineno=False)
            missing = sum(1 for message in catalog if message.id and not message.string)
            shown = path.relative_to(ROOT)
            written.append(f"{shown}: {len(catalog)} texts, {missing} untranslated")
    return written


def main() -> int:
    languages = [language for language in LANGUAGES if language != SOURCE_LANGUAGE]
    for line in update(languages):
        print(line)
    return 0


if __name__ == "__main__":
    sys.exit(main())
