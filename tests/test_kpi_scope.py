"""Scope resolution shared by `/kpi`, `/kpi chart` and `/digest`: typed names to the rows a
figure covers, with close matches that never repeat what was typed."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta

import pytest
from sqlalchemy.engine import Engine

from bot.kpi.scope import known_scope, resolve_scope
from bot.shared.kpis.definitions import ALL_CATEGORIES
from bot.shared.names import suggestions
from devkit.offline import OfflineBot
from storage.errors import UserError
from storage.importers import ImportOptions, importer_for
from storage.kpis import reads as store
from storage.kpis.reads import Scope
from storage.names import match_key
from storage.sellers.registry import find_seller
from tests import kpi_data
from tests.kpi_data import FIRST_DAY

TEAM = "TSCOPE"
TODAY = FIRST_DAY + timedelta(days=kpi_data.DAYS)


def test_a_suggestion_is_never_the_name_typed() -> None:
    names = ["Étoile Home", "Etoile Homes", "Straße Deko", "Home & Living"]
    assert "Étoile Home" not in suggestions(names, "ÉTOILE HOME")
    assert "Etoile Homes" in suggestions(names, "ÉTOILE HOME")
    assert suggestions(names, "STRASSE DEKO") == []
    assert suggestions(names, "Home Livng") == ["Home & Living"]


def test_suggestions_keep_their_number_when_the_typed_name_is_left_out() -> None:
    names = ["Café Uno", "Cafe Uno", "Cafe Unos", "Cafe Una", "Cafe Ono"]
    found = suggestions(names, "CAFÉ UNO")
    assert len(found) == 3
    assert all(match_key(name) != match_key("CAFÉ UNO") for name in found)


def test_labels() -> None:
    assert known_scope(TEAM).label == "all sellers"
    assert known_scope(TEAM, everything=ALL_CATEGORIES).label == "all categories"
    assert known_scope(TEAM, "Pet Supplies") == known_scope(TEAM, "Pet Supplies", everything="x")


def _import(engine: Engine, lines: list[str]) -> None:
    sheet = "date,seller_id,seller_name,category,gmv,orders\n" + "\n".join(lines) + "\n"
    importer_for("kpi-sheet")(
        engine, sheet.encode(), ImportOptions(team_id=TEAM, filename="kpi.csv")
    )


def test_names_resolve_whatever_their_case(engine: Engine) -> None:
    _import(
        engine,
        ["2026-11-02,K1,Étoile Home,Home & Living,5.00,1", "2026-11-02,K2,Bo Shop,Pet Care,1.00,1"],
    )
    seller = find_seller(engine, TEAM, "K1")
    assert seller is not None
    resolved = resolve_scope(engine, TEAM, "home & LIVING", "K1")
    assert resolved.scope == Scope(TEAM, "Home & Living", seller.id)
    assert resolved.label == "Home & Living · Étoile Home"
    with pytest.raises(UserError) as refused:
        resolve_scope(engine, TEAM, "Home Livng")
    assert "Did you mean `category:Home &amp; Living`" in refused.value.message
    try:  # found on PostgreSQL; on SQLite lower() folds only ASCII, so refused
        resolve_scope(engine, TEAM, seller="ÉTOILE HOME")
    except UserError as error:
        assert "Did you mean" not in error.message


@pytest.fixture
def counted_latest_day(monkeypatch: pytest.MonkeyPatch) -> list[Scope]:
    """Every read of the latest day with data, by scope."""
    reads: list[Scope] = []
    original: Callable[[Engine, Scope], date | None] = store.latest_day

    def latest_day(engine: Engine, scope: Scope) -> date | None:
        reads.append(scope)
        return original(engine, scope)

    monkeypatch.setattr(store, "latest_day", latest_day)
    return reads


def test_kpi_today_reads_the_latest_day_once(
    bot: OfflineBot, engine: Engine, counted_latest_day: list[Scope]
) -> None:
    kpi_data.load_sheet(bot, engine, kpi_data.generate(), TODAY)
    for words in ("today", "today category:personal care", "last week"):
        counted_latest_day.clear()
        reply = bot.client.slash_command("/kpi", words).json()
        assert "GMV" in reply["text"], reply["text"]
        assert len(counted_latest_day) == 1, words
    assert "Today's data is not in yet" in bot.client.slash_command("/kpi", "today").json()["text"]
