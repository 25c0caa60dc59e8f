"""What storage/ says to a person, in the person's language: its errors keep their English text
marked for the catalogs and what fills it in (storage.errors), and the answer writes them in its
speech. End to end in a German workspace (a file shared in a DM, slash commands), and the same
in English, unchanged."""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Iterator
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

import pytest
from slack_bolt import App, BoltRequest, BoltResponse
from sqlalchemy.engine import Engine

from app import build_app
from bot.settings import Settings
from bot.shared.language import Speech, speaking, translated, workspace_speech
from devkit.offline import OfflineBot
from storage.alerts.rules import RuleDraft, add_rule
from storage.errors import N_, AdminsOnly, Nn_, Number, Sentence, UserError
from storage.importers.base import ImportRejected, RowError
from tests.language_support import english_words
from tests.slack_support import markup

GERMAN = Speech("de", "de_DE")
SHARED_WORDS_PENDING = {"Try"}
"""The "Try:" before the usages is bot.shared.replies' (`problem`), translated with the shared
texts, not storage's."""
TOM, JONAS = "U0TOM", "U0JONAS"  # neither an admin; the sandbox knows neither's Slack language
MISSING_ORDERS = "Datum;Shop-ID;Umsatz\n27.11.2026;S1;1,00 €\n".encode()
BAD_AMOUNT = "Datum;Shop-ID;Umsatz;Bestellungen\n27.11.2026;S1;zwölf;3\n".encode()


def _speaking_app(settings: Settings, *args: Any, **kwargs: Any) -> App:
    """The app, each request dispatched in the workspace's speech. Bolt runs a request's
    listeners only after its middleware have returned, so a speech set around a middleware's
    `next()` is gone when the answer is written; until the app sets it around the dispatch,
    the test does."""
    app = build_app(settings, *args, **kwargs)
    dispatch = app.dispatch

    def spoken(req: BoltRequest) -> BoltResponse:
        with speaking(workspace_speech(settings)):
            return dispatch(req)

    app.dispatch = spoken  # type: ignore[method-assign]
    return app


@pytest.fixture
def german(settings: Settings, engine: Engine) -> Iterator[OfflineBot]:
    german = dataclasses.replace(settings, language="de", locale="de_DE")
    with OfflineBot(_speaking_app, german, engine=engine) as bot:
        yield bot


def _dm_answer(bot: OfflineBot, user_id: str, filename: str, content: bytes) -> str:
    response, _ = bot.client.file_share(user_id, filename, content, "kind:kpi-sheet")
    assert response.status == 200
    (post,) = bot.sandbox.wait_for("chat.postMessage")
    return markup(post.params)


def _answer(bot: OfflineBot, typed: str, user_id: str) -> str:
    """Everything Slack received of the answer to a command, on one line."""
    body = bot.say(typed, user_id=user_id).response.body
    return " ".join(markup(json.loads(body)).split())


def _tom_has_alert_1(engine: Engine, team_id: str) -> None:
    draft = RuleDraft(
        team_id=team_id,
        metric="orders",
        category=None,
        seller_id=None,
        rule="above",
        baseline="",
        percent=None,
        threshold=Decimal(5),
        channel_id="C0KPI",
        channel_name="lifestyle-kpi",
        created_by=TOM,
    )
    add_rule(engine, draft, datetime(2026, 12, 7, tzinfo=UTC))


def test_a_missing_column_of_a_kpi_sheet_in_german(german: OfflineBot) -> None:
    said = _dm_answer(german, JONAS, "umsatz.csv", MISSING_ORDERS)
    assert (
        "In umsatz.csv fehlt die Spalte „Bestellungen (orders)“; nichts wurde importiert." in said
    )
    assert english_words(said, ("umsatz", "csv", "orders")) == []


def test_a_bad_value_names_its_row_in_german(german: OfflineBot) -> None:
    said = _dm_answer(german, JONAS, "umsatz.csv", BAD_AMOUNT)
    assert (
        "umsatz.csv wurde nicht importiert: 1 Problem – bitte beheben und die Datei erneut "
        "senden. Nichts wurde geändert.\n"
        "• Zeile 2, Umsatz = 'zwölf': ist kein Geldbetrag mit höchstens 2 Nachkommastellen"
    ) in said
    assert english_words(said, ("umsatz", "csv")) == []


def test_the_same_files_answer_in_english_as_before(bot: OfflineBot) -> None:
    said = _dm_answer(bot, "U0MARIA", "umsatz.csv", MISSING_ORDERS)
    assert "umsatz.csv is missing the column “Bestellungen (orders)”; nothing was imported." in said


def test_a_bad_value_in_english_as_before(bot: OfflineBot) -> None:
    said = _dm_answer(bot, "U0MARIA", "umsatz.csv", BAD_AMOUNT)
    assert (
        "umsatz.csv was not imported: 1 problem — fix them and send it again. Nothing was "
        "changed.\n• row 2, Umsatz = 'zwölf': is not an amount of money with at most 2 decimals"
    ) in said


