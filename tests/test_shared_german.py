"""The plumbing every feature shares, written in German when the workspace's language is German:
the help's frame, what to type instead, the apology for a failure, a kept request, the pager, an
edit history, follow-ups and the notices of dropped work; and the same in English, unchanged.

The summaries of the commands and their usages are the features' declarations (their
docstrings), not the shared catalog's: the German help leaves them out of its check by name
(`FEATURE_SUMMARIES`) until the features' catalogs carry them.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from datetime import UTC, date, datetime
from types import SimpleNamespace
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy.engine import Engine

from app import FEATURES, build_app
from bot.features import Features
from bot.resume import NOTE_SET_ASIDE, tell_dropped, tell_note_set_aside
from bot.settings import Settings
from bot.shared.charts import day_span
from bot.shared.commands import SlashCommand
from bot.shared.digest_section import span
from bot.shared.follow_ups import follow_up_text
from bot.shared.handles import did_you_mean
from bot.shared.help import render_help
from bot.shared.history import Fields, history_reply
from bot.shared.language import Speech, speaking
from bot.shared.pages import Asked, pager
from bot.shared.periods import Period
from bot.shared.schedule import Schedule
from devkit.offline import OfflineBot
from handlers.answers import KEPT_ANSWER, _kept_view
from storage.authored import Edit
from storage.columns import utc_now
from storage.events import CutOff
from storage.feedback.notes import delete_note
from tests.language_support import english_words
from tests.slack_support import markup
from tests.test_faults import import_holding_the_write_lock

GERMAN = Speech("de", "de_DE")
BERLIN = ZoneInfo("Europe/Berlin")
COMMANDS = list(Features(FEATURES).commands)
FEATURE_SUMMARIES = tuple(
    sorted(
        {command.summary for command in COMMANDS}
        | {sub.summary for command in COMMANDS for sub in command.usages},
        key=len,
        reverse=True,  # a summary that holds another is left out whole
    )
)
"""The features' own words in the help (their declarations' docstrings): the features'
catalogs translate them, not the shared one."""
TYPED = tuple(
    sorted(
        {f"{c.name} {word}" for c in COMMANDS for word in [*c.subcommands, "help"]}
        | {c.name for c in COMMANDS},
        key=len,
        reverse=True,
    )
)
"""The commands as typed (`/review`, `/seller list`), which the help's plain text names."""


@pytest.fixture
def german(settings: Settings, engine: Engine) -> Iterator[OfflineBot]:
    """The app of a German team: German answers, German formats, euros, Berlin time."""
    german_settings = dataclasses.replace(
        settings, language="de", locale="de_DE", currency="EUR", timezone="Europe/Berlin"
    )
    with OfflineBot(build_app, german_settings, engine=engine) as offline_bot:
        yield offline_bot
        assert offline_bot.sandbox.refusals == [], "the app sent what Slack refuses"


def test_the_help_overview_is_framed_in_german(german: OfflineBot) -> None:
    reply = german.say("/shopbot help").reply
    shown = markup(reply)
    assert reply["blocks"][0]["text"]["text"] == "shopbot-Befehle"
    assert reply["blocks"][-1]["elements"][0]["text"] == (
        "`help` hinter einem Befehl zeigt, wie jeder Teil eingegeben wird: `/seller help`. "
        "Befehle in jedem Kanal eingeben, in dem shopbot ist, oder in einer Direktnachricht "
        "an shopbot."
    )
    assert english_words(shown, FEATURE_SUMMARIES + TYPED) == []
    assert "/kpi help" in reply["text"]  # the commands as typed


def test_a_commands_own_help_says_help_is_this_list_in_german() -> None:
    command = SlashCommand("/probe", "probe")

    @command.subcommand("run")
    def run(*_args: object) -> Any:
        """`/probe run [page:N]`: probe"""

    with speaking(GERMAN):
        reply = render_help([command])
    shown = markup(reply.payload())
    assert "• `/probe help` — diese Liste" in shown
    assert english_words(shown, ("probe",)) == []


def test_an_unknown_word_is_answered_in_german(german: OfflineBot) -> None:
    reply = german.say("/shopbot frobnicate").reply
    assert reply["text"] == (
        ":warning: `/shopbot` kennt kein `frobnicate`.\nEingabe: `/shopbot help`"
    )
    assert english_words(markup(reply)) == []


def test_an_overlong_request_is_refused_in_german_with_a_german_count(
    german: OfflineBot,
) -> None:
    reply = german.say("/shopbot status " + "y" * 5000).reply
    assert "Das ist zu lang für /shopbot (5.007 Zeichen)." in reply["text"]
    assert english_words(markup(reply)) == []


