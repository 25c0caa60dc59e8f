"""Period labels in the reader's language (issue 26): `/kpi heute`, `/kpi letzte Woche`,
`/kpi KW 48`, `/kpi dieser Monat` in a German workspace name the period and what it is compared
with in German, dates as German writes them; the same answers in English are unchanged; the
period help lists German forms, examples and explanations first."""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterator
from datetime import date, timedelta

import pandas as pd
import pytest
from sqlalchemy.engine import Engine

from app import build_app
from bot.settings import Settings
from bot.shared.language import Speech, speaking
from bot.shared.periods import parse_period, period_forms, year_earlier
from bot.shared.report_periods import ReportPeriod
from devkit.offline import OfflineBot
from tests import kpi_data
from tests.language_support import english_words
from tests.slack_support import markup

SHIFT = 16  # the generated sheet moved on, so its data runs to Mon 30 Nov 2026
TODAY = kpi_data.FIRST_DAY + timedelta(days=kpi_data.DAYS + SHIFT)  # Tue 1 Dec 2026
GERMAN = Speech("de", "de_DE")


def _load(bot: OfflineBot, engine: Engine) -> pd.DataFrame:
    frame = kpi_data.generate()
    frame["date"] = (pd.to_datetime(frame["date"]) + pd.Timedelta(days=SHIFT)).dt.strftime(
        "%Y-%m-%d"
    )
    return kpi_data.load_sheet(bot, engine, frame, TODAY)


@pytest.fixture
def german(settings: Settings, engine: Engine) -> Iterator[OfflineBot]:
    workspace = dataclasses.replace(settings, language="de", locale="de_DE")
    with OfflineBot(build_app, workspace, engine=engine) as bot:
        # who types reads German: their Slack says so, as the workspace does
        bot.sandbox.add_user("U0MARIA", "maria", "Maria Lopez", is_admin=True, locale="de-DE")
        _load(bot, engine)
        yield bot
        assert bot.sandbox.refusals == []


@pytest.fixture
def english(bot: OfflineBot, engine: Engine) -> OfflineBot:
    _load(bot, engine)
    return bot


def _heading(text: str) -> str:
    """The period part of the answer's heading: what follows the scope."""
    found = re.search(r"· ([^·\n*]+?\([^)\n]*\))", text)
    assert found, text
    return found.group(1)


@pytest.mark.parametrize(
    ("words", "heading", "compared"),
    [
        ("KW 48", "KW 48 (23.11. – 29.11.2026)", "*16.11. – 22.11.*"),
        ("letzte Woche", "letzte Woche (23.11. – 29.11.2026)", "*16.11. – 22.11.*"),
        # asked on Tue 1 Dec, with data to Mon 30 Nov: the month just ended
        ("dieser Monat", "letzter Monat (01.11. – 30.11.2026)", "*02.10. – 31.10.*"),
        ("letzte 7 Tage", "letzte 7 Tage (24.11. – 30.11.2026)", "*17.11. – 23.11.*"),
        ("heute", "letzter vollständiger Tag (Mo., 30.11.2026)", "*Mo., 23.11.*"),
        ("seit 23.11.", "seit Mo., 23.11. (23.11. – 30.11.2026)", "*15.11. – 22.11.*"),
    ],
)
def test_kpi_names_the_period_in_german(
    german: OfflineBot, words: str, heading: str, compared: str
) -> None:
    text = markup(german.say(f"/kpi {words}").reply)
    assert _heading(text) == heading, text
    assert english_words(_heading(text)) == []
    line = next(line for line in text.splitlines() if line.startswith("ggü. "))
    assert compared in line, text
    assert english_words(line) == [], line


@pytest.mark.parametrize(
    ("words", "heading"),
    [
        ("KW 48", "week 48 (23 Nov – 29 Nov 2026)"),
        ("letzte Woche", "last week (23 Nov – 29 Nov 2026)"),
        ("last 7 days", "last 7 days (24 Nov – 30 Nov 2026)"),
    ],
)
def test_the_same_answers_in_english_are_unchanged(
    english: OfflineBot, words: str, heading: str
) -> None:
    text = markup(english.say(f"/kpi {words}").reply)
    assert _heading(text) == heading, text


# --- the labels themselves, in each language -------------------------------------------------

MONDAY = date(2026, 12, 7)