def test_an_admins_only_refusal_and_a_missing_alert_in_german(
    german: OfflineBot, engine: Engine
) -> None:
    _tom_has_alert_1(engine, german.sandbox.team_id)
    refused = _answer(german, "/alert remove 1", JONAS)
    assert (
        "Nur der Verfasser des Alerts (<@U0TOM>) oder ein Admin kann das entfernen. Admins sind "
        "<@U0MARIA>: Bitte einen von ihnen fragen oder die Person, die shopbot betreibt, bitten, "
        "Ihre Slack-Benutzer-ID in"
    ) in refused, refused
    assert set(english_words(refused, ("shopbot",))) <= SHARED_WORDS_PENDING, refused
    missing = _answer(german, "/feedback history 7", JONAS)
    assert (
        "Hier gibt es keine Notiz 7: Sie wurde gelöscht (ein Admin kann sie 30 Tage lang "
        "wiederherstellen) oder gehört zu einem anderen Workspace."
    ) in missing
    assert set(english_words(missing, ())) <= SHARED_WORDS_PENDING, missing


def test_the_same_refusals_in_english_as_before(bot: OfflineBot, engine: Engine) -> None:
    _tom_has_alert_1(engine, bot.sandbox.team_id)
    refused = _answer(bot, "/alert remove 1", JONAS)
    assert "or an admin can remove it. The admins are" in refused
    missing = _answer(bot, "/feedback history 7", JONAS)
    assert (
        "There is no note 7 here: it was deleted (an admin can restore it for 30 days)" in missing
    )


# ---- the texts themselves --------------------------------------------------------------------


def test_an_error_keeps_its_english_message_and_writes_itself_in_a_language() -> None:
    error = UserError(
        N_("There is no alert {number} in this workspace."), ["/alert list"], number=7
    )
    assert error.message == "There is no alert 7 in this workspace." == str(error)
    assert (error.template, error.params) == (
        "There is no alert {number} in this workspace.",
        {"number": 7},
    )
    assert translated(error) == error.message
    with speaking(GERMAN):
        assert translated(error) == "In diesem Workspace gibt es keinen Alert 7."
    typed = UserError("An error raised with its English text only.")
    with speaking(GERMAN):
        assert translated(typed) == typed.message == "An error raised with its English text only."


def test_a_count_decides_the_form_and_numbers_follow_the_locale() -> None:
    def missing(names: list[str]) -> ImportRejected:
        return ImportRejected(
            Nn_(
                "{filename} is missing the column {columns}; nothing was imported.",
                "{filename} is missing the columns {columns}; nothing was imported.",
                len(names),
            ),
            filename="a.csv",
            columns=[Sentence(N_("“{column}”"), {"column": n}) for n in names],
        )

    assert missing(["gmv"]).message == "a.csv is missing the column “gmv”; nothing was imported."
    assert missing(["gmv", "orders"]).describe() == (
        "a.csv is missing the columns “gmv”, “orders”; nothing was imported."
    )
    with speaking(GERMAN):
        assert translated(missing(["Umsatz", "Bestellungen"])) == (
            "In a.csv fehlen die Spalten „Umsatz“, „Bestellungen“; nichts wurde importiert."
        )
    note = UserError(
        N_(
            "Notes are limited to {limit} characters; this one has {length}. "
            "Shorten it or split it into two notes."
        ),
        limit=Number(3000),
        length=Number(12345),
    )
    assert "limited to 3,000 characters; this one has 12,345." in note.message
    with speaking(GERMAN):
        assert translated(note).startswith(
            "Notizen haben höchstens 3.000 Zeichen; diese hat 12.345."
        )


def test_row_errors_and_the_rest_of_a_long_list() -> None:
    errors = [
        RowError.saying(n, "Datum", "x", N_("repeats row {row}: one row per seller per day"), row=1)
        for n in range(2, 14)
    ]
    assert errors[0].reason == "repeats row 1: one row per seller per day"
    rejected = ImportRejected("f.csv was not imported.", errors)
    assert rejected.describe().splitlines()[-1] == "… and 2 more"
    with speaking(GERMAN):
        lines = translated(rejected).splitlines()
    assert lines[1] == "• Zeile 2, Datum = 'x': wiederholt Zeile 1: eine Zeile je Verkäufer und Tag"
    assert lines[-1] == "… und 2 weitere"


def test_who_may_do_what_in_german() -> None:
    refusal = AdminsOnly(N_("restore a deleted note"), ["U1", "U2"])
    assert refusal.message.startswith(
        "Only admins can restore a deleted note. The admins are <@U1>, <@U2>"
    )
    with speaking(GERMAN):
        said = translated(refusal)
    assert said.startswith(
        "Nur Admins können gelöschte Notizen wiederherstellen. Admins sind <@U1>, <@U2>"
    )
    assert english_words(said, ("shopbot",)) == []
    nobody = AdminsOnly(N_("restore a deleted note"), [])
    with speaking(GERMAN):
        assert "Noch keine Admins festgelegt" in translated(nobody)
