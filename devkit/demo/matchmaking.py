"""The demo's matchmaking data: a year of monthly performance snapshots per creator (overall,
and this month per category), collaborations' GMV, and an outreach pipeline with some pairs
overdue. Deterministic like the rest of the demo, and idempotent."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from sqlmodel import col, select

from bot.creators.levels import DEFAULT_LEVEL_THRESHOLDS
from devkit.demo.data import (
    CREATOR_MANAGERS,
    CreatorPlan,
    SellerPlan,
    _at,
    _rng,
    _Team,
    creator_level,
    plan_collaborations,
    split_whole,
)
from storage.creators.models import CreatorStage
from storage.matchmaking.models import Outreach, OutreachStage, OutreachStageChange
from storage.matchmaking.outreach import ORDER, due_on
from storage.matchmaking.performance import save_snapshots
from storage.names import match_key

SNAPSHOT_MONTHS = 12
PIPELINE_PAIRS = 48
# The figures of a snapshot that a creator's category rows share out, so they add up to the
# overall row; rates (GPM, engagement, response) are the category's own.
ADDITIVE = ("gmv_cents", "orders", "items_sold", "samples_shipped", "posts_after_samples")
Row = dict[str, Any]


def _months(today: date, count: int) -> list[date]:
    index = today.year * 12 + today.month - 1
    return [date(i // 12, i % 12 + 1, 1) for i in range(index - count + 1, index + 1)]


def creator_snapshot(creator: CreatorPlan, month: date, level: int, category: str = "") -> Row:
    """A creator's Affiliate Center figures for a month: GMV near their level's threshold,
    GPM and engagement that grow with the level, sample fulfilment of their own habit."""
    rng = _rng("performance", creator.handle, month, category)
    habit = _rng("habit", creator.handle)
    floor = DEFAULT_LEVEL_THRESHOLDS[level - 1] if level else 20
    gmv_cents = round(floor * 100 * rng.uniform(1.0, 2.2) * (0.6 if category else 1.0))
    order_value = habit.choice((1_500, 2_200, 2_900, 3_800, 5_500, 8_000))
    content = habit.choice(("live", "live", "video", "live,video"))
    shipped = rng.randint(0, 12)
    posts = min(shipped, round(shipped * habit.uniform(0.2, 1.0)))
    return {
        "as_of": month,
        "category": category,
        "category_key": match_key(category),
        "gmv_cents": gmv_cents,
        "orders": max(1, gmv_cents // order_value),
        "items_sold": max(1, round(gmv_cents / order_value * 1.3)),
        "live_gpm_cents": round(400 + level * 520 * rng.uniform(0.6, 1.5))
        if "live" in content
        else None,
        "video_gpm_cents": round(200 + level * 300 * rng.uniform(0.6, 1.5))
        if "video" in content
        else None,
        "engagement_rate": round(min(0.2, 0.004 + level * 0.006 * rng.uniform(0.5, 1.6)), 4),
        "followers": creator.followers,
        "samples_shipped": shipped,
        "posts_after_samples": posts,
        "response_rate": round(habit.uniform(0.4, 1.0), 2),
        "content_types": content,
    }


def category_snapshots(creator: CreatorPlan, overall: Row, level: int) -> list[Row]:
    """The month's snapshot per category of the creator: the overall row's counts and GMV
    shared out over the categories (so they add up to it), each with its own rates."""
    month = overall["as_of"]
    rows = [creator_snapshot(creator, month, level, c) for c in creator.categories]
    weights = [
        _rng("category-share", creator.handle, month, c).uniform(0.5, 2.0)
        for c in creator.categories
    ]
    for name in ADDITIVE:
        # Posts follow the samples, so no category posts more than it was sent.
        shares = [r["samples_shipped"] for r in rows] if name == "posts_after_samples" else weights
        for row, part in zip(rows, split_whole(overall[name], shares), strict=True):
            row[name] = part
    return rows


def add_performance(team: _Team, creators: list[CreatorPlan], today: date) -> int:
    """Twelve monthly overall snapshots per creator, and this month's per category."""
    snapshots = []
    this_month = today.replace(day=1)
    for creator in creators:
        creator_id = team.creators[creator.handle]
        for month in _months(today, SNAPSHOT_MONTHS):
            level = creator_level(creator, month)
            overall = creator_snapshot(creator, month, level)
            snapshots.append({"creator_id": creator_id, **overall})
            if month == this_month:
                snapshots.extend(
                    {"creator_id": creator_id, **row}
                    for row in category_snapshots(creator, overall, level)
                )
    return save_snapshots(team.session, team.team_id, snapshots)


