"""Sellers in German: `/seller gaps`, a seller's card, notes and their history, a profile's
changes, and the sellers' parts of the digest and the App Home have no English words but names
and the kept terms, and their numbers are German (`33,6 Std.`, `1,5 %`, `1.234,00 €`)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy.engine import Engine

from app import FEATURES
from bot.digest.content import compose_digest
from bot.features import Features
from bot.settings import Settings
from bot.shared.digest_section import DigestSpec
from bot.shared.periods import Period
from bot.shared.sources import LIVE_DAYS
from devkit.offline import OfflineBot
from tests.german_support import every_text, german_settings
from tests.language_support import english_words
from tests.seller_support import PLANS, TODAY, build_sellers

NAMES = (*(plan.name for plan in PLANS), "Home & Living", "Kitchenware", "Personal Care")
NAMES += ("Called", "about the season")  # the seeded notes' text (tests/seller_support.py)
# The names of where figures come from (bot.shared.sources) and the KPIs' labels
# (bot.shared.kpis) are the shared part's texts.
SHARED_TEXTS_PENDING = (LIVE_DAYS, "Affiliate GMV", "Video GMV")
# Dates in a chart's span (bot.shared.charts.day_span) and period labels come with the
# period grammar.
PERIOD_WORDS_PENDING = {"Oct", "Nov", "Dec"}
SECTIONS = Features(FEATURES).digest_sections


@pytest.fixture
def settings(engine: Engine) -> Settings:
    return german_settings(engine)


@pytest.fixture
def sellers(bot: OfflineBot, engine: Engine) -> dict[str, int]:
    return build_sellers(bot, engine)


def english(text: str) -> list[str]:
    found = english_words(text, NAMES + SHARED_TEXTS_PENDING)
    return [word for word in found if word not in PERIOD_WORDS_PENDING]


def test_gaps_are_german(bot: OfflineBot, sellers: dict[str, int]) -> None:
    [gaps] = bot.say("/seller gaps").replies
    text = every_text(gaps)
    assert english(_without_pager(text)) == []
    assert "Lücken und Chancen der Verkäufer" in text
    assert "*Kilo Big* · 140.000,00\xa0€ betroffen" in text
    assert (
        "💡 Hohes GMV, wenige Creators: 1 Creator erfasst, Affiliate-Verkäufe 5\xa0% des GMV"
        in text
    )
    assert "⚠️ GMV sinkt: GMV -50\xa0% ggü. Vorwoche" in text
    assert "kein LIVE seit 30+ Tagen" in text and "letztes LIVE vor 20 Tagen" in text
    assert "→ <@U0TOM>: Diese Woche ein LIVE mit dem Verkäufer planen" in text
    assert "9 Verkäufer: 7 Lücken, 2 Chancen · größtes betroffenes GMV zuerst" in text
    assert "Zahlen bis 29.11.2026" in text
    later = "\n".join(every_text(bot.say(f"/seller gaps page:{n}").reply) for n in (2, 3))
    assert english(_without_pager(later)) == []
    # Golf Beauty's one review scored 2 in every item: 2,0 of 5.
    assert "Durchschnitt 2,0 von 5 aus 1 Review in 60 Tagen" in later
    assert "fehlt: Stufe, ein Kontakt" in later


def _without_pager(text: str) -> str:
    """The text without the pager's lines (`Page 1 of 3 · next: …`, its buttons): the shared
    part's (bot.shared.pages)."""
    pager = ("Page ", "Next", "Previous")
    return "\n".join(line for line in text.splitlines() if not line.startswith(pager))


