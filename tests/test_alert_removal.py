"""Alert rules live as notes and reviews do (issue 24): only a rule's author or an admin
removes or mutes it; a removed rule stops firing, and an admin can restore it under its
number within 30 days, after which it is gone for good."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta
from decimal import Decimal

import pandas as pd
import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from devkit.offline import OfflineBot
from storage.alerts.models import AlertFiring, AlertRule
from storage.alerts.rules import MAX_RULES, RuleDraft, add_rule, purge_removed_rules
from tests.alert_data import BIG, LAST, alert_posts, build, check, cut, load, morning_after
from tests.slack_support import markup

TOM, PRIYA, MARIA = "U0TOM", "U0PRIYA", "U0MARIA"  # Maria is the admin


def _said(bot: OfflineBot, typed: str, user_id: str) -> str:
    """What `user_id` sees after typing, on one line (the shell wraps long answers)."""
    return " ".join(bot.say(typed, user_id=user_id).text.split())


def _rules(engine: Engine) -> list[AlertRule]:
    with Session(engine) as session:
        return list(session.exec(select(AlertRule).order_by(AlertRule.number)).all())  # type: ignore[arg-type]


def _firings(engine: Engine) -> list[AlertFiring]:
    with Session(engine) as session:
        return list(session.exec(select(AlertFiring)).all())


@pytest.fixture
def toms_alert(bot: OfflineBot, engine: Engine) -> pd.DataFrame:
    """Sixteen steady weeks, and Tom's GMV alert (number 1) in #lifestyle-kpi."""
    frame = build()
    load(engine, bot.sandbox.team_id, frame)
    morning_after(bot, LAST)
    assert "Alert 1 saved" in bot.say("/alert add gmv", user_id=TOM).text
    return frame


def _plant_a_drop(bot: OfflineBot, engine: Engine, after: int = 1) -> None:
    """Casa Grande's GMV cut to 15% on the day `after` days past LAST, judged next morning."""
    day = LAST + timedelta(days=after)
    load(engine, bot.sandbox.team_id, cut(build(day, day), day, BIG, keep=0.15))
    morning_after(bot, day)


def test_someone_else_is_refused_and_the_rule_is_unchanged(
    bot: OfflineBot, engine: Engine, toms_alert: pd.DataFrame
) -> None:
    [before] = _rules(engine)
    for typed, verb in (("/alert remove 1", "remove"), ("/alert mute 1 7d", "mute")):
        seen = bot.say(typed, user_id=PRIYA)
        said = " ".join(seen.text.split())
        assert f"Only the alert's author (@tom) or an admin can {verb} it." in said
        assert "The admins are @maria" in said
        assert seen.reply.get("response_type", "ephemeral") == "ephemeral"
    assert _rules(engine) == [before]
    assert before.deleted_at is None and before.muted_until is None
    # Still judged: the planted drop fires.
    _plant_a_drop(bot, engine)
    assert check(bot).fired and len(alert_posts(bot)) == 1


def test_a_removed_rule_stops_firing_and_an_admin_restores_it_under_its_number(
    bot: OfflineBot, engine: Engine, toms_alert: pd.DataFrame
) -> None:
    said = _said(bot, "/alert remove 1", TOM)  # its author, no admin
    assert "🗑 Removed alert 1 (GMV · all categories" in said
    assert "An admin can restore it within 30 days: `/alert restore 1`." in said
    assert "No alerts yet" in bot.say("/alert list").text
    _plant_a_drop(bot, engine)
    assert check(bot).fired == []
    assert alert_posts(bot) == [] and _firings(engine) == []
    # Typed again by number: said removed, with the way back.
    said = _said(bot, "/alert mute 1", TOM)
    assert "Alert 1 was removed by @tom: an admin can restore it within 30 days" in said
    # Restoring is an admin's, as for notes and reviews.
    refused = _said(bot, "/alert restore 1", TOM)
    assert "Only admins can restore a removed alert. The admins are @maria" in refused
    assert _rules(engine)[0].deleted_at is not None
    restored = _said(bot, "/alert restore 1", MARIA)
    assert "♻️ Restored alert 1: GMV · all categories · unusual" in restored
    assert "1. GMV · all categories" in bot.say("/alert list").text
    [rule] = _rules(engine)
    assert rule.number == 1 and rule.created_by == TOM and rule.deleted_at is None
    # It fires again, under its number.
    assert check(bot).fired
    [post] = alert_posts(bot)
    assert "_Alert 1: " in markup(post)
    # An admin may remove anyone's rule; the next rule added still takes a new number.
    assert "Removed alert 1" in bot.say("/alert remove 1", user_id=MARIA).text
    assert "Alert 2 saved" in bot.say("/alert add gmv", user_id=PRIYA).text


