"""The message catalogs: in step with the source, every text translated, and each translation
keeping what the program fills in and what Slack reads (placeholders, `code`, *bold*, the terms
kept in English)."""

from __future__ import annotations

import re
from datetime import date, time
from decimal import Decimal

import pytest
from babel.messages.catalog import Catalog, Message

from bot.shared.days import calendar_week, clock, weekday_day
from bot.shared.language import (
    ENGLISH,
    KEPT_TERMS,
    LANGUAGES,
    SOURCE_LANGUAGE,
    Speech,
    _,
    language_of,
    ngettext,
    speaking,
    speech,
)
from bot.shared.numbers import NumberStyle, no_data_since
from devkit.messages import catalog_path, read, templates

TRANSLATED = [language for language in LANGUAGES if language != SOURCE_LANGUAGE]
PARTS = templates()
GERMAN = Speech("de", "de_DE")


def _key(message: Message) -> tuple[str, str | None]:
    ident = message.id if isinstance(message.id, str) else message.id[0]
    return ident, message.context


def _keys(catalog: Catalog) -> set[tuple[str, str | None]]:
    return {_key(message) for message in catalog if message.id}


def _catalogs() -> list[tuple[str, str, Catalog]]:
    return [
        (language, part, read(catalog_path(language, part), language))
        for language in TRANSLATED
        for part in sorted(PARTS)
        if len(PARTS[part]) or catalog_path(language, part).exists()
    ]


def _forms(text: str | tuple[str, ...] | list[str] | None) -> list[str]:
    if text is None:
        return []
    return [text] if isinstance(text, str) else list(text)


PLACEHOLDER = re.compile(r"\{[^{}]*\}")


@pytest.mark.parametrize("language", TRANSLATED)
@pytest.mark.parametrize("part", sorted(PARTS))
def test_each_catalog_holds_exactly_the_texts_of_its_part(language: str, part: str) -> None:
    path = catalog_path(language, part)
    if not len(PARTS[part]):
        assert not path.exists() or not _keys(read(path, language)), f"{path} has gone texts"
        return
    assert path.exists(), f"{part} has texts but no {language} catalog: run `make messages`"
    found = _keys(read(path, language))
    wanted = _keys(PARTS[part])
    assert sorted(wanted - found) == [], f"new texts not in {path}: run `make messages`"
    assert sorted(found - wanted) == [], f"gone texts still in {path}: run `make messages`"


def test_every_text_is_translated_and_keeps_what_is_filled_in() -> None:
    problems = []
    for language, part, catalog in _catalogs():
        for message in catalog:
            if not message.id:
                continue
            english = _forms(message.id)
            translated = _forms(message.string)
            where = f"{language}/{part}.po: {english[0]!r}"
            if message.fuzzy or not all(translated) or len(translated) < len(english):
                problems.append(f"{where} is untranslated or fuzzy")
                continue
            wanted = set().union(*(PLACEHOLDER.findall(text) for text in english))
            for form in translated:
                if set(PLACEHOLDER.findall(form)) - wanted:
                    problems.append(f"{where} fills in what the English does not")
            if not message.pluralizable and set(PLACEHOLDER.findall(translated[0])) != wanted:
                problems.append(f"{where} leaves out a placeholder")
            for mark in ("`", "*"):
                if any(form.count(mark) != english[0].count(mark) for form in translated):
                    problems.append(f"{where} changes the {mark} marks")
            for term in KEPT_TERMS:
                if re.search(rf"\b{term}\b", english[0]) and not all(
                    re.search(rf"\b{term}\b", form) for form in translated
                ):
                    problems.append(f"{where} translates {term}, which stays as it is")
    assert problems == []


def test_a_text_two_parts_share_is_translated_the_same() -> None:
    seen: dict[tuple[str, tuple[str, str | None]], tuple[str, object]] = {}
    for language, part, catalog in _catalogs():
        for message in catalog:
            if not message.id:
                continue
            key = (language, _key(message))
            if key in seen:
                assert seen[key][1] == message.string, f"{message.id!r}: {seen[key][0]}, {part}"
            seen[key] = (part, message.string)


def test_english_is_the_source_and_german_is_read_from_the_catalogs() -> None:
    assert speech() == ENGLISH
    assert _("{points} pt") == "{points} pt"
    with speaking(GERMAN):
        assert _("{points} pt") == "{points} Pp."
        assert [ngettext("{count} day", "{count} days", n) for n in (1, 2, 0)] == [
            "{count} Tag",
            "{count} Tage",
            "{count} Tage",
        ]
        assert _("a text no catalog has") == "a text no catalog has"
    assert speech() == ENGLISH


def test_the_language_of_a_locale_as_babel_or_slack_names_it() -> None:
    assert [language_of(name) for name in ("de-DE", "de_AT", "EN-us", "fr-FR", "")] == [
        "de",
        "de",
        "en",
        "",
        "",
    ]


def test_one_answer_writes_numbers_days_and_weeks_in_one_style() -> None:
    style = NumberStyle("EUR", GERMAN.locale)
    with speaking(GERMAN):
        assert style.money(17655996) == "176.559,96\xa0€"
        assert style.rate(Decimal("0.015")) == "1,5\xa0%"
        assert style.points(Decimal("0.003")) == "0,30 Pp."
        assert style.decimal(Decimal("3.35"), 1) == "3,4"
        assert weekday_day(date(2026, 12, 6)) == "So., 06.12.2026"
        assert calendar_week(date(2026, 11, 30), date(2026, 12, 6)) == "KW 49 · 30.11. – 06.12.2026"
        assert clock(time(9, 0)) == "09:00 Uhr"
        assert no_data_since(date(2026, 11, 22), date(2026, 12, 6)) == (
            "keine Daten seit So., 22.11.2026 (14 Tage)"
        )
    english = NumberStyle("USD", "en_US")
    assert english.rate(Decimal("0.015")) == "1.5%"
    assert english.points(Decimal("0.003")) == "0.30 pt"
    assert weekday_day(date(2026, 12, 6)) == "Sun 06 Dec 2026"
    assert calendar_week(date(2026, 11, 30), date(2026, 12, 6)) == "week 49 · 30 Nov – 06 Dec 2026"
    assert (
        no_data_since(date(2026, 12, 5), date(2026, 12, 6))
        == "no data since Sat 05 Dec 2026 (1 day)"
    )
