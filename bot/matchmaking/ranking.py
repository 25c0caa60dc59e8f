"""Ranking either way: creators for a seller (`/match <seller>`) and sellers for a creator
(`/match @handle`), from the repositories' facts and the pure score."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import date

from sqlalchemy.engine import Engine

from bot.matchmaking.score import (
    CategoryPools,
    Match,
    Money,
    Standing,
    match,
    pools_of,
    ranked,
)
from storage.match_data import CreatorFacts, SellerFacts
from storage.matchmaking import (
    category_candidates,
    creator_in_categories,
    creator_standings,
    live_shares,
    pipeline_stages,
    seller_facts,
    working_pairs,
)

RESCORED = 3  # sellers ranked again with their LIVE share: this many times the rows shown


@dataclass(frozen=True)
class MatchList:
    """A ranking and what the answer says about it."""

    matches: list[Match]
    left_out: int = 0  # pairs already working together, left out (without `all`)
    considered: int = 0
    stages: dict[tuple[int, int], str] = field(default_factory=dict)  # pipeline, by pair

    def stage_of(self, found: Match) -> str | None:
        return self.stages.get((found.creator.id, found.seller.id))


def _keep(
    matches: list[Match], working: set[tuple[int, int]], n: int, everyone: bool
) -> tuple[list[Match], int]:
    """The best `n`, leaving out (or, with `everyone`, marking) pairs that work together."""
    kept: list[Match] = []
    left_out = 0
    for found in ranked(matches):
        pair = (found.creator.id, found.seller.id)
        if pair in working:
            if not everyone:
                left_out += 1
                continue
            found = replace(found, working_together=True)
        if len(kept) < n:
            kept.append(found)
    return kept, left_out


def creators_for_seller(
    engine: Engine,
    team_id: str,
    seller_id: int,
    *,
    n: int,
    content: str | None,
    everyone: bool,
    weights: Mapping[str, float],
    money: Money,
    today: date,
) -> MatchList:
    """The best `n` creators for the seller, best first."""
    [seller] = seller_facts(engine, team_id, [seller_id], today)
    share = live_shares(engine, team_id, [seller_id], today).get(seller_id)
    seller = replace(seller, live_share=share)
    creators = category_candidates(engine, team_id, seller.category, today)
    pools = pools_of(creators, seller.category_key)
    matches = [match(c, seller, pools, weights, money, content) for c in creators]
    working = working_pairs(engine, team_id, seller_id=seller_id)
    kept, left_out = _keep(matches, working, n, everyone)
    stages = pipeline_stages(engine, team_id, seller_id=seller_id)
    return MatchList(kept, left_out, len(creators), stages)


def _standing_pools(counts: tuple[tuple[int, int, int], ...]) -> CategoryPools:
    live, video, engagement = counts
    return CategoryPools(Standing(*live), Standing(*video), Standing(*engagement))


def sellers_for_creator(
    engine: Engine,
    team_id: str,
    creator_id: int,
    *,
    n: int,
    everyone: bool,
    weights: Mapping[str, float],
    money: Money,
    today: date,
) -> MatchList:
    """The best `n` sellers for the creator, best first. The creator is measured against
    each seller's category (their figures there, else overall) by counts in the database;
    the best few are scored again with the sellers' LIVE share, which costs a query each."""
    sellers = seller_facts(engine, team_id, [], today)
    facts = creator_in_categories(
        engine, team_id, creator_id, {s.category_key for s in sellers}, today
    )
    pools = {
        key: _standing_pools(c) for key, c in creator_standings(engine, team_id, facts).items()
    }

    def scored(seller: SellerFacts) -> Match:
        return match(facts[seller.category_key], seller, pools[seller.category_key], weights, money)

    first = ranked([scored(s) for s in sellers])
    working = working_pairs(engine, team_id, creator_id=creator_id)
    shortlist = [m.seller for m in first[: RESCORED * n + len(working)]]
    shares = live_shares(engine, team_id, [s.id for s in shortlist], today)
    rescored = [scored(replace(s, live_share=shares.get(s.id))) for s in shortlist]
    kept, left_out = _keep(rescored, working, n, everyone)
    stages = pipeline_stages(engine, team_id, creator_id=creator_id)
    return MatchList(kept, left_out, len(sellers), stages)


__all__ = ["CreatorFacts", "MatchList", "creators_for_seller", "sellers_for_creator"]
