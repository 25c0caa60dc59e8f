"""Creator notes and the creator registry in German: a quick note's confirmation and card, the
note form and its errors, a history, the report with its chart, the export, the Home's
follow-ups, the creator card and `/creator levels`, and both digest sections have no English
words but names and the kept terms; their numbers and days are German (`1.000`, `10.12.2026`)."""

from __future__ import annotations

import dataclasses
import io
import re
from collections.abc import Iterator
from datetime import date, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from openpyxl import load_workbook
from slack_bolt import App, BoltRequest, BoltResponse
from sqlalchemy.engine import Engine

from app import build_app
from bot.creators.digest_sections import creator_levels
from bot.feedback.chart import topic_sentiment_figure
from bot.feedback.report import TopicCount, feedback_digest_section
from bot.settings import Settings
from bot.shared.digest_section import DigestSpec, WeekData
from bot.shared.language import Speech, speaking, workspace_speech
from bot.shared.schedule import last_full_week
from devkit.offline import OfflineBot
from storage.creators.models import Creator
from storage.db import transaction
from tests.feedback_support import NOW, answers, last_view, note_values, set_clock, submit
from tests.language_support import english_words
from tests.slack_support import markup
from tests.test_creator_levels import _change, _managed
from tests.test_feedback_reports import _seed

GERMAN = Speech("de", "de_DE")
BERLIN = ZoneInfo("Europe/Berlin")
NAMES = (
    "maria.makes",
    "tom.tidy",
    "ana.glow",
    "Maria Müller",
    "rising.star",
    "slipping.sam",
    "close.call",
    "far.away",
    "stuck.steve",
    "Liefert pünktlich & freundlich",
)
# The seeded notes' own words (tests/test_feedback_reports.py) and tags: the team's, as typed.
SEEDED = ("Sample 12 days late", "Still no sample video", "Parcel late again", "Loved the sample")


def english(text: str) -> list[str]:
    for words in SEEDED:
        text = text.replace(words, "")
    text = re.sub(r"#[\w-]+", "", text)
    return english_words(text, NAMES)


def every_text(node: Any) -> str:
    """Every text a person reads in a message or a modal: fallback, blocks, fields, buttons,
    confirmations, labels, hints, placeholders, options, titles."""
    parts: list[str] = []

    def walk(item: Any) -> None:
        if isinstance(item, dict):
            for key, value in item.items():
                if key in {"text", "title", "submit", "close"} and isinstance(value, str):
                    parts.append(value)
                elif key not in {"value", "action_id", "block_id", "url", "private_metadata"}:
                    walk(value)
        elif isinstance(item, list):
            for each in item:
                walk(each)

    walk(node)
    return "\n".join(parts)


@pytest.fixture
def settings(settings: Settings) -> Settings:
    return dataclasses.replace(settings, language="de", locale="de_DE", currency="EUR")


def speaking_app(settings: Settings, *args: Any, **kwargs: Any) -> App:
    """The app, answering in the workspace's speech. The app sets a request's speech in a
    middleware, which Bolt has left before it runs the listeners (slack_bolt's App.dispatch
    runs every middleware first); until app.py sets it around the whole dispatch, these tests
    do, with the workspace's speech (every person here reads German)."""
    app = build_app(settings, *args, **kwargs)
    dispatch = app.dispatch

    def dispatched(request: BoltRequest) -> BoltResponse:
        with speaking(workspace_speech(settings)):
            return dispatch(request)

    app.dispatch = dispatched  # type: ignore[method-assign,assignment]
    return app


@pytest.fixture
def bot(settings: Settings, engine: Engine) -> Iterator[OfflineBot]:
    with OfflineBot(speaking_app, settings, engine=engine) as offline_bot:
        offline_bot.sandbox.add_user(
            "U0MARIA", "maria", "Maria Müller", is_admin=True, locale="de-DE"
        )
        offline_bot.sandbox.add_user("U0TOM", "tom", "Tom Nguyen", locale="de-DE")
        set_clock(offline_bot, NOW)  # Thursday 3 December 2026
        yield offline_bot
        assert offline_bot.sandbox.refusals == [], "the app sent what Slack refuses"


