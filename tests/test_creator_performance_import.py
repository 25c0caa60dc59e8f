"""The creator import reads Affiliate Center performance columns (issue 14, point 1): dated
snapshots overall and per category, percentages either way, the newest marked, bad cells
rejected with nothing saved."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session

from storage.creators.models import Creator
from storage.importers import ImportOptions, ImportRejected, importer_for
from storage.matchmaking.models import CreatorPerformance
from storage.matchmaking.performance import snapshot_history
from tests.feedback_support import rows

HEADER = (
    "Creator username,Creator name,GMV,Items sold,LIVE GPM,Video GPM,Engagement rate,"
    "Followers,Samples shipped,Posts after samples,Response rate,Content type,Date"
)
OVERALL = f"""{HEADER}
maria.makes,Maria,"$1,200.00",80,$41.50,$12.00,4.5%,12.3K,10,3,90%,"LIVE, video",2026-10-01
tom.tidy,Tom,300,20,,$8,0.5%,900,2,2,,Video,2026-10-01
"""
BY_CATEGORY = """Creator username,Category,GMV,Items sold,LIVE GPM,Engagement rate,Date
maria.makes,Kitchenware,900,60,41.5,0.045,2026-10-01
maria.makes,Home Décor,300,20,10,0.03,2026-10-01
"""


def _import(engine: Engine, text: str, name: str = "creators.csv"):
    options = ImportOptions(team_id="T1", filename=name)
    return importer_for("creators")(engine, text.encode(), options)


def test_performance_columns_become_a_dated_snapshot(engine: Engine) -> None:
    summary = _import(engine, OVERALL)
    assert (summary.new, summary.rows) == (2, 2)
    maria, tom = rows(engine, CreatorPerformance)
    assert (maria.as_of, maria.category, maria.latest) == (date(2026, 10, 1), "", True)
    assert (maria.gmv_cents, maria.items_sold) == (120_000, 80)
    assert (maria.live_gpm_cents, maria.video_gpm_cents) == (4_150, 1_200)
    assert Decimal(str(maria.engagement_rate)) == Decimal("0.045")
    assert Decimal(str(maria.response_rate)) == Decimal("0.9")
    assert (maria.samples_shipped, maria.posts_after_samples) == (10, 3)
    assert (maria.followers, maria.content_types) == (12_300, "live,video")
    assert (tom.live_gpm_cents, tom.video_gpm_cents, tom.response_rate) == (None, 800, None)
    assert Decimal(str(tom.engagement_rate)) == Decimal("0.005")
    assert tom.content_types == "video"


def test_later_snapshots_keep_the_history_and_become_the_latest(engine: Engine) -> None:
    _import(engine, OVERALL)
    _import(engine, OVERALL.replace("2026-10-01", "2026-11-01").replace("$41.50", "$50"))
    _import(engine, OVERALL.replace("2026-10-01", "2026-09-01"))  # an older month, late
    _import(engine, OVERALL.replace("2026-10-01", "2026-11-01").replace("$41.50", "$52"))
    snapshots = [s for s in rows(engine, CreatorPerformance) if s.creator_id == 1]
    by_day = {s.as_of: s for s in snapshots}
    assert sorted(by_day) == [date(2026, 9, 1), date(2026, 10, 1), date(2026, 11, 1)]
    assert [by_day[d].latest for d in sorted(by_day)] == [False, False, True]
    assert by_day[date(2026, 11, 1)].live_gpm_cents == 5_200  # the same day again: updated
    with Session(engine) as session:
        trend = snapshot_history(session, 1)
    assert [(s.as_of.month, s.live_gpm_cents) for s in trend] == [
        (9, 4_150),
        (10, 4_150),
        (11, 5_200),
    ]


def test_category_rows_are_per_category_snapshots(engine: Engine) -> None:
    _import(engine, OVERALL)
    summary = _import(engine, BY_CATEGORY)
    assert (summary.new, summary.updated) == (0, 1)
    kitchen, decor = [s for s in rows(engine, CreatorPerformance) if s.category]
    assert (kitchen.category_key, kitchen.gmv_cents, kitchen.live_gpm_cents) == (
        "kitchenware",
        90_000,
        4_150,
    )
    assert (decor.category, decor.category_key) == ("Home Décor", "home décor")
    maria = rows(engine, Creator)[0]
    assert maria.categories == ["Kitchenware", "Home Décor"]
    assert maria.gmv_cents == 120_000  # the overall figure stays the creator's own


@pytest.mark.parametrize(
    ("bad", "column", "said"),
    [
        ("4.5%", "lots", "is not a rate such as 12% or 0.12"),
        ("4.5%", "150%", "is not a rate such as 12% or 0.12"),
        ("$41.50", "viele €", "is not an amount of money"),
        ("12.3K", "много", "is not a follower count"),
        ('"LIVE, video"', "podcast", "is not a content type"),
        (",10,3,", ",10,13,", "is more than the 10 samples shipped"),
    ],
)
def test_bad_performance_cells_reject_the_file(
    engine: Engine, bad: str, column: str, said: str
) -> None:
    with pytest.raises(ImportRejected) as rejected:
        _import(engine, OVERALL.replace(bad, column, 1))
    assert said in str(rejected.value.errors[0].reason)
    assert rejected.value.errors[0].row == 2
    assert rows(engine, Creator) == [] and rows(engine, CreatorPerformance) == []


def test_the_same_creator_twice_in_a_category_is_refused(engine: Engine) -> None:
    twice = BY_CATEGORY + "Maria.Makes,KITCHENWARE,1,1,1,1%,2026-10-01\n"
    with pytest.raises(ImportRejected) as rejected:
        _import(engine, twice)
    assert [(e.row, e.reason) for e in rejected.value.errors] == [(4, "repeats row 2")]
    assert rows(engine, CreatorPerformance) == []