def collaboration_figures(row: Row, today: date) -> Row:
    """A planned collaboration with its GMV, and an end for some that stopped."""
    rng = _rng("collaboration", row["creator"], row["seller"])
    ended = rng.random() < 0.2 and row["since"] < today - timedelta(days=60)
    until = today - timedelta(days=rng.randint(10, 50)) if ended else None
    return {**row, "until": until, "gmv_cents": rng.randint(20_000, 4_000_000)}


def plan_pipeline(
    sellers: list[SellerPlan], creators: list[CreatorPlan], today: date, taken: set[tuple[str, str]]
) -> list[Row]:
    """Prospects and contacted creators paired with sellers of their categories, at every
    stage, started over the last six weeks, so some are overdue."""
    rng = _rng("pipeline")
    open_ = [
        c
        for c in creators
        if c.stage in (CreatorStage.PROSPECT, CreatorStage.CONTACTED, CreatorStage.ONBOARDING)
    ]
    rows: list[Row] = []
    for creator in rng.sample(open_, k=min(PIPELINE_PAIRS, len(open_))):
        fits = [s for s in sellers if s.active and s.category in creator.categories]
        fits = [s for s in fits if (creator.handle, s.key) not in taken]
        if not fits:
            continue
        seller = rng.choice(fits)
        stage = rng.choice([*ORDER[1:], OutreachStage.DECLINED])
        since = _at(today - timedelta(days=rng.randint(0, 40)), rng.randint(9, 17))
        declined = stage == OutreachStage.DECLINED
        rows.append(
            {
                "creator": creator.handle,
                "seller": seller.key,
                "stage": str(stage),
                "owner_user_id": creator.owner or rng.choice(CREATOR_MANAGERS),
                "declined_reason": "Commission too low for their audience" if declined else None,
                "stage_since": since,
                "follow_up_on": due_on(stage, since),
                "created_at": since,
                "updated_at": since,
            }
        )
    return rows


def add_pipeline(
    team: _Team, sellers: list[SellerPlan], creators: list[CreatorPlan], today: date
) -> int:
    """The planned pairs the team lacks, each with the move that put it at its stage."""
    working = {(r["creator"], r["seller"]) for r in plan_collaborations(sellers, creators, today)}
    added = team.add_missing(Outreach, plan_pipeline(sellers, creators, today, working))
    if not added:
        return 0
    pairs = {(r["creator_id"], r["seller_id"]): r for r in added}
    ids = team.session.exec(
        select(Outreach.id, Outreach.creator_id, Outreach.seller_id).where(
            Outreach.team_id == team.team_id,
            col(Outreach.creator_id).in_([c for c, _ in pairs]),
        )
    )
    changes = [
        {
            "team_id": team.team_id,
            "outreach_id": outreach_id,
            "stage": pairs[(creator_id, seller_id)]["stage"],
            "previous_stage": OutreachStage.SUGGESTED,
            "reason": pairs[(creator_id, seller_id)]["declined_reason"],
            "changed_by": pairs[(creator_id, seller_id)]["owner_user_id"],
            "changed_at": pairs[(creator_id, seller_id)]["stage_since"],
        }
        for outreach_id, creator_id, seller_id in ids
        if (creator_id, seller_id) in pairs
    ]
    team.insert(OutreachStageChange, changes)
    return len(added)
