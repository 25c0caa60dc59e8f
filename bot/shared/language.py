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
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.numbers import format_decimal

from bot.settings import LANGUAGES, Settings
from storage.errors import Number, Said

SOURCE_LANGUAGE = "en"
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


class Deferred:
    """A speech found only when something is written in it (a person's, which may need a call
    to Slack): a request that writes nothing, such as an event dropped, asks nothing."""

    def __init__(self, find: Callable[[], Speech]) -> None:
        self._find = find
        self._found: Speech | None = None
        self._lock = threading.Lock()

    def __call__(self) -> Speech:
        with self._lock:
            if self._found is None:
                self._found = self._find()
            return self._found


_SPEECH: ContextVar[Speech | Deferred | None] = ContextVar("speech", default=None)


def workspace_speech(settings: Settings) -> Speech:
    """The workspace's own speech: SHOPBOT_LANGUAGE in SHOPBOT_LOCALE's formats, as set."""
    return Speech(settings.language, settings.locale)


def language_of(locale: str) -> str:
    """The language of a locale as Babel or Slack names it (`de_DE`, `de-AT`, `en`), or ''
    when it is none shopbot writes."""
    language = re.split(r"[-_]", locale.strip(), maxsplit=1)[0].lower()
    return language if language in LANGUAGES else ""


def speech_in(language: str, workspace: Speech, own_locale: str = "") -> Speech:
    """The speech for `language` in a workspace whose own is `workspace` (SHOPBOT_LANGUAGE in
    SHOPBOT_LOCALE's formats, as set): the workspace's own for its language; for another, the
    reader's own locale when it is of that language (a Swiss colleague's `de_CH`), else the
    workspace's locale when it is, else the language's own formats (an English answer in a
    German workspace writes `1,234.56`)."""
    language = language if language in LANGUAGES else SOURCE_LANGUAGE
    if language == workspace.language:
        return workspace
    for locale in (own_locale, workspace.locale):
        if locale and language_of(locale) == language:
            return Speech(language, locale)
    return Speech(language, LANGUAGES[language])


def speech() -> Speech:
    """The speech of the answer being written (English, outside any)."""
    return speech_or(ENGLISH)


def speech_or(default: Speech) -> Speech:
    """The speech of the answer being written, or `default` outside any (a workspace's own,
    for formats computed where no request or post set one)."""
    spoken = _SPEECH.get()
    if spoken is None:
        return default
    return spoken() if isinstance(spoken, Deferred) else spoken


@contextmanager
def speaking(spoken: Speech | Deferred) -> Iterator[None]:
    """Write everything inside in `spoken` (and restore the outer speech after)."""
    token = _SPEECH.set(spoken)
    try:
        yield
    finally:
        _SPEECH.reset(token)


def current() -> Speech | Deferred | None:
    """The speech set where the work started, as set (found or not): what a thread of the same
    work takes along (`speaking(current())`)."""
    return _SPEECH.get()


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


def translated(said: Said) -> str:
    """What storage/ says (a UserError, an ImportRejected, a Sentence: English texts marked
    there, storage.errors), in the answer's language and filled in."""
    return said.written(_, ngettext, _number)


def _number(number: Number) -> str:
    return format_decimal(
        number.value,
        format=f"#,##0.{'0' * number.digits}" if number.digits else "#,##0",
        locale=speech().locale,
    )


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
