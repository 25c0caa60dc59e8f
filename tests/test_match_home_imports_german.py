"""Matchmaking, the App Home and imports in a German workspace, end to end: `/match` for a
seller and for a creator, `/match help`, `/match history`, the outreach reminder DM, the Home
as published, the import form, a shared CSV's summary and the imports' own refusals hold no
English word beyond names and the terms kept in English; numbers and days are German. The same
answers in an English workspace stay as they were."""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy.engine import Engine

from app import build_app
from bot.matchmaking.score import DEFAULT_WEIGHTS, match, pools_of
from bot.scheduler import in_workspace_speech, remind
from bot.settings import Settings
from bot.shared.language import Speech, speaking
from devkit.offline import OfflineBot
from tests.feedback_support import NOW, answers, choose, click, last_view, set_clock, submit
from tests.language_support import english_words
from tests.match_support import add_collaboration, add_creator, add_seller
from tests.slack_support import button_value
from tests.test_match_score import KITCHEN, creator

SELLER = "Ökoladen Küche & Co"
NAMES = (
    SELLER,
    "Ökoladen Küche &amp; Co",
    "Glow Lab",
    "Kitchenware",
    "Beauty",
    "star.cooks",
    "steady.home",
    "flaky.finds",
    "glow.girl",
    "old.partner",
    "a.one",
    "b.two",
    "c.three",
    "Star.Cooks",
    "Steady.Home",
    "Flaky.Finds",
    "Glow.Girl",
    "Old.Partner",
    "A.One",
    "B.Two",
    "C.Three",
    "Nova Home",
    "Home &amp; Living",
    "Home & Living",
    "kpi week 46.csv",
    "report.pdf",
    "empty.csv",
    "kpi-sheet",
    "shopbot",  # the app's name
)
SKIPPED = {"action_id", "block_id", "value", "private_metadata", "callback_id", "url", "type"}
SHEET = (
    "date,seller_id,seller_name,category,gmv,orders\n"
    '2026-11-10,S900,Nova Home,Home & Living,"1,250.50",12\n'
    "2026-11-11,S900,Nova Home,Home & Living,99.99,2\n"
)
# Written by storage/ (someone else's part): the importers' notes ("1 new seller added") and
# the kinds of file as storage.importers.kinds describes them (in the form's hint).
STORAGE_WORDS_PENDING = {
    "new",
    "seller",
    "added",
    "Affiliate",
    "Center",
    "creator",
    "data",
    "team",
    "KPI",
    "sheet",
    "collaborations",
    "export",
    "order",
    "livestream",
    "session",
    "sessions",
    "review",
    "tracker",
    "registry",
    "a",
    "or",
    "an",
    "TikTok",
    "Shop",
    "performance",
}


def every_text(node: Any) -> str:
    """Every text a person reads in a message, view or modal: fallback text, blocks' texts,
    titles, buttons, placeholders, options, submit and close (ids and values left out)."""
    parts: list[str] = []

    def walk(item: Any) -> None:
        if isinstance(item, dict):
            for key, value in item.items():
                if key in SKIPPED:
                    continue
                if isinstance(value, str):
                    if key in {"text", "title", "submit", "close", "placeholder", "label"}:
                        parts.append(value)
                else:
                    walk(value)
        elif isinstance(item, list):
            for element in item:
                walk(element)

    walk(node)
    return "\n".join(parts).replace("\xa0", " ")  # the locale's no-break spaces, as spaces


def english(text: str, pending: frozenset[str] | set[str] = frozenset()) -> list[str]:
    return [word for word in english_words(text, NAMES) if word not in pending]


@pytest.fixture
def german(settings: Settings, engine: Engine) -> Iterator[OfflineBot]:
    """A German workspace (EUR, Berlin) whose people's Slack is in German."""
    speaks = dataclasses.replace(settings, language="de", locale="de_DE", currency="EUR")
    with OfflineBot(build_app, speaks, engine=engine) as bot:
        bot.sandbox.add_user("U0MARIA", "maria", "Maria Müller", locale="de-DE")
        bot.sandbox.add_user("U0TOM", "tom", "Tom Berg", locale="de-DE")
        yield bot
        assert bot.sandbox.refusals == [], "the app sent what Slack refuses"


