"""Sellers are numbered 0, 1, 2… within their workspace, and the seller bitmaps of the
per-day-and-category sums use those numbers: one workspace's sellers never make another
workspace's bitmaps longer, and seller counts stay exact."""

from __future__ import annotations

from datetime import date

from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from storage.db import transaction
from storage.importers import ImportOptions, importer_for
from storage.kpis.models import DailyCategoryKpi
from storage.kpis.reads import Scope, seller_counts
from storage.sellers.models import Seller
from storage.sellers.registry import NewSeller, add_missing_sellers
from tests import kpi_data

BIG, SMALL = "TBIG", "TSMALL"
DAY_1, DAY_2 = date(2026, 11, 2), date(2026, 11, 3)
# Seller S2 streams on neither day: it counts as managed, never as adopted in LIVE.
SHEET = (
    b"date,seller_id,seller_name,category,gmv,orders,live_sessions\n"
    b"2026-11-02,S1,One,Home,10.00,1,1\n"
    b"2026-11-02,S2,Two,Home,20.00,2,0\n"
    b"2026-11-02,S3,Three,Kitchen,30.00,3,2\n"
    b"2026-11-03,S1,One,Home,10.00,1,0\n"
    b"2026-11-03,S4,Four,Home,40.00,4,1\n"
)


def _import(engine: Engine, team_id: str, data: bytes) -> None:
    importer_for("kpi-sheet")(engine, data, ImportOptions(team_id=team_id, filename="kpi.csv"))


def _numbers(engine: Engine, team_id: str) -> dict[str, int]:
    with engine.connect() as connection:
        rows = connection.execute(
            select(Seller.seller_key, Seller.number).where(Seller.team_id == team_id)
        )
        return {str(key): int(number) for key, number in rows}


def _bitmaps(engine: Engine, team_id: str) -> dict[tuple[date, str], tuple[bytes, bytes]]:
    with Session(engine) as session:
        rows = session.exec(select(DailyCategoryKpi).where(DailyCategoryKpi.team_id == team_id))
        return {(r.day, r.category): (r.seller_bits, r.live_bits) for r in rows}


def test_a_workspace_with_huge_seller_ids_still_gets_bitmaps_of_its_own_size(
    engine: Engine,
) -> None:
    _import(engine, BIG, kpi_data.to_csv(kpi_data.generate(sellers=40)))
    with transaction(engine) as session:  # row ids far beyond any other workspace's
        for n, key in enumerate(("S1", "S2", "S3")):
            session.add(
                Seller(id=5_000_000 + n, team_id=SMALL, seller_key=key, name=key, category="Home")
            )
    _import(engine, SMALL, SHEET)  # S4 is new: added by the import

    assert _numbers(engine, SMALL) == {"S1": 0, "S2": 1, "S3": 2, "S4": 3}
    assert sorted(_numbers(engine, BIG).values()) == list(range(40))
    expected = {
        (DAY_1, "Home"): (b"\x03", b"\x01"),  # S1 and S2; S1 streams
        (DAY_1, "Kitchen"): (b"\x04", b"\x04"),  # S3
        (DAY_2, "Home"): (b"\x09", b"\x08"),  # S1 and S4; S4 streams
    }
    assert _bitmaps(engine, SMALL) == expected
    assert all(len(bits) <= 5 for pair in _bitmaps(engine, BIG).values() for bits in pair)

    windows = {"day 1": (DAY_1, DAY_1), "day 2": (DAY_2, DAY_2), "both": (DAY_1, DAY_2)}
    counts = {"day 1": (3, 2), "day 2": (2, 1), "both": (4, 3)}
    assert seller_counts(engine, Scope(SMALL), windows) == counts
    assert seller_counts(engine, Scope(SMALL, category="Home"), windows) == {
        "day 1": (2, 1),
        "day 2": (2, 1),
        "both": (3, 2),
    }

    _import(engine, SMALL, SHEET)  # the same days again: re-summed from the table
    assert _bitmaps(engine, SMALL) == expected
    assert seller_counts(engine, Scope(SMALL), windows) == counts


def test_every_way_of_adding_sellers_numbers_them_densely_per_workspace(engine: Engine) -> None:
    with transaction(engine) as session:
        two = [NewSeller("A", "A", "Home"), NewSeller("B", "B", "Home")]
        assert add_missing_sellers(session, "T1", two)[1] == 2
        add_missing_sellers(session, "T2", [NewSeller("A", "A", "Home")])
        add_missing_sellers(session, "T1", [NewSeller("B", "B", "Home"), NewSeller("C", "", "")])
    with transaction(engine) as session:  # added through the session, two workspaces at once
        for team_id, key in (("T1", "D"), ("T2", "B"), ("T1", "E")):
            session.add(Seller(team_id=team_id, seller_key=key, name=key, category="Home"))
    registry = b"id,name,categories\nE,E,Home\nF,F,Home\nG,G,Kitchen\n"
    importer_for("sellers")(engine, registry, ImportOptions(team_id="T2", filename="sellers.csv"))

    t1, t2 = _numbers(engine, "T1"), _numbers(engine, "T2")
    assert (t1["A"], t1["B"], t1["C"]) == (0, 1, 2)
    assert sorted(t1.values()) == list(range(5)) and {t1["D"], t1["E"]} == {3, 4}
    assert (t2["A"], t2["B"]) == (0, 1)
    assert sorted(t2.values()) == list(range(5))