def test_the_card_is_german(bot: OfflineBot, sellers: dict[str, int]) -> None:
    [card] = bot.say("/seller Alpha Home").replies
    text = every_text(card)
    assert english(text) == []
    assert "Alpha Home: GMV 28.000,00\xa0€ in den 28 Tagen bis 29.11.2026" in text
    assert "*Umsatz* · 02.11.2026 – 29.11.2026 ggü. den 28 Tagen davor" in text
    assert "` GMV pro Tag" in text
    assert "Bestellungen 280 🟢 ▲ 133,3\xa0%" in text
    assert "5,0\xa0% des GMV ⚪ ■ 0,00 Pp." in text
    # 10 sessions of 60 minutes: 10,0 hours.
    assert "10 Sessions, 10,0 Std., Engagement-Rate 8,0\xa0%, GPM 250,00\xa0€" in text
    assert "letztes LIVE am 29.11.2026, dem neuesten Tag mit Daten" in text
    assert "*Livestream-Reviews* (neueste 2, Ø 4,5/5)" in text
    assert "• 20.11.2026 Host der Marke: 4,0/5" in text
    assert "*Status*\nAktiv" in text and "*Programme*\nLIVE, Affiliate" in text
    assert "letzter Kontakt am 25.11.2026 durch <@U0TOM>: „Called Alpha Home" in text
    assert "Notiz hinzufügen" in text and "90-Tage-Diagramm" in text


def test_notes_and_their_history_are_german(bot: OfflineBot, sellers: dict[str, int]) -> None:
    typed = f"/seller note Alpha Home Rückruf vereinbart #live follow-up:{TODAY.isoformat()}"
    [saved] = bot.say(typed, user_id="U0TOM").replies
    text = every_text(saved)
    assert english(text) == []
    [number] = [word for word in text.split() if word.isdigit()][:1]
    assert f"Verkäufernotiz {number} zu Alpha Home gespeichert." in text
    assert f"Bearbeiten: `/seller edit {number} &lt;Text&gt;`" in text
    bot.say(f"/seller edit {number} Rückruf am Freitag #live", user_id="U0TOM")
    [log] = bot.say("/seller log Alpha Home").replies
    logged = every_text(log)
    assert english(_without_pager(logged)) == []
    assert "Notizen zu Alpha Home" in logged and "Notizen 1–2, neueste zuerst" in logged
    [history] = bot.say(f"/seller history {number}").replies
    shown = every_text(history)
    assert f"Verlauf der Verkäufernotiz {number} zu Alpha Home" in shown
    assert "• *Text*: Rückruf vereinbart → Rückruf am Freitag" in shown


def test_profile_changes_are_german(bot: OfflineBot, sellers: dict[str, int]) -> None:
    [changes] = bot.say("/seller changes Alpha Home").replies
    text = every_text(changes)
    assert "Profilverlauf von Alpha Home" in text
    # The frame of every history (`Not edited since it was …`) is the shared part's; the way
    # the seller was added is ours.
    assert "mit dem Verkäuferimport angelegt" in text.replace("\n", " ")


def test_the_sellers_digest_and_home_sections_are_german(
    bot: OfflineBot, engine: Engine, sellers: dict[str, int]
) -> None:
    week = Period(TODAY - timedelta(days=7), TODAY - timedelta(days=1), "last week")
    spec = DigestSpec(
        bot.sandbox.team_id,
        week,
        None,
        "Europe/Berlin",
        sections=("seller-gaps",),
        currency="EUR",
        locale="de_DE",
        language="de",  # the channel's, as the delivery run gives it
    )
    digest = compose_digest(engine, spec, SECTIONS).text
    # Our section, without the digest's own footer (the digest part's).
    section = digest[digest.index("*Lücken und Chancen der Verkäufer*") :].split("\n\n")[0]
    assert english(section) == []
    assert "(Top 3 von 9 Verkäufern: `/seller gaps`)" in section
    assert "*Kilo Big* · 140.000,00\xa0€ betroffen" in section
    bot.say(
        f"/seller note Bravo Living Angebot nachfassen follow-up:{TODAY.isoformat()}",
        user_id="U0TOM",
    )
    bot.open_home(user_id="U0TOM")
    home = bot.sandbox.calls("views.publish")[-1].params["view"]
    ours = [
        every_text(block)
        for block in home["blocks"]
        if every_text(block).startswith(("*Fällige Wiedervorlagen", "*Lücken Ihrer Verkäufer*"))
    ]
    assert len(ours) == 2, every_text(home)
    assert english("\n".join(ours)) == []
    assert "*Fällige Wiedervorlagen zu Verkäufern* (1)" in ours[0]
    assert "heute fällig" in ours[0]
    assert "*Lücken Ihrer Verkäufer* (1, 1 Verkäufer)" in ours[1]
