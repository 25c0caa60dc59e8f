"""The match score (issue 14, point 3): components normalised within the category, weights,
reasons and warnings in words, missing data neither rewarded nor zeroed; ranking on data built
so the right order is known, and properties."""

from __future__ import annotations

from dataclasses import replace

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.matchmaking.score import (
    DEFAULT_WEIGHTS,
    CreatorFacts,
    Pool,
    SellerFacts,
    match,
    pools_of,
    ranked,
    score_of,
)

KITCHEN = SellerFacts(
    1, "Ökoladen Küche", "Kitchenware", "kitchenware", aov_cents=2_600, live_share=0.6
)


def money(cents: int) -> str:
    return f"${cents / 100:,.0f}"


def creator(handle: str, **facts: object) -> CreatorFacts:
    base: dict[str, object] = {
        "id": abs(hash(handle)) % 10_000,
        "handle": handle,
        "level": 4,
        "category_keys": frozenset({"kitchenware"}),
        "live_gpm_cents": 2_000,
        "gpm_in_category": True,
        "engagement_rate": 0.04,
        "samples_shipped": 10,
        "posts_after_samples": 8,
        "sentiment": 0.5,
        "order_value_cents": 2_500,
        "content_types": frozenset({"live"}),
    }
    return CreatorFacts(**(base | facts))  # type: ignore[arg-type]


def rank(creators: list[CreatorFacts], content: str | None = None) -> list[str]:
    pools = pools_of(creators, KITCHEN.category_key)
    matches = [match(c, KITCHEN, pools, DEFAULT_WEIGHTS, money, content) for c in creators]
    return [m.creator.handle for m in ranked(matches)]


def test_the_known_order_of_a_built_category() -> None:
    creators = [
        creator("star", live_gpm_cents=9_000, engagement_rate=0.09, level=7),
        creator("steady"),
        creator("outsider", category_keys=frozenset({"beauty"})),  # steady, but not here
        creator("flaky", samples_shipped=10, posts_after_samples=1, sentiment=-1.0),
        creator("weak", live_gpm_cents=300, engagement_rate=0.005, level=1),
    ]
    assert rank(creators) == ["star", "steady", "flaky", "weak", "outsider"]


def test_reasons_and_warnings_are_in_words() -> None:
    creators = [creator(f"c{i}", live_gpm_cents=1_000 + i * 100) for i in range(9)]
    top = creator("top", live_gpm_cents=4_100, samples_shipped=10, posts_after_samples=3)
    pools = pools_of([*creators, top], "kitchenware")
    found = match(top, KITCHEN, pools, DEFAULT_WEIGHTS, money)
    assert found.reasons[0] == "sells in Kitchenware"
    assert "Kitchenware LIVE GPM $41, top 5% of the category" in found.reasons
    assert len(found.reasons) == 3
    assert found.warnings == ["samples posted 3 of 10"]


def test_missing_data_is_said_and_counted_at_the_middle() -> None:
    best = creator("best", live_gpm_cents=5_000)
    worst = creator("worst", live_gpm_cents=500)
    unknown = creator("unknown", live_gpm_cents=None)
    pools = pools_of([best, worst, unknown], "kitchenware")
    matches = {
        c.handle: match(c, KITCHEN, pools, DEFAULT_WEIGHTS, money) for c in (best, worst, unknown)
    }
    assert "no GPM data" in matches["unknown"].warnings
    assert matches["unknown"].components["gpm"] is None
    assert matches["worst"].score < matches["unknown"].score < matches["best"].score


def test_content_asked_for_uses_that_gpm_and_fit() -> None:
    live = creator("live.host", live_gpm_cents=3_000, video_gpm_cents=None)
    video = creator(
        "video.maker",
        live_gpm_cents=None,
        video_gpm_cents=3_000,
        content_types=frozenset({"video"}),
    )
    assert rank([live, video], "video") == ["video.maker", "live.host"]
    assert rank([live, video], "live") == ["live.host", "video.maker"]
    pools = pools_of([live, video], "kitchenware")
    assert (
        "makes no videos" in match(live, KITCHEN, pools, DEFAULT_WEIGHTS, money, "video").warnings
    )


def test_weights_decide() -> None:
    cheap = creator("cheap", order_value_cents=2_600, live_gpm_cents=1_000)
    strong = creator("strong", order_value_cents=20_000, live_gpm_cents=5_000)
    pools = pools_of([cheap, strong], "kitchenware")
    price_only = dict.fromkeys(DEFAULT_WEIGHTS, 0.0) | {"price": 1.0}
    gpm_only = dict.fromkeys(DEFAULT_WEIGHTS, 0.0) | {"gpm": 1.0}
    by = {
        name: [
            m.creator.handle
            for m in ranked([match(c, KITCHEN, pools, w, money) for c in (cheap, strong)])
        ]
        for name, w in (("price", price_only), ("gpm", gpm_only))
    }
    assert by == {"price": ["cheap", "strong"], "gpm": ["strong", "cheap"]}


def test_pool_percentiles_count_ties_half() -> None:
    pool = Pool([1, 2, 2, 3])
    assert (pool.percentile(0), pool.percentile(2), pool.percentile(9)) == (0.0, 0.5, 1.0)
    assert Pool([]).percentile(5) == 0.5


