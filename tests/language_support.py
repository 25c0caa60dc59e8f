"""Reading an answer for words of the wrong language: what the German answers are checked with.

An English word is one the English texts of the catalogs use (or a day or month name, or a
common English word) that no German translation uses too: `Creator`, a loanword the German texts
use, passes; `orders` does not. Names (of sellers, creators, channels) are the test's own and
left out by the caller; the terms kept in English (`KEPT_TERMS`) pass.
"""

from __future__ import annotations

import re
from functools import lru_cache

from babel import Locale

from bot.shared.language import KEPT_TERMS, catalog_files
from devkit.messages import read

WORD = re.compile(r"[^\W\d_]{2,}", re.UNICODE)
ENGLISH_CALENDAR = (
    "January February March April May June July August September October November December "
    "Jan Feb Mar Apr Jun Jul Aug Sep Sept Oct Nov Dec Monday Tuesday Wednesday Thursday Friday "
    "Saturday Sunday Mon Tue Wed Thu Fri Sat Sun today yesterday week weeks month months year"
)
COMMON_ENGLISH = (
    "the and of to for on with by no not this last since day days from than was were is are has "
    "have had will would should could can may more less up down vs per each all none only yet "
    "there here what which who when where how why your you our we it its be been into out over "
    "under new old open closed done saved sent total average best worst top other same "
    "orders order sales seller sellers creator creators note notes review reviews report data "
    "change changes target targets help type try again see show shows shown missing unknown"
)
SLACK_MARKUP = re.compile(r"<[^>]*>|`[^`]*`|:[a-z0-9_+-]+:")


def _texts(text: str | tuple[str, ...] | None) -> list[str]:
    return [text or ""] if not isinstance(text, tuple) else list(text)


def _german_calendar() -> set[str]:
    """German names of days and months as Babel writes them, abbreviations too (`Do.`, `Sept.`)."""
    german = Locale.parse("de_DE")
    names: set[str] = set()
    for table in (german.days, german.months):
        for context in table.values():
            for width in context.values():
                names.update(str(name) for name in width.values())
    return {word.lower() for name in names for word in WORD.findall(name)}


@lru_cache(maxsize=1)
def _german_words() -> frozenset[str]:
    words: set[str] = _german_calendar()
    for path in catalog_files("de"):
        for message in read(path, "de"):
            for text in _texts(message.string):
                words.update(word.lower() for word in WORD.findall(text))
    return frozenset(words)


@lru_cache(maxsize=1)
def _english_words() -> frozenset[str]:
    words = {word.lower() for word in (ENGLISH_CALENDAR + " " + COMMON_ENGLISH).split()}
    for path in catalog_files("de"):
        for message in read(path, "de"):
            for text in _texts(message.id):
                words.update(word.lower() for word in WORD.findall(text))
    kept = {word.lower() for term in KEPT_TERMS for word in WORD.findall(term)}
    return frozenset(words - _german_words() - kept)


def english_words(text: str, names: tuple[str, ...] = ()) -> list[str]:
    """The English words in `text` (a German answer), leaving out Slack's markup (mentions,
    links, `code`: commands stay as typed, emoji names) and the `names` the test gave things."""
    for name in names:
        text = text.replace(name, " ")
    text = SLACK_MARKUP.sub(" ", text)
    english = _english_words()
    return [word for word in WORD.findall(text) if word.lower() in english]
