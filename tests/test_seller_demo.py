"""The demo's sellers: profiles with contacts and programs, seller notes, and every kind of gap
and opportunity on show, in the shell as a newcomer would type it."""

from __future__ import annotations

from collections import Counter
from datetime import date

from sqlalchemy.engine import Engine

from bot.sellers.gaps import GapKind, seller_gaps
from bot.sellers.thresholds import GapThresholds
from devkit.demo.data import DEMO_TEAM_ID
from devkit.demo.seed import seed_demo
from devkit.offline import OfflineBot
from storage.sellers.models import Seller, SellerNote
from tests.feedback_support import rows
from tests.slack_support import markup

TODAY = date(2025, 12, 20)


def test_the_demo_shows_every_kind_of_gap(engine: Engine) -> None:
    summary = seed_demo(engine, today=TODAY)
    assert summary.seller_notes > 300
    sellers = rows(engine, Seller)
    assert sum(bool(s.contacts) for s in sellers) > 140 and any(
        "Ł" in str(s.contacts) or "ü" in str(s.contacts) for s in sellers
    )
    assert all(set(s.programs) <= {"live", "affiliate"} for s in sellers)
    kinds = Counter(r.kind for r in seller_gaps(engine, DEMO_TEAM_ID, TODAY, GapThresholds()).rows)
    assert set(kinds) == set(GapKind), set(GapKind) - set(kinds)
    assert seed_demo(engine, today=TODAY).seller_notes == 0  # idempotent
    assert len(rows(engine, SellerNote)) == summary.seller_notes


def test_the_seller_commands_work_on_the_demo(bot: OfflineBot, engine: Engine) -> None:
    seed_demo(engine, team_id=bot.sandbox.team_id, today=TODAY)
    for line in ("/seller list", "/seller gaps", "/seller Café & Co. Casa", "/seller search LIVE"):
        shown = markup(bot.say(line).reply)
        assert ":warning:" not in shown, (line, shown)
    assert "Café &amp; Co. Casa" in markup(bot.say("/seller log café & co. casa").reply)