@pytest.mark.parametrize(
    ("words", "english", "german"),
    [
        ("today", "today (Mon 07 Dec 2026)", "heute (Mo., 07.12.2026)"),
        ("gestern", "yesterday (Sun 06 Dec 2026)", "gestern (So., 06.12.2026)"),
        ("this week", "this week (Mon 07 Dec 2026)", "diese Woche (Mo., 07.12.2026)"),
        ("mtd", "month to date (01 Dec – 07 Dec 2026)", "Monat bis heute (01.12. – 07.12.2026)"),
        ("ytd", "year to date (01 Jan – 07 Dec 2026)", "Jahr bis heute (01.01. – 07.12.2026)"),
        (
            "last 2 weeks",
            "last 2 weeks (23 Nov – 06 Dec 2026)",
            "letzte 2 Wochen (23.11. – 06.12.2026)",
        ),
        (
            "last 3 months",
            "last 3 months (01 Sep – 30 Nov 2026)",
            "letzte 3 Monate (01.09. – 30.11.2026)",
        ),
        ("nov", "November 2026 (01 Nov – 30 Nov 2026)", "November 2026 (01.11. – 30.11.2026)"),
        ("märz", "March 2026 (01 Mar – 31 Mar 2026)", "März 2026 (01.03. – 31.03.2026)"),
        ("kw 48 2025", "week 48 2025 (24 Nov – 30 Nov 2025)", "KW 48/2025 (24.11. – 30.11.2025)"),
        ("Q4", "Q4 2026 (01 Oct – 07 Dec 2026)", "Q4 2026 (01.10. – 07.12.2026)"),
        (
            "since 30.11.",
            "since Mon 30 Nov (30 Nov – 07 Dec 2026)",
            "seit Mo., 30.11. (30.11. – 07.12.2026)",
        ),
        ("last year", "last year (01 Jan – 31 Dec 2025)", "letztes Jahr (01.01. – 31.12.2025)"),
    ],
)
def test_labels_in_each_language(words: str, english: str, german: str) -> None:
    assert parse_period(words, MONDAY).describe() == english
    with speaking(GERMAN):
        described = parse_period(words, MONDAY).describe()
    assert described == german
    assert english_words(described, ("November",)) == []  # the month's German name is the same


def test_comparisons_and_a_year_earlier_in_german() -> None:
    with speaking(GERMAN):
        month = parse_period("dieser Monat", MONDAY)
        week = parse_period("letzte Woche", MONDAY)
        labels = {
            "month": month.previous().label,
            "week": week.previous().label,
            "yoy": year_earlier(week).label,
            "trailing": week.trailing_week().label,
            "as of": parse_period("heute", MONDAY).as_of(MONDAY - timedelta(days=1)).label,
            "week of": parse_period("diese Woche", MONDAY).as_of(date(2026, 11, 25)).label,
        }
    assert labels == {
        "month": "dieselben Tage des Vormonats",
        "week": "Vorperiode",
        "yoy": "letzte Woche, ein Jahr zuvor",
        "trailing": "die 7 Tage davor",
        "as of": "letzter vollständiger Tag",
        "week of": "Woche ab 23.11.",
    }
    assert month.like_for_like and not week.like_for_like
    # the same condition whatever the language
    assert parse_period("this month", MONDAY).like_for_like
    assert (
        parse_period("this month", MONDAY).previous().label == "the same days of the month before"
    )


def test_a_report_span_in_german() -> None:
    span = ReportPeriod(date(2026, 11, 1), date(2026, 11, 7))
    assert span.label() == "1 Nov – 7 Nov 2026"
    with speaking(GERMAN):
        assert span.label() == "01.11. – 07.11.2026"


def test_period_errors_in_german() -> None:
    with speaking(GERMAN):
        with pytest.raises(Exception) as unknown:
            parse_period("blubb", MONDAY)
        with pytest.raises(Exception) as week:
            parse_period("KW 54", MONDAY)
    assert "Unbekannter Zeitraum `blubb`." in str(unknown.value)
    assert "ist keine Kalenderwoche: Wochen laufen von 1 bis 53" in str(week.value)


def test_the_help_in_german_explains_in_german() -> None:
    with speaking(GERMAN):
        forms = {form.usage: form for form in period_forms("de_DE", "de")}
    assert forms["KW N"].means == "die ISO-Kalenderwoche, Montag bis Sonntag"
    assert forms["KW N"].examples[0] == "KW 48"
    assert forms["D/M"].means == "wie de_DE Tage schreibt"
    assert forms["<Zeitraum>..<Zeitraum>"].examples[0] == "01.11.2026 - 15.11.2026"
    for form in forms.values():
        assert english_words(form.means) == [], form
    # asked in German outside an answer's speech, still German; English as it was
    assert period_forms("de_DE", "de")[-1].means.startswith("vom Beginn")
    english = {form.usage: form for form in period_forms("en_US")}
    assert english["week N"].means == "the ISO calendar week, Monday to Sunday"
    assert english["M/D"].means == "as en_US writes days"