def _shop(bot: OfflineBot, engine: Engine) -> dict[str, int]:
    """A kitchenware seller and creators whose order is known (as tests/test_match_command)."""
    set_clock(bot, NOW)
    team = bot.sandbox.team_id
    ids = {
        "seller": add_seller(engine, team, SELLER, "Kitchenware"),
        "beauty": add_seller(engine, team, "Glow Lab", "Beauty", aov=9_000),
        "star": add_creator(
            engine,
            team,
            "star.cooks",
            level=7,
            overall={"live_gpm_cents": 9_000, "engagement_rate": 0.09},
            by_category={
                "Kitchenware": {
                    "live_gpm_cents": 4_100,
                    "engagement_rate": 0.044,
                    "gmv_cents": 200_000,
                    "orders": 80,
                }
            },
        ),
        "steady": add_creator(engine, team, "steady.home"),
        "flaky": add_creator(
            engine,
            team,
            "flaky.finds",
            overall={"samples_shipped": 10, "posts_after_samples": 3},
            notes=("negative", "negative", "neutral"),
        ),
        "outsider": add_creator(engine, team, "glow.girl", categories=("Beauty",)),
        "partner": add_creator(
            engine, team, "old.partner", level=8, overall={"live_gpm_cents": 8_000}
        ),
    }
    for handle in ("a.one", "b.two", "c.three"):
        crowd = {"live_gpm_cents": 1_000, "engagement_rate": 0.01}
        add_creator(engine, team, handle, level=2, overall=crowd)
    add_collaboration(engine, team, ids["partner"], ids["seller"])
    return ids


def test_match_for_a_seller_and_for_a_creator_in_german(german: OfflineBot, engine: Engine) -> None:
    _shop(german, engine)
    seen = german.say(f"/match {SELLER}").reply
    text = every_text(seen)
    assert english(text) == [], text
    assert f"Creators für {SELLER}" in text
    assert "Kitchenware LIVE-GPM 41,00 €, Top 21 % der Kategorie" in text
    assert "verkauft in Kitchenware" in text
    assert re.search(r"\*1\. @star\.cooks\* \(Star\.Cooks\) · Score \*\d+\*\n", text), text
    assert "8 Creators berücksichtigt" in text
    assert "1 arbeitet bereits zusammen, ausgelassen (mit `all` anzeigen)" in text
    assert "Outreach starten" in text and "Notiz hinzufügen" in text
    assert "Muster gepostet: 3 von 10" in every_text(german.say(f"/match {SELLER} 10").reply)

    creator = every_text(german.say("/match @star.cooks").reply)
    assert english(creator) == [], creator
    assert "Verkäufer für @star.cooks" in creator
    assert "Kitchenware, wo der Creator verkauft" in creator
    assert "GMV " in creator and "in den letzten" in creator
    assert "60 % des GMV aus LIVE" in creator


COMPONENT_KEYS = {"category", "gpm", "engagement", "level", "samples", "sentiment", "price"}
"""The score's components by the keys SHOPBOT_MATCH_WEIGHTS takes (typed as they are)."""


def test_match_help_in_german(german: OfflineBot) -> None:
    text = every_text(german.say("/match help").reply)
    assert english(text, COMPONENT_KEYS) == [], text
    assert "/match – Matchmaking von Creators und Verkäufern" in text
    assert "• *category* (Gewicht 3, 25 %) – Kategorie-Passung" in text
    assert "die besten Creators für einen Verkäufer oder Verkäufer für einen Creator" in text