def test_after_thirty_days_a_removed_rule_is_gone_and_its_number_stays_retired(
    bot: OfflineBot, engine: Engine, toms_alert: pd.DataFrame
) -> None:
    assert "Removed alert 1" in bot.say("/alert remove 1", user_id=TOM).text
    removed_at = bot.services.clock()
    later = removed_at + timedelta(days=30, minutes=1)
    bot.services.clock = lambda: later
    said = _said(bot, "/alert restore 1", MARIA)
    assert "There is no alert 1 in this workspace" in said
    assert _rules(engine)[0].deleted_at is not None  # kept until the purge runs
    # The daily purge: removed over 30 days ago, gone for good.
    assert purge_removed_rules(engine, bot.sandbox.team_id, later) == 1
    assert _rules(engine) == []
    assert "There is no alert 1" in bot.say("/alert restore 1", user_id=MARIA).text
    assert "Alert 2 saved" in bot.say("/alert add gmv", user_id=TOM).text


def test_within_thirty_days_the_purge_keeps_a_removed_rule(
    bot: OfflineBot, engine: Engine, toms_alert: pd.DataFrame
) -> None:
    assert "Removed alert 1" in bot.say("/alert remove 1", user_id=TOM).text
    soon = bot.services.clock() + timedelta(days=29, hours=23)
    assert purge_removed_rules(engine, bot.sandbox.team_id, soon) == 0
    bot.services.clock = lambda: soon
    assert "Restored alert 1" in bot.say("/alert restore 1", user_id=MARIA).text


def test_the_scheduler_purges_removed_rules_daily(bot: OfflineBot) -> None:
    from bot.scheduler import build_scheduler

    scheduler = build_scheduler(bot.services)
    job = scheduler.get_job("alert-purge-removed")
    assert job is not None and job.trigger.interval == timedelta(hours=24)


def test_a_restore_that_would_post_twice_or_pass_the_limit_is_refused(
    bot: OfflineBot, engine: Engine, toms_alert: pd.DataFrame
) -> None:
    assert "Removed alert 1" in bot.say("/alert remove 1", user_id=TOM).text
    # Added again meanwhile: restoring the old one would post every alert twice.
    assert "Alert 2 saved" in bot.say("/alert add gmv", user_id=TOM).text
    said = _said(bot, "/alert restore 1", MARIA)
    assert "Alert 2 already does what alert 1 did, so alert 1 stays removed." in said
    assert "Removed alert 2" in bot.say("/alert remove 2", user_id=MARIA).text
    # The workspace filled up meanwhile: the most it can have.
    team, now = bot.sandbox.team_id, bot.services.clock()
    for n in range(MAX_RULES):
        add_rule(engine, replace(_draft(team), threshold=Decimal(1_000_000 + n)), now)
    said = _said(bot, "/alert restore 1", MARIA)
    assert f"This workspace has {MAX_RULES} alert rules, the most it can have." in said
    assert all(r.deleted_at is not None for r in _rules(engine) if r.number in (1, 2))


def _draft(team_id: str) -> RuleDraft:
    return RuleDraft(
        team_id=team_id,
        metric="orders",
        category=None,
        seller_id=None,
        rule="above",
        baseline="",
        percent=None,
        threshold=None,
        channel_id="C0KPI",
        channel_name="lifestyle-kpi",
        created_by=TOM,
    )