def test_a_quick_note_its_card_and_its_buttons(bot: OfflineBot) -> None:
    reply = bot.say(
        "/feedback @maria.makes Liefert pünktlich & freundlich #samples follow-up:2026-12-10"
    ).reply
    shown = every_text(reply)
    assert "✅ Notiz über *@maria.makes* gespeichert." in shown
    facts = (
        "Muster · 🟢 Positiv · #samples · von <@U0MARIA> · ⏰ Wiedervorlage 10.12.2026 · Notiz 1"
    )
    assert facts in shown
    assert "@maria.makes war noch nicht im Verzeichnis und wurde als Interessent angelegt" in shown
    assert "Bearbeiten" in shown and "Löschen" in shown and "Diese Notiz löschen?" in shown
    assert "Behalten" in shown
    assert english(shown) == []
    followed = bot.say("/feedback mine").reply
    shown = every_text(followed)
    assert "*Offene Wiedervorlagen*" in shown and "Eigene Notizen" in shown
    assert "Notizen 1–1, neueste zuerst" in shown and "Erledigt" in shown
    assert english(shown) == []


def test_the_note_form_and_its_errors(bot: OfflineBot) -> None:
    bot.say("/feedback")
    view = last_view(bot)
    shown = every_text(view)
    assert "Creator-Feedback" in shown and "Speichern" in shown and "Abbrechen" in shown
    assert "Wiedervorlage am" in shown and "Logistik" in shown and "🔴 Negativ" in shown
    assert english(shown) == []
    values = note_values(handle=None, follow_up=date(2026, 12, 1))
    errors = submit(bot, view, values).json()["errors"]
    assert errors["creator"] == "Einen Creator wählen oder ein neues Handle eingeben."
    assert errors["follow_up"] == "Für die Wiedervorlage heute oder einen späteren Tag wählen."
    assert english(" ".join(errors.values())) == []


def test_a_notes_history_and_the_errors_of_typing(bot: OfflineBot) -> None:
    bot.say("/feedback @maria.makes Liefert pünktlich & freundlich")
    seen = every_text(bot.say("/feedback history 1").reply)
    assert "Verlauf der Notiz 1 über @maria.makes" in seen
    for typed, says in (
        ("/feedback list", "Angeben, wessen Notizen aufgelistet werden sollen."),
        ("/feedback history", "Die Notiz angeben: Ihre Nummer steht in `/feedback mine`."),
        ("/feedback @maria.makes", "Die Notiz nach `@maria.makes` schreiben."),
        ("/feedback list @nobody.here", "Noch kein Creator `@nobody.here` im Verzeichnis."),
    ):
        assert says in markup(bot.say(typed).reply), typed


def test_the_report_its_chart_and_the_export(bot: OfflineBot, engine: Engine) -> None:
    _seed(engine, bot.sandbox.team_id)
    bot.client.slash_command("/feedback", "report")
    [posted] = answers(bot, 1)
    shown = every_text(posted)
    assert "Creator-Feedback 30.11. – 02.12.2026" in shown
    assert "2026: 4 Notizen (▲ 3 ggü. den 3 Tagen davor)" in shown
    assert "🟢 1 ⚪ 0 🔴 3; 2 offene Wiedervorlagen" in shown
    assert "*Notizen nach Thema*" in shown and "*Muster* — 3: 🟢 1 · ⚪ 0 · 🔴 2" in shown
    assert "#samples 3 (neu)" in shown and "2 negativ von 2" in shown
    assert "*Offene Wiedervorlagen:* 2 (1 überfällig)" in shown
    assert "— @maria.makes, Muster" in shown
    assert english(shown) == []
    [chart] = [f for f in bot.sandbox.files.values() if f.filename.endswith(".png")]
    assert chart.title == "Feedback nach Thema und Stimmung, 30.11. – 02.12.2026"

    bot.client.slash_command("/feedback", "export 30d", user_id="U0TOM")
    sent = answers(bot, 2)[-1]["text"]
    assert sent == "7 Notizen seit 2026-11-03 als Excel-Arbeitsmappe per DM gesendet."
    [book] = [f for f in bot.sandbox.files.values() if f.filename.endswith(".xlsx")]
    assert book.content is not None
    sheet = load_workbook(io.BytesIO(book.content)).active
    assert sheet.title == "Notizen"
    table = list(sheet.iter_rows(values_only=True))
    assert {row[5] for row in table[1:]} == {"positiv", "neutral", "negativ"}
    header = [str(cell) for cell in table[0]]
    assert header[:6] == [
        "Notiz",
        "Geschrieben",
        "Creator",
        "Name des Creators",
        "Thema",
        "Stimmung",
    ]
    assert english(" ".join(header)) == []


