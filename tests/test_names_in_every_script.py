"""Names in every script: sellers, categories, handles and tags are found however they are
typed (case, composed or decomposed accents, full-width letters), on SQLite and PostgreSQL,
with the figures of the seller that was meant."""

from __future__ import annotations

import unicodedata
from datetime import timedelta

import pandas as pd
import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from bot.shared.numbers import NumberStyle
from devkit.offline import OfflineBot
from storage.creators.models import Creator
from storage.feedback.models import FeedbackNote
from storage.names import match_key
from storage.sellers.models import Seller
from storage.sellers.registry import close_matches
from tests import kpi_data
from tests.kpi_data import FIRST_DAY, reference, window

TODAY = FIRST_DAY + timedelta(days=kpi_data.DAYS)
NAMES = {
    "S000": "Café & Co.",
    "S001": "Ökoladen",
    "S002": "Łódź Living",
    "S003": "Ἀθηνᾶ Beauty",
    "S004": "Ночной Свет",
    "S005": "東京ライフ 🌸",
    "S006": "Straße <Home>",
}
KITCHEN = "Küche & Tisch"


@pytest.fixture
def rows(bot: OfflineBot, engine: Engine) -> pd.DataFrame:
    frame = kpi_data.generate()
    frame["seller_name"] = frame["seller_id"].map(NAMES).fillna(frame["seller_name"])
    frame["category"] = frame["category"].replace({"Kitchenware": KITCHEN})
    return kpi_data.load_sheet(bot, engine, frame, TODAY)


def seen(bot: OfflineBot, command: str, text: str) -> str:
    """What the person sees in the answer, as the shell renders it."""
    return bot.say(f"{command} {text}").text


def heading(scope: str, period: str) -> str:
    """The snapshot's header as the shell prints it (upper case, as Slack's header reads)."""
    return f"KPIs · {scope} · {period}".upper()


def _typings(name: str) -> list[str]:
    nfd = unicodedata.normalize("NFD", name)
    return [name, name.upper(), name.lower(), nfd, f"  {name}  "]


@pytest.mark.parametrize("key", list(NAMES))
def test_a_seller_is_found_however_its_name_is_typed(
    bot: OfflineBot, rows: pd.DataFrame, key: str
) -> None:
    first, last = FIRST_DAY, TODAY - timedelta(days=1)
    expected = reference(window(rows, first, last, seller=key))
    gmv = NumberStyle("USD", "en_US").money(expected["gmv"])
    for typed in _typings(NAMES[key]):
        shown = seen(bot, "/kpi", f"{first}..{last} seller:{typed} full")
        assert heading(NAMES[key], "") in shown, typed
        assert f"GMV  {gmv}" in shown, typed
        assert "TOP SELLERS" not in shown.upper(), typed  # one seller: no ranking of one


def test_german_and_greek_folding_and_full_width_letters(
    bot: OfflineBot, rows: pd.DataFrame
) -> None:
    assert heading("Straße <Home>", "") in seen(bot, "/kpi", "yesterday seller:STRASSE <HOME>")
    assert heading("Ἀθηνᾶ Beauty", "") in seen(bot, "/kpi", "yesterday seller:ἀθηνᾶ beauty")
    full_width = "ＯＫＯＬＡＤＥＮ".replace("Ｏ", "Ö", 1)
    assert heading("Ökoladen", "") in seen(bot, "/kpi", f"yesterday seller:{full_width}")


def test_a_category_with_an_ampersand_and_umlauts(bot: OfflineBot, rows: pd.DataFrame) -> None:
    for typed in (KITCHEN, "küche & tisch", unicodedata.normalize("NFD", "KÜCHE & TISCH")):
        shown = seen(bot, "/kpi", f"last week category:{typed}")
        assert heading(KITCHEN, "last week") in shown, typed
    chart = bot.client.slash_command("/kpi", "chart gmv last week category:küche & tisch")
    assert chart.status == 200


def test_suggestions_never_repeat_the_typed_name(bot: OfflineBot, rows: pd.DataFrame) -> None:
    shown = seen(bot, "/kpi", "yesterday seller:Ökoladn")
    assert "I don't know the seller `Ökoladn`. Did you mean `seller:Ökoladen`?" in shown
    assert close_matches(["Ökoladen", "Ökoladen Bio"], "ÖKOLADEN") == ["Ökoladen Bio"]
    assert close_matches(["Café & Co."], unicodedata.normalize("NFD", "café & co.")) == []


def test_seller_rows_keep_their_match_keys(
    bot: OfflineBot, rows: pd.DataFrame, engine: Engine
) -> None:
    with Session(engine) as session:
        sellers = session.exec(select(Seller)).all()
    assert sellers and all(s.name_key == match_key(s.name) for s in sellers)


@pytest.mark.parametrize(
    ("typed", "stored"),
    [("@ＭＡＲＩＡ.makes", "maria.makes"), ("@Maria.Makes", "maria.makes")],
)
def test_handles_are_folded_the_same_everywhere(
    bot: OfflineBot, engine: Engine, typed: str, stored: str
) -> None:
    assert bot.client.slash_command("/feedback", f"{typed} Grüße aus München #Größe").status == 200
    with Session(engine) as session:
        [creator] = session.exec(select(Creator)).all()
        [note] = session.exec(select(FeedbackNote)).all()
    assert creator.handle == stored
    assert note.text == "Grüße aus München" and note.tags == ["grösse"]
    assert "NOTES ABOUT @MARIA.MAKES" in seen(bot, "/feedback", "list @MARIA.MAKES")


def test_the_type_ahead_finds_names_in_every_script(bot: OfflineBot, engine: Engine) -> None:
    for handle, name in [
        ("oeko.anna", "Ökoladen Anna"),
        ("nochnaya", "Ночная Звезда"),
        ("tokyo.life", "東京ライフ"),
        ("blossom", "🌸 Blossom Café"),
    ]:
        bot.client.slash_command("/feedback", f"@{handle} first contact")
        with Session(engine) as session:
            creator = session.exec(select(Creator).where(Creator.handle == handle)).one()
            creator.display_name = name
            session.add(creator)
            session.commit()
    for query, handle in [
        ("ökolad", "oeko.anna"),
        ("ÖKOLAD", "oeko.anna"),
        (unicodedata.normalize("NFD", "ökolad"), "oeko.anna"),
        ("ночная", "nochnaya"),
        ("НОЧНАЯ", "nochnaya"),
        ("東京", "tokyo.life"),
        ("🌸", "blossom"),
        ("CAFÉ", "blossom"),
    ]:
        payload = bot.client.payloads.interactive(
            {
                "type": "block_suggestion",
                "action_id": "feedback_creator",
                "block_id": "creator",
                "user": {"id": "U0MARIA", "team_id": bot.sandbox.team_id},
                "value": query,
                "view": {"id": "V1", "type": "modal", "callback_id": "feedback_note_form"},
            }
        )
        response = bot.client.interaction(payload)
        values = [o["value"] for o in response.json()["options"]]
        assert handle in values, (query, values)