facts = st.builds(
    creator,
    st.sampled_from(["a", "b"]),
    level=st.one_of(st.none(), st.integers(0, 8)),
    live_gpm_cents=st.one_of(st.none(), st.integers(0, 100_000)),
    video_gpm_cents=st.one_of(st.none(), st.integers(0, 100_000)),
    engagement_rate=st.one_of(st.none(), st.floats(0, 1)),
    samples_shipped=st.one_of(st.none(), st.integers(0, 50)),
    posts_after_samples=st.integers(0, 50),
    sentiment=st.one_of(st.none(), st.floats(-1, 1)),
    order_value_cents=st.one_of(st.none(), st.integers(1, 100_000)),
    content_types=st.sampled_from([frozenset(), frozenset({"live"}), frozenset({"live", "video"})]),
)
others = st.lists(facts, max_size=8)
weights = st.fixed_dictionaries({k: st.floats(0.1, 10) for k in DEFAULT_WEIGHTS})
seller = st.builds(
    SellerFacts,
    st.just(1),
    st.just("Küche"),
    st.just("Kitchenware"),
    st.just("kitchenware"),
    aov_cents=st.one_of(st.none(), st.integers(1, 100_000)),
    live_share=st.one_of(st.none(), st.floats(0, 1)),
)


@given(facts, others, weights, seller)
def test_no_category_fit_never_outranks_an_equal_creator_with_fit(
    one: CreatorFacts, crowd: list[CreatorFacts], weights: dict[str, float], shop: SellerFacts
) -> None:
    fits = replace(one, handle="fits", category_keys=frozenset({"kitchenware"}))
    outsider = replace(one, handle="outsider", category_keys=frozenset({"beauty"}))
    pools = pools_of([*crowd, fits, outsider], "kitchenware")
    with_fit = match(fits, shop, pools, weights, money)
    without = match(outsider, shop, pools, weights, money)
    assert with_fit.score > without.score
    assert ranked([without, with_fit])[0].creator.handle == "fits"


@given(facts, others, weights, seller, st.integers(1, 50_000))
def test_the_score_never_falls_when_gpm_rises(
    one: CreatorFacts,
    crowd: list[CreatorFacts],
    weights: dict[str, float],
    shop: SellerFacts,
    rise: int,
) -> None:
    before = replace(one, live_gpm_cents=one.live_gpm_cents or 0)
    after = replace(before, live_gpm_cents=(before.live_gpm_cents or 0) + rise)
    pools = pools_of(crowd, "kitchenware")  # the crowd the creator is measured against
    assert (
        match(after, shop, pools, weights, money).score
        >= match(before, shop, pools, weights, money).score
    )


@given(facts, others, weights, seller)
def test_missing_gpm_is_neither_rewarded_nor_zeroed(
    one: CreatorFacts, crowd: list[CreatorFacts], weights: dict[str, float], shop: SellerFacts
) -> None:
    pools = pools_of(crowd, "kitchenware")
    unknown = replace(one, live_gpm_cents=None, video_gpm_cents=None)
    found = match(unknown, shop, pools, weights, money)
    assert "no GPM data" in found.warnings
    middle = dict(found.components) | {"gpm": 0.5}
    assert found.score == score_of(middle, weights)
    assert score_of(dict(found.components) | {"gpm": 0.0}, weights) < found.score
    assert found.score < score_of(dict(found.components) | {"gpm": 1.0}, weights)


@given(facts, others, weights, st.lists(seller, min_size=1, max_size=6))
def test_scoring_many_sellers_at_once_gives_each_pairs_score(
    one: CreatorFacts,
    crowd: list[CreatorFacts],
    weights: dict[str, float],
    shops: list[SellerFacts],
) -> None:
    from dataclasses import replace as changed

    from bot.matchmaking.score import scores_of_sellers

    pools = pools_of(crowd, "kitchenware")
    shops = [changed(s, live_share=None) for s in shops]
    quick = [score for score, _ in scores_of_sellers(one, shops, pools, weights)]
    full = [match(one, s, pools, weights, money).score for s in shops]
    # the same sum in another order: equal but for the last rounding of a float
    assert quick == pytest.approx(full, abs=0.11)


@given(
    st.lists(st.tuples(facts, st.booleans()), max_size=30),
    weights,
    seller,
    st.sampled_from([None, "live", "video"]),
    st.integers(1, 5),
)
def test_the_shortlist_keeps_the_best_of_everyone(
    drawn: list[tuple[CreatorFacts, bool]],
    weights: dict[str, float],
    shop: SellerFacts,
    content: str | None,
    n: int,
) -> None:
    from bot.matchmaking.score import best, scores_of_creators, shortlist

    crowd = [
        replace(c, id=i, handle=f"c{i}", category_keys=frozenset({"kitchenware"} if fits else ()))
        for i, (c, fits) in enumerate(drawn)
    ]
    pools = pools_of(crowd, "kitchenware")
    quick = scores_of_creators(crowd, shop, pools, weights, content)
    full = [match(c, shop, pools, weights, money, content).score for c in crowd]
    assert list(quick) == pytest.approx(full, abs=0.051)
    everyone = best(crowd, [shop], lambda _: pools, weights, money, content, n=n)
    short = shortlist(crowd, quick, n)
    found = best(short, [shop], lambda _: pools, weights, money, content, n=n)
    assert found == everyone