def test_the_chart_and_the_digest_section_in_german(engine: Engine) -> None:
    topics = [TopicCount("samples", {"positive": 1, "neutral": 0, "negative": 2})]
    with speaking(GERMAN):
        figure = topic_sentiment_figure(topics, "Titel")
        [axes] = figure.axes
        legend = axes.get_legend()
        assert legend is not None
        assert [t.get_text() for t in legend.get_texts()] == ["Positiv", "Neutral", "Negativ"]
        assert axes.get_xlabel() == "Notizen"
        assert [t.get_text() for t in axes.get_yticklabels()] == ["Muster"]
        _seed(engine, "T0GERMAN")
        week = NOW.date() - timedelta(days=NOW.date().weekday())
        report = feedback_digest_section(engine, "T0GERMAN", week, BERLIN, NOW.date())
    assert "Notizen" in report.line and english(report.line) == []


def test_the_homes_follow_ups(bot: OfflineBot) -> None:
    bot.say("/feedback @maria.makes Liefert pünktlich & freundlich follow-up:2026-12-03")
    opened = {"type": "app_home_opened", "user": "U0MARIA", "tab": "home"}
    assert bot.client.event(opened).status == 200
    bot.settle()
    [*_, published] = bot.sandbox.calls("views.publish")
    shown = markup(published.response["view"])
    assert "*Fällige Wiedervorlagen* (1)" in shown


@pytest.fixture
def creators(bot: OfflineBot, engine: Engine) -> dict[str, int]:
    team = bot.sandbox.team_id
    ids = {}
    with transaction(engine) as session:
        for handle, level, gmv in (
            ("maria.makes", 3, 123_456),
            ("rising.star", 5, None),
            ("slipping.sam", 2, None),
            ("far.away", 3, None),
        ):
            creator = Creator(
                team_id=team,
                handle=handle,
                display_name="Maria Müller" if handle == "maria.makes" else "",
                level=level,
                followers=12_345,
                gmv_cents=gmv,
                orders=1,
                videos=2,
            )
            session.add(creator)
            session.flush()
            assert creator.id is not None
            ids[handle] = creator.id
    _change(engine, ids["rising.star"], 5, 3, date(2026, 12, 1))
    _change(engine, ids["slipping.sam"], 2, 3, date(2026, 12, 1))
    _change(engine, ids["maria.makes"], 3, None, date(2026, 11, 2))
    _managed(engine, ids["far.away"])
    return ids


def test_the_creator_card(bot: OfflineBot, creators: dict[str, int]) -> None:
    bot.say("/feedback @maria.makes Liefert pünktlich & freundlich")
    shown = every_text(bot.say("/creator @maria.makes").reply)
    assert "*Level*\nL3 seit 02.11.2026" in shown
    assert "Level-Verlauf: neu → L3 am 02.11.2026" in shown
    assert "*Phase*\nInteressent" in shown and "*Follower*\n12.345" in shown
    assert "EUR 1.234,56" in shown and "1 Bestellung, 2 Videos" in shown
    assert "Notiz hinzufügen" in shown and "Alle Notizen" in shown
    assert "*Stimmung* (1 neueste Notiz): 🟢 (zu wenige Notizen für einen Trend)" in shown
    assert english(shown) == []


def test_creator_levels_and_the_digest(
    bot: OfflineBot, engine: Engine, creators: dict[str, int]
) -> None:
    shown = every_text(bot.say("/creator levels").reply)
    assert "Creator-Level · Dezember 2026" in shown
    assert "*Aufgestiegen* (1)\n@rising.star L3 → L5" in shown
    assert "L3 1.000, L4 5.000" in shown and "L8 500.000" in shown
    assert "@far.away L3 (nie geändert) <@U0TOM>" in shown
    assert english(shown) == []
    week = last_full_week(date(2026, 12, 7))
    with speaking(GERMAN):
        spec = DigestSpec(bot.sandbox.team_id, week, None, "Europe/Berlin")
        part = creator_levels(WeekData(engine, spec))
    assert part is not None
    assert part.text.startswith("*Creator-Level* · 1 auf, 1 ab: @rising.star L3 → L5")
    assert english(part.text) == []