def test_a_failure_apologises_in_german_with_the_reference(
    german: OfflineBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    import handlers.shopbot.commands

    def broken(*_args: object) -> None:
        raise RuntimeError("database exploded")

    monkeypatch.setattr(handlers.shopbot.commands, "data_overview", broken)
    reply = german.say("/shopbot status").reply
    assert reply["text"].startswith(
        ":warning: Leider ist bei uns ein Fehler aufgetreten. Referenz: `"
    )
    reference = reply["text"].split("Referenz: `")[1].split("`")[0]
    assert english_words(markup(reply), (reference,)) == []


def test_the_status_is_in_german_with_german_counts_and_plurals(german: OfflineBot) -> None:
    reply = german.say("/shopbot status").reply
    shown = markup(reply)
    assert reply["blocks"][0]["text"]["text"] == "shopbot-Status"
    assert "*Verkäufer:* 0 in 0 Kategorien" in shown
    assert "*KPI-Tage:* noch keine KPI-Daten (0 Verkäufer-Tage)" in shown
    footer = reply["blocks"][-1]["elements"][0]["text"]
    assert english_words(shown.replace(footer, "")) == []


def test_a_kept_request_is_answered_in_german(german: OfflineBot, engine: Engine) -> None:
    german.client.slash_command("/feedback", "@ana.glow asked for a LIVE slot")
    team = german.sandbox.team_id
    delete_note(engine, team, 1, user_id="U0MARIA", admins=(), now=utc_now())
    with import_holding_the_write_lock(german, engine):
        response = german.client.slash_command("/feedback", "restore 1", user_id="U0MARIA")
        said = response.json()["text"]
    assert said == (
        "⏳ Ein Import wird gerade geschrieben: Die Anfrage ist vorgemerkt und wird ausgeführt "
        "und hier beantwortet, sobald er fertig ist."
    )
    assert english_words(said) == []


def test_a_kept_forms_notice_is_in_german_and_english_unchanged() -> None:
    with speaking(GERMAN):
        view = _kept_view()
    assert (view["title"]["text"], view["close"]["text"]) == ("Vorgemerkt", "Schließen")
    assert english_words(markup(view)) == []
    english = _kept_view()
    assert (english["title"]["text"], english["close"]["text"]) == ("Kept", "Close")
    assert english["blocks"][0]["text"]["text"] == KEPT_ANSWER


def test_the_pager_is_in_german_and_english_unchanged() -> None:
    asked = Asked("/seller", "list category:Home")
    with speaking(GERMAN):
        context, actions = pager(asked, 2, more=True, pages=3)
    shown = markup({"blocks": [context.to_dict(), actions.to_dict()]})
    assert context.to_dict()["elements"][0]["text"] == (
        "Seite 2 von 3 · weiter mit: `/seller list category:Home page:3`"
    )
    assert [b["text"]["text"] for b in actions.to_dict()["elements"]] == ["Zurück", "Weiter"]
    assert english_words(shown) == []
    context, actions = pager(asked, 2, more=True, pages=3)
    assert context.to_dict()["elements"][0]["text"] == (
        "Page 2 of 3 · next: `/seller list category:Home page:3`"
    )
    assert [b["text"]["text"] for b in actions.to_dict()["elements"]] == ["Previous", "Next"]


def _history(page: int = 1) -> Any:
    at = datetime(2026, 12, 3, 8, 30, tzinfo=UTC)
    edits = [
        Edit("U0ANA", datetime(2026, 12, 4, 9, 15, tzinfo=UTC), (("text", "old", "new"),)),
        Edit("", datetime(2026, 12, 5, 16, 0, tzinfo=UTC), (("text", "new", None),), why="typo"),
        Edit("U0ANA", datetime(2026, 12, 6, 7, 0, tzinfo=UTC), ()),
    ]
    asked = Asked("/feedback", "changes 12")
    return history_reply("Note 12", ("U0MARIA", at), edits, Fields({}), BERLIN, page, asked)


def test_an_edit_history_is_in_german() -> None:
    with speaking(GERMAN):
        reply = _history()
    shown = markup(reply.payload())
    assert reply.text == "Note 12: 3 Bearbeitungen"
    assert "Geschrieben von <@U0MARIA> am 03.12.2026 09:30 Uhr" in shown
    assert "*Bearbeitung 2 von 3* · 05.12.2026 17:00 Uhr" in shown
    assert "• *Grund*: „typo“" in shown
    assert "• *Text*: new → _(leer)_" in shown
    assert "• _ohne Änderung gespeichert_" in shown
    assert "Bearbeitungen 1–3 von 3, neueste zuerst" in shown
    assert english_words(shown, ("Note 12", "Text", "typo", "old", "new")) == []


def test_an_edit_history_in_english_is_unchanged() -> None:
    shown = markup(_history().payload())
    assert "Written by <@U0MARIA> on 3 Dec 2026 09:30" in shown
    assert "*Edit 2 of 3* · 5 Dec 2026 17:00" in shown
    assert "• *Why*: “typo”" in shown
    assert "• *Text*: new → _(none)_" in shown
    assert "• _saved without a change_" in shown
    assert "Edits 1–3 of 3, newest first" in shown
    assert _history().text == "Note 12: 3 edits"


def test_an_unedited_record_says_so_in_german() -> None:
    with speaking(GERMAN):
        reply = history_reply(
            "Note 3",
            ("", datetime(2026, 12, 3, 8, 30, tzinfo=UTC)),
            [],
            Fields({}),
            BERLIN,
            1,
            Asked("/feedback", "changes 3"),
        )
    assert reply.text == "Note 3: nicht bearbeitet, seit es geschrieben wurde."
    assert english_words(markup(reply.payload()), ("Note 3",)) == []


def test_a_follow_up_is_written_in_german() -> None:
    due = SimpleNamespace(follow_up_on=date(2026, 12, 1), follow_up_done_at=None)
    done = SimpleNamespace(follow_up_on=date(2026, 12, 1), follow_up_done_at=datetime(2026, 12, 2))
    with speaking(GERMAN):
        overdue = follow_up_text(due, date(2026, 12, 7))
        finished = follow_up_text(done, date(2026, 12, 7))
    assert overdue == "⏰ Wiedervorlage 01.12.2026 *(überfällig)*"
    assert finished == "✔ Wiedervorlage 01.12.2026 erledigt"
    assert follow_up_text(due, date(2026, 12, 7)) == "⏰ follow-up 1 Dec 2026 *(overdue)*"
    assert follow_up_text(done, date(2026, 12, 7)) == "✔ follow-up 1 Dec 2026 done"


class _Slack:
    """Just enough of a WebClient to see which DMs were sent."""

    def __init__(self) -> None:
        self.sent: list[str] = []

    def conversations_open(self, users: str) -> dict[str, Any]:
        return {"channel": {"id": f"D{users}"}}

    def chat_postMessage(self, channel: str, text: str, blocks: Any) -> dict[str, Any]:
        self.sent.append(text)
        return {"ts": "1.0"}


def test_direct_messages_about_set_aside_and_dropped_work_are_in_german() -> None:
    slack = _Slack()
    tell_note_set_aside(slack, GERMAN, "U0ANA")  # type: ignore[arg-type]
    dropped = CutOff(
        event_id="slash:abc",
        team_id="T0",
        tries=3,
        request={"form": {"user_id": "U0ANA", "command": "/review", "text": "export"}},
        claim=None,
    )
    with speaking(GERMAN):
        tell_dropped(slack, dropped)  # type: ignore[arg-type]
    assert slack.sent[1] == (
        ":warning: `/review export` wurde 3-mal vor dem Abschluss angehalten und deshalb "
        "verworfen: In ein paar Minuten erneut versuchen und einem Admin Bescheid geben, falls "
        "es wieder anhält."
    )
    assert [english_words(text) for text in slack.sent] == [[], []]
    tell_note_set_aside(slack, Speech(), "U0ANA")  # type: ignore[arg-type]
    assert slack.sent[2] == NOTE_SET_ASIDE


def test_schedules_handle_questions_and_dates_in_german() -> None:
    schedule = Schedule.of("mon,thu", "09:00", "Europe/Berlin")
    week = Period(date(2026, 11, 23), date(2026, 11, 29), "week", unit="week")
    with speaking(GERMAN):
        assert schedule.describe() == "Mo., Do. um 09:00 Uhr (Europe/Berlin)"
        title, asked = did_you_mean({"sara.goodfind": "sara.goodfinds"})
        assert title == "Gemeint: @sara.goodfinds?"
        assert english_words(asked, ("sara.goodfinds", "sara.goodfind")) == []
        assert day_span(date(2026, 11, 23), date(2026, 11, 29)) == "23.–29. Nov."
        assert day_span(date(2026, 9, 28), date(2026, 10, 4)) == "28. Sept. – 4. Okt."
        assert span(week) == "23. – 29. Nov. 2026"
    assert schedule.describe() == "Mon, Thu at 09:00 (Europe/Berlin)"
    assert day_span(date(2026, 11, 23), date(2026, 11, 29)) == "23–29 Nov"
    assert day_span(date(2025, 12, 29), date(2026, 1, 4)) == "29 Dec 2025–4 Jan 2026"
    assert span(week) == "23 – 29 Nov 2026"