@pytest.mark.parametrize(
    ("typed", "says"),
    [
        ("/match niemand hier", "Unbekannter Verkäufer `niemand hier`."),
        ("/match @nobody", "`@nobody` ist nicht im Register."),
        ("/match @star.cooks live", "`live` und `video` wählen Creators für einen Verkäufer."),
        (f"/match {SELLER} 99", "`99` ist keine mögliche Zeilenzahl: 1 bis 20 angeben."),
        ("/match history @star.cooks", "Welches Paar?"),
    ],
)
def test_match_refusals_in_german(
    german: OfflineBot, engine: Engine, typed: str, says: str
) -> None:
    _shop(german, engine)
    seen = every_text(german.say(typed).reply)
    assert says in seen, seen
    # The usage lines after it ("Try: …") are the shared part's frame and commands as typed.
    refusals = [line for line in seen.split("\n") if says in line]
    assert refusals and all(english(line, {"nobody"}) == [] for line in refusals), seen


def test_outreach_history_and_reminder_in_german(german: OfflineBot, engine: Engine) -> None:
    ids = _shop(german, engine)
    german.say(f"/match {SELLER} 10", user_id="U0TOM")
    click(german, "match_start_outreach", f"{ids['steady']}:{ids['seller']}", user="U0TOM")
    started = answers(german, 1)[-1]
    text = every_text(started)
    assert english(text) == [], text
    assert "Outreach gestartet: *@steady.home × Ökoladen Küche &amp; Co* ist kontaktiert" in text
    assert "fällig am 10.12." in text
    set_clock(german, NOW + timedelta(hours=1))
    click(german, "match_stage_next_1", button_value(started, "match_stage_next_1"), user="U0TOM")
    moved = every_text(answers(german, 2)[-1])
    assert (
        "Verschoben: *@steady.home × Ökoladen Küche &amp; Co* – Muster versandt seit 0 Tagen"
        in moved
    )
    assert english(moved) == [], moved
    choose(german, "match_stage_menu_1", "1:contacted", user="U0TOM")
    modal = last_view(german)
    assert english(every_text(modal)) == [], every_text(modal)
    assert "Warum?" in every_text(modal)
    why = {"reason": {"reason": {"type": "plain_text_input", "value": "Probe verloren"}}}
    submit(german, modal, why, user="U0TOM")
    answers(german, 3)

    history = german.say(f"/match history @steady.home {SELLER}").reply
    shown = every_text(history)
    assert "Verlauf von @steady.home × Ökoladen Küche" in shown
    assert "Muster versandt → kontaktiert" in shown
    # The history's frame (who, when, "Edit n of m") is the shared part's, still English here.
    assert english(shown, SHARED_HISTORY_PENDING) == [], shown

    set_clock(german, NOW + timedelta(days=9, hours=1))
    assert in_workspace_speech(remind, german.services)(german.services, german.app.client) == 1
    dm = german.sandbox.messages["D0TOM"][0]
    reminder = every_text(dm)
    assert english(reminder) == [], reminder
    assert "⏰ Outreach überfällig: *@steady.home × Ökoladen Küche &amp; Co*" in reminder
    assert "kontaktiert seit 9 Tagen · ⏰ 2 Tage überfällig" in reminder


SHARED_HISTORY_PENDING = {"by", "on", "Edit", "edits", "of", "Edits", "newest", "first", "Why"}
"""bot.shared.history's own words, and its field labels (`Stage`, marked here, shown there
untranslated): the shared part translates them."""


def _open_home(bot: OfflineBot, user: str = "U0MARIA") -> dict[str, Any]:
    event = {"type": "app_home_opened", "user": user, "tab": "home", "channel": "D0HOME"}
    assert bot.client.event(event).status == 200
    bot.settle()
    calls = bot.sandbox.calls("views.publish")
    assert calls and calls[-1].ok, calls
    view: dict[str, Any] = calls[-1].params["view"]
    return view if isinstance(view, dict) else {}


MY_BLOCKS = {"home_picker", "home_buttons"}


