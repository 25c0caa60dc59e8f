"""The language an answer is written in, and its sentences in that language.

Every sentence a person reads is written in English in the source, wrapped in `_()` (or
`ngettext()` where a count decides the form), and looked up at the moment it is written in the
message catalogs of the answer's language (gettext, read with Babel): `bot/locale/<language>/`
holds one catalog per part of the product (`kpi.po`, `digest.po`, `shared.po`, …, as
`make messages` extracts them). English is the source and needs no catalog.

Which language: an answer is written in one `Speech` — its language, and the locale whose
formats its numbers, dates and names of days and months follow (`bot.shared.numbers`), so one
answer has one style. The request's or the post's speech is set where it starts (the app's
middleware for what a person asked, the delivery run for what is posted to a channel, the
reminder loop for a DM) with `speaking(...)`, and read here; what runs in another thread takes it
along (the lazy-listener runner). Outside any, the speech is English with the default locale.

A text defined once at import time (a label in a table) is marked with `N_()`, which only marks it
for the catalogs, and translated where it is shown: `_(label)`.
"""

from __future__ import annotations

import gettext as gettext_module
import io
import re
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

SOURCE_LANGUAGE = "en"
LANGUAGES: dict[str, str] = {"en": "en_US", "de": "de_DE"}
"""The languages shopbot writes, each with the locale its formats take when the workspace's own
locale (`SHOPBOT_LOCALE`) is of another language."""
KEPT_TERMS = ("GMV", "LIVE", "GPM", "AOV", "KPI", "Slack", "TikTok", "Seller Center", "Excel")
"""Terms every language keeps in English, as the team says them (the catalogs' notes list them,
and tests/test_catalogs.py checks that a translation keeps each one its English text has)."""
CATALOGS = Path(__file__).resolve().parent.parent / "locale"
"""`bot/locale/<language>/<part>.po`: the catalogs, read once per process."""


@dataclass(frozen=True)
class Speech:
    """The language of an answer and the locale of its formats (`de`, `de_DE`)."""

    language: str = SOURCE_LANGUAGE
    locale: str = LANGUAGES[SOURCE_LANGUAGE]


ENGLISH = Speech()
_SPEECH: ContextVar[Speech | None] = ContextVar("speech", default=None)


def language_of(locale: str) -> str:
    """The language of a locale as Babel or Slack names it (`de_DE`, `de-AT`, `en`), or ''
    when it is none shopbot writes."""
    language = re.split(r"[-_]", locale.strip(), maxsplit=1)[0].lower()
    return language if language in LANGUAGES else ""


def speech_in(language: str, workspace_locale: str) -> Speech:
    """The speech for `language` in a workspace whose formats are `workspace_locale`: the
    workspace's own formats when they are of that language (a Swiss team's `de_CH` stays), else
    the language's own (an English answer in a German workspace writes `1,234.56`)."""
    language = language if language in LANGUAGES else SOURCE_LANGUAGE
    if language_of(workspace_locale) == language:
        return Speech(language, workspace_locale)
    return Speech(language, LANGUAGES[language])


def speech() -> Speech:
    """The speech of the answer being written (English, outside any)."""
    return _SPEECH.get() or ENGLISH


def speech_or(default: Speech) -> Speech:
    """The speech of the answer being written, or `default` outside any (a workspace's own,
    for formats computed where no request or post set one)."""
    return _SPEECH.get() or default


@contextmanager
def speaking(spoken: Speech) -> Iterator[Speech]:
    """Write everything inside in `spoken` (and restore the outer speech after)."""
    token = _SPEECH.set(spoken)
    try:
        yield spoken
    finally:
        _SPEECH.reset(token)


def _(message: str) -> str:
    """`message` in the answer's language."""
    return _translations(speech().language).gettext(message)


def ngettext(singular: str, plural: str, count: int) -> str:
    """The form for `count` in the answer's language (German and English both have two forms,
    other languages more: the catalog's plural rule decides)."""
    return _translations(speech().language).ngettext(singular, plural, count)


def pgettext(context: str, message: str) -> str:
    """`message` in the answer's language where the English word alone is ambiguous
    (`pgettext("weekday", "Mon")`)."""
    return _translations(speech().language).pgettext(context, message)


def N_(message: str) -> str:
    """Marks a text defined at import time for the catalogs; `_()` translates it when shown."""
    return message


def catalog_files(language: str) -> list[Path]:
    """The catalogs of `language`, one per part of the product."""
    return sorted((CATALOGS / language).glob("*.po"))


def read_catalog(language: str) -> Catalog:
    """Every part's catalog of `language`, merged into one (a message two parts both translate
    must be translated the same: tests/test_catalogs.py checks it)."""
    merged = Catalog(locale=language, domain="shopbot")
    for path in catalog_files(language):
        with path.open("rb") as file:
            part = read_po(file, locale=language)
        for message in part:
            if message.id and message.string and not message.fuzzy:
                merged.add(message.id, message.string, context=message.context)
    return merged


@lru_cache(maxsize=len(LANGUAGES))
def _translations(language: str) -> gettext_module.NullTranslations:
    """A language's catalogs, compiled once per process (a pure memo of files that only a new
    release changes); English, the source, translates to itself."""
    if language == SOURCE_LANGUAGE or not catalog_files(language):
        return gettext_module.NullTranslations()
    compiled = io.BytesIO()
    write_mo(compiled, read_catalog(language))
    compiled.seek(0)
    return gettext_module.GNUTranslations(compiled)
