"""Collaborations are importable (issue 14, point 1): creator × seller with dates and GMV,
updated never duplicated, and a bad file rejected whole; /match then leaves the pair out."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy.engine import Engine

from devkit.offline import OfflineBot
from storage.importers import ImportOptions, ImportRejected, detect_kind, importer_for
from storage.importers.tables import peek_header
from storage.matchmaking.models import Collaboration
from tests.feedback_support import NOW, rows, set_clock
from tests.match_support import add_creator, add_seller
from tests.slack_support import markup

FILE = """Creator username,Seller,Start date,End date,GMV
@Maria.Makes,Ökoladen Küche & Co,2026-09-01,,"$1,200.50"
nora.cooks,Ökoladen Küche & Co,2026-10-15,2026-11-30,
"""


@pytest.fixture
def team(bot: OfflineBot, engine: Engine) -> str:
    set_clock(bot, NOW)
    team_id = bot.sandbox.team_id
    add_seller(engine, team_id, "Ökoladen Küche & Co", "Kitchenware")
    add_creator(engine, team_id, "maria.makes")
    add_creator(engine, team_id, "nora.cooks")
    return team_id


def _import(engine: Engine, team: str, text: str):
    options = ImportOptions(team_id=team, filename="collabs.csv")
    return importer_for("collaborations")(engine, text.encode(), options)


def test_collaborations_are_imported_and_leave_the_pair_out_of_match(
    bot: OfflineBot, engine: Engine, team: str
) -> None:
    assert detect_kind(peek_header(FILE.encode(), "c.csv")) == "collaborations"
    summary = _import(engine, team, FILE)
    assert (summary.new, summary.updated) == (2, 0)
    maria, nora = rows(engine, Collaboration)
    assert (maria.since, maria.until, maria.gmv_cents) == (date(2026, 9, 1), None, 120_050)
    assert (nora.since, nora.until, nora.gmv_cents) == (
        date(2026, 10, 15),
        date(2026, 11, 30),
        None,
    )
    again = _import(engine, team, FILE.replace("1,200.50", "1,300.00"))
    assert (again.new, again.updated) == (0, 2)
    assert rows(engine, Collaboration)[0].gmv_cents == 130_000
    text = markup(bot.say("/match Ökoladen Küche & Co").reply)
    # nora's collaboration ended on 30 Nov: only maria's still runs on 3 Dec
    assert "1 already works together, left out" in text and "@nora.cooks" in text


@pytest.mark.parametrize(
    ("bad", "reason"),
    [
        ("Ökoladen Küche & Co,2026-09-01", "Okoladen Kueche,2026-09-01"),
        ("@Maria.Makes", "@someone.else"),
        ("nora.cooks", "maria.makes"),
        ("2026-10-15", "someday"),
        ('"$1,200.50"', "lots"),
    ],
)
def test_a_bad_row_rejects_the_file(engine: Engine, team: str, bad: str, reason: str) -> None:
    with pytest.raises(ImportRejected):
        _import(engine, team, FILE.replace(bad, reason, 1))
    assert rows(engine, Collaboration) == []


def test_the_reasons_are_said(engine: Engine, team: str) -> None:
    with pytest.raises(ImportRejected) as rejected:
        _import(
            engine,
            team,
            FILE.replace("Ökoladen Küche & Co,2026-09", "Okoladen Kuche & Co,2026-09").replace(
                "nora.cooks", "maria.makes"
            ),
        )
    reasons = [(e.row, e.reason) for e in rejected.value.errors]
    assert reasons == [(2, "is not a seller (did you mean Ökoladen Küche & Co?)")]
