"""The seller registry: the extended import (contacts, programs, tags, tier), the form from
`/seller add` and the card's Edit button, and the history every change leaves."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy.engine import Engine

from bot.sellers.card import EDIT_SELLER
from devkit.offline import OfflineBot
from storage.importers import ImportOptions, importer_for
from storage.importers.base import ImportRejected
from storage.sellers.models import Seller, SellerChange
from tests.feedback_support import answers, click, last_view, rows, submit
from tests.slack_support import button_value, markup

HEADER = "Shop ID,Store Name,Categories,Market,Tier,Owner,Status,Contacts,Programs,Tags\n"


def _import(engine: Engine, text: str, user: str = "U0MARIA") -> Any:
    return importer_for("sellers")(
        engine, text.encode(), ImportOptions(team_id="T1", filename="sellers.csv", user_id=user)
    )


def test_the_import_keeps_every_profile_field_and_its_history(engine: Engine) -> None:
    summary = _import(
        engine,
        HEADER
        + '7495,Küchenwelt,Kitchenware; Home & Living,DE,A,U0TOM,onboarding,"Ana Lima, owner, '
        'ana@kw.example; Bo",LIVE | affiliate,key-account; q4\n'
        + "7496,東京 Beauty,Beauty,JP,,,prospect,,,\n",
    )
    assert (summary.new, summary.updated) == (2, 0)
    seller = next(s for s in rows(engine, Seller) if s.seller_key == "7495")
    assert (seller.category, seller.categories) == ("Kitchenware", ["Kitchenware", "Home & Living"])
    assert (seller.market, seller.tier, seller.owner_user_id, seller.status) == (
        "DE",
        "A",
        "U0TOM",
        "onboarding",
    )
    assert seller.contacts == [
        {"name": "Ana Lima", "role": "owner", "reach": "ana@kw.example"},
        {"name": "Bo", "role": "", "reach": ""},
    ]
    assert (seller.programs, seller.tags) == (["live", "affiliate"], ["key-account", "q4"])

    again = _import(
        engine, HEADER + "7495,Küchenwelt,Kitchenware,DE,B,U0TOM,active,,live,\n", "U0ANA"
    )
    assert (again.new, again.updated) == (0, 1)
    changes = [c for c in rows(engine, SellerChange) if c.seller_id == seller.id]
    assert len(changes) == 2 and changes[1].changed_by == "U0ANA"
    assert changes[1].changes["tier"] == ["A", "B"]
    assert changes[1].changes["status"] == ["onboarding", "active"]
    assert set(changes[1].changes) == {
        "tier",
        "status",
        "categories",
        "contacts",
        "programs",
        "tags",
    }
    unchanged = _import(engine, HEADER + "7495,Küchenwelt,Kitchenware,DE,B,U0TOM,active,,live,\n")
    assert unchanged.updated == 0 and len(rows(engine, SellerChange)) == 3


@pytest.mark.parametrize(
    ("body", "problem"),
    [
        ("1,A,X,,,,,,,\n1,B,X,,,,,,,\n", "row 3, Shop ID = '1': repeats the shop id of row 2"),
        (
            "1,Casa,X,,,,,,,\n2,CASA,X,,,,,,,\n",
            "row 3, Store Name = 'CASA': repeats the store name",
        ),
        ("1,A,X,,,@tom,,,,\n", "row 2, Owner = '@tom': is not a Slack user ID"),
        ("1,A,X,,,,sleeping,,,\n", "row 2, Status = 'sleeping': is not one of"),
        ("1,A,X,,,,,,tiktok ads,\n", "row 2, Programs = 'tiktok ads': names a program other than"),
        (",A,X,,,,,,,\n", "row 2, Shop ID"),
    ],
)
def test_bad_rows_reject_the_whole_file(engine: Engine, body: str, problem: str) -> None:
    with pytest.raises(ImportRejected) as rejected:
        _import(engine, HEADER + body)
    assert problem in rejected.value.describe()
    assert rows(engine, Seller) == [] and rows(engine, SellerChange) == []


def test_a_name_another_shop_has_is_refused(engine: Engine) -> None:
    _import(engine, HEADER + "1,Casa Bonita,X,,,,,,,\n")
    with pytest.raises(ImportRejected) as rejected:
        _import(engine, HEADER + "2,casa bonita,X,,,,,,,\n")
    assert "is already the name of shop id 1" in rejected.value.describe()
    assert len(rows(engine, Seller)) == 1


def _form(**fields: str | None) -> dict[str, Any]:
    values: dict[str, Any] = {
        "status": {
            "status": {
                "type": "static_select",
                "selected_option": {"value": fields.pop("status", "active")},
            }
        },
        "owner": {"owner": {"type": "users_select", "selected_user": fields.pop("owner", None)}},
    }
    for name, value in fields.items():
        values[name] = {name: {"type": "plain_text_input", "value": value}}
    return values


def test_add_and_edit_with_the_form_keep_history(bot: OfflineBot, engine: Engine) -> None:
    bot.say("/seller add")
    view = last_view(bot)
    response = bot.client.view_submission(view, _form(key="", name="", categories=""))
    errors = response.json()["errors"]
    assert set(errors) == {"key", "name", "categories"}
    assert rows(engine, Seller) == []
    values = _form(
        key="8801",
        name="Café <b>Küche</b> 🍳",
        categories="Kitchenware, Home & Living",
        market="AT",
        tier="B",
        owner="U0TOM",
        contacts="Lena Wolf, buyer, lena@cafe.example\nOps desk",
        programs="live",
        tags="new",
    )
    submit(bot, view, values)
    [answer] = answers(bot, 1)
    assert answer["text"].startswith("Café &lt;b&gt;Küche&lt;/b&gt; 🍳: GMV")
    assert answer["blocks"][0]["text"]["text"] == "Café <b>Küche</b> 🍳"  # a plain-text header
    [seller] = rows(engine, Seller)
    assert seller.contacts[1] == {"name": "Ops desk", "role": "", "reach": ""}
    click(bot, EDIT_SELLER, button_value(answer, EDIT_SELLER))
    edit = last_view(bot, 2)
    assert "Editing *Café &lt;b&gt;Küche&lt;/b&gt; 🍳*" in markup(edit)
    submit(
        bot,
        edit,
        {**values, **_form(name="Café Küche", status="paused", owner="U0TOM")},
        user="U0ANA",
    )
    answers(bot, 2)
    [first, second] = rows(engine, SellerChange)
    assert first.changed_by == "U0MARIA" and second.changed_by == "U0ANA"
    assert second.changes == {
        "name": ["Café <b>Küche</b> 🍳", "Café Küche"],
        "status": ["active", "paused"],
    }


def test_the_form_refuses_a_taken_shop_id_or_name(bot: OfflineBot, engine: Engine) -> None:
    importer_for("sellers")(
        engine,
        (HEADER + "1,Casa Bonita,X,,,,,,,\n").encode(),
        ImportOptions(team_id=bot.sandbox.team_id, filename="s.csv"),
    )
    bot.say("/seller add")
    view = last_view(bot)
    taken = bot.client.view_submission(view, _form(key="1", name="Other", categories="X"))
    assert "already belongs to" in taken.json()["errors"]["key"]
    named = bot.client.view_submission(view, _form(key="2", name="CASA BONITA", categories="X"))
    assert "There is already a seller called" in named.json()["errors"]["name"]
    assert len(rows(engine, Seller)) == 1


def test_a_registry_shared_with_the_bot_refuses_owners_not_in_the_workspace(
    bot: OfflineBot, engine: Engine
) -> None:
    bot.sandbox.add_user("U0TOM", "tom", "Tom Berg")
    sheet = HEADER + "1,Casa,X,,,U0TOM,,,,\n2,Nova,X,,,U0GONE99,,,,\n"
    bot.client.file_share("U0MARIA", "sellers.csv", sheet.encode())
    bot.settle()
    dm = bot.sandbox.dm_channel("U0MARIA")
    [reply] = [c for c in bot.sandbox.calls("chat.postMessage") if c.params["channel"] == dm]
    assert "row 3, Owner = 'U0GONE99': is not a person in this workspace" in reply.params["text"]
    assert rows(engine, Seller) == []
    bot.client.file_share("U0MARIA", "sellers.csv", (HEADER + "1,Casa,X,,,U0TOM,,,,\n").encode())
    bot.settle()
    assert [s.owner_user_id for s in rows(engine, Seller)] == ["U0TOM"]
