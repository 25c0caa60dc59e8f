"""Ranking either way: creators for a seller (`/match <seller>`) and sellers for a creator
(`/match @handle`), from the repositories' facts and the pure score."""

from __future__ import annotations

import heapq
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from datetime import date

from sqlalchemy.engine import Engine

from bot.matchmaking.score import (
    CategoryPools,
    Match,
    Money,
    Standing,
    best,
    pools_of,
    ranked,
    scores_of_creators,
    scores_of_sellers,
    seller_reasons,
    shortlist,
)
from storage.creators.models import CreatorStage
from storage.matchmaking.facts import CreatorFacts, SellerFacts
from storage.matchmaking.reads import (
    category_candidates,
    creator_in_categories,
    creator_standings,
    live_shares,
    pipeline_stages,
    seller_facts,
    working_pairs,
)

# Creators the team is not working with now (the registry's stage): left out unless asked for.
RESTING = frozenset({CreatorStage.PAUSED.value})
RESCORED = 3  # sellers ranked again with their LIVE share: this many times the rows shown


@dataclass(frozen=True)
class MatchList:
    """A ranking and what the answer says about it."""

    matches: list[Match]
    left_out: int = 0  # pairs already working together, left out (without `all`)
    considered: int = 0
    stages: dict[tuple[int, int], str] = field(default_factory=dict)  # pipeline, by pair
    resting: int = 0  # paused creators, left out (without `all`)

    def stage_of(self, found: Match) -> str | None:
        return self.stages.get((found.creator.id, found.seller.id))


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
    """The best `n` creators for the seller, best first. Every candidate is scored at once
    (`scores_of_creators`); only the shortlist that can hold the best `n` is scored and
    explained pair by pair, as `best` always did."""
    [seller] = seller_facts(engine, team_id, [seller_id], today)
    share = live_shares(engine, team_id, [seller_id], today).get(seller_id)
    seller = replace(seller, live_share=share)
    creators = category_candidates(engine, team_id, seller.category, today)
    pools = pools_of(creators, seller.category_key)
    working = working_pairs(engine, team_id, today, seller_id=seller_id)
    resting = 0 if everyone else sum(c.stage in RESTING for c in creators)
    kept = [
        c
        for c in creators
        if everyone or ((c.id, seller_id) not in working and c.stage not in RESTING)
    ]
    found = best(
        shortlist(kept, scores_of_creators(kept, seller, pools, weights, content), n),
        [seller],
        lambda _: pools,
        weights,
        money,
        content,
        n=n,
    )
    left_out = len(creators) - len(kept) - resting
    stages = pipeline_stages(engine, team_id, seller_id=seller_id)
    return MatchList(_marked(found, working), left_out, len(creators), stages, resting)


def _marked(found: list[Match], working: set[tuple[int, int]]) -> list[Match]:
    """The matches, those of pairs already working together marked so."""
    return [
        replace(m, working_together=True) if (m.creator.id, m.seller.id) in working else m
        for m in found
    ]


def _by_category(sellers: list[SellerFacts]) -> dict[str, list[SellerFacts]]:
    grouped: dict[str, list[SellerFacts]] = {}
    for seller in sellers:
        grouped.setdefault(seller.category_key, []).append(seller)
    return grouped


def _same(pools: CategoryPools) -> Callable[[SellerFacts], CategoryPools]:
    """The pools for any seller of one category."""
    return lambda _: pools


def _standing_pools(counts: tuple[tuple[int, int, int], ...]) -> CategoryPools:
    live, video, engagement = counts
    return CategoryPools(Standing(*live), Standing(*video), Standing(*engagement))


def _best_scored(
    scored: list[tuple[float, SellerFacts]], n: int
) -> list[tuple[float, SellerFacts]]:
    """The `n` best (score, seller) pairs, best first, ties by name and id. Only the pairs
    that score at least the n-th best score are sorted in full: a few among thousands."""
    if len(scored) > n:
        nth = heapq.nlargest(n, [score for score, _ in scored])[-1]
        scored = [pair for pair in scored if pair[0] >= nth]
    return sorted(scored, key=lambda p: (-p[0], p[1].name, p[1].id))[:n]


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
    the best few are then scored again with the sellers' LIVE share (read only for them)."""
    sellers = seller_facts(engine, team_id, [], today)
    facts = creator_in_categories(
        engine, team_id, creator_id, {s.category_key for s in sellers}, today
    )
    pools = {
        key: _standing_pools(c) for key, c in creator_standings(engine, team_id, facts).items()
    }

    working = working_pairs(engine, team_id, today, creator_id=creator_id)
    left_alone = set() if everyone else {seller_id for _, seller_id in working}
    kept = [
        (score, s)
        for key, group in _by_category(sellers).items()
        for score, s in scores_of_sellers(facts[key], group, pools[key], weights)
        if s.id not in left_alone
    ]
    left_out = len(sellers) - len(kept)
    rescored = [s for _, s in _best_scored(kept, RESCORED * n)]
    shares = live_shares(engine, team_id, [s.id for s in rescored], today)
    final: list[Match] = []
    for key, group in _by_category(
        [replace(s, live_share=shares.get(s.id)) for s in rescored]
    ).items():
        found = best([facts[key]], group, _same(pools[key]), weights, money, n=n)
        final += found
    final = [
        replace(m, reasons=seller_reasons(m.creator, m.seller, m.components, money))
        for m in ranked(final)[:n]
    ]
    stages = pipeline_stages(engine, team_id, creator_id=creator_id)
    return MatchList(_marked(final, working), left_out, len(sellers), stages)


__all__ = ["CreatorFacts", "MatchList", "creators_for_seller", "sellers_for_creator"]