def _home_parts(view: dict[str, Any]) -> str:
    """The Home's own sections (title, picker, buttons, the glance) and the outreach pipeline:
    the parts of this feature; other features' sections and the shared command overview are
    theirs."""
    blocks = view["blocks"]
    mine = []
    for block in blocks:
        text = every_text(block)
        if (
            (block.get("type") == "header" and "shopbot" in text)
            or block.get("block_id") in MY_BLOCKS
            or "Outreach-Pipeline" in text
            or "/alert add gmv" in text
            or "/shopbot status" in text
        ):
            mine.append(text)
    return "\n".join(mine)


def test_the_home_in_german(german: OfflineBot, engine: Engine) -> None:
    ids = _shop(german, engine)
    german.say(f"/match {SELLER} 10")
    click(german, "match_start_outreach", f"{ids['steady']}:{ids['seller']}")
    answers(german, 1)
    german.client.file_share("U0MARIA", "kpi week 46.csv", SHEET.encode())
    german.settle()
    view = _open_home(german)
    shown = _home_parts(view)
    assert english(shown) == [], shown
    assert "Ihr shopbot" in shown
    assert "Creator-Notiz hinzufügen" in shown and "Datei importieren" in shown
    assert "*Verkäufer:* 3 in 3 Kategorien" in shown
    assert "Daten bis Mi., 11.11.2026 · `/shopbot status` für den Rest" in shown
    assert "Warnungen: `/alert add gmv`" in shown
    assert "*Ihre Outreach-Pipeline* (1)" in shown
    assert "kontaktiert seit 0 Tagen" in shown


def test_the_import_form_summary_and_refusals_in_german(german: OfflineBot) -> None:
    form = every_text(german.say("/kpi import").reply)
    assert "Das Importformular öffnet sich" in form
    assert english(form) == [], form
    opened = [c.params["view"] for c in german.sandbox.calls("views.open")]
    assert opened
    modal = every_text(opened[-1])
    assert "Datei importieren" in modal and "CSV- oder XLSX-Export" in modal
    assert english(modal, STORAGE_WORDS_PENDING) == [], modal

    german.client.file_share("U0MARIA", "kpi week 46.csv", SHEET.encode())
    german.settle()
    summary = every_text(german.sandbox.calls("chat.postMessage")[-1].params)
    assert (
        ":white_check_mark: Importiert: 2 Zeilen (kpi-sheet) für 10.11.2026 – 11.11.2026 (2 Tage) "
        "von 1 Verkäufer; Verkäufertage: 2 neu, 0 aktualisiert."
    ) in summary
    assert "Verkäufertage: 2 neu, 0 aktualisiert." in summary
    assert english(summary, STORAGE_WORDS_PENDING) == [], summary

    for name, content, says in (
        ("report.pdf", b"%PDF-1.4 binary", "report.pdf ist keine CSV- oder XLSX-Datei"),
        ("empty.csv", b"", "empty.csv ist leer."),
    ):
        german.client.file_share("U0MARIA", name, content)
        german.settle()
        refused = every_text(german.sandbox.calls("chat.postMessage")[-1].params)
        assert says in refused, refused
        assert english(refused) == [], refused


def test_a_rows_reasons_and_warnings_in_german_formats() -> None:
    """The engagement rate and the percentiles as German writes them (`4,4 %`, `Top 25 %`)."""
    crowd = [creator(f"c{i}", engagement_rate=0.01, live_gpm_cents=1_000) for i in range(3)]
    star = creator("star", engagement_rate=0.044, order_value_cents=20_000, sentiment=None)
    pools = pools_of([star, *crowd], KITCHEN.category_key)
    with speaking(Speech("de", "de_DE")):
        found = match(star, KITCHEN, pools, DEFAULT_WEIGHTS, lambda c: f"{c // 100} €")
    assert "Engagement-Rate 4,4\xa0%, Top 12\xa0%" in found.reasons
    assert "Kitchenware LIVE-GPM 20 €, Top 12\xa0% der Kategorie" in found.reasons
    assert "Preisspanne weit von der des Verkäufers entfernt" in found.warnings
    assert "keine Notizen" in found.warnings
    assert all(english_words(line, ("Kitchenware",)) == [] for line in found.reasons)
