"""The explainable match score of a creator and a seller: pure functions, data in, values out.

Each component is a value from 0 to 1, normalised within the seller's category where it is a
performance figure (a percentile among the creators who sell in that category), or None when the
creator (or the seller) has no data for it. A component without data counts at the middle, 0.5,
so it is neither rewarded nor silently zeroed, and the row says so ("no GPM data"). The score is
the weighted mean of the components, times 100; the weights are a setting.
"""

from __future__ import annotations

import bisect
import heapq
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from decimal import Decimal

import numpy as np

from bot.settings import Invalid, setting
from bot.shared.language import N_, _, speech
from bot.shared.numbers import NumberStyle
from storage.matchmaking.facts import CreatorFacts, SellerFacts
from storage.matchmaking.reads import AOV_WEEKS

NEUTRAL = 0.5
COMPONENTS: dict[str, str] = {
    "category": N_("category fit: sells in the seller's category (1) or not (0)"),
    "gpm": N_(
        "GPM in the category (LIVE or video, the content asked for or the creator's best), "
        "as a percentile of the category's creators"
    ),
    "engagement": N_("engagement rate, as a percentile of the category's creators"),
    "level": N_("creator level, L0 to L8"),
    "samples": N_("sample fulfilment: posts after samples ÷ samples shipped"),
    "sentiment": N_("recent /feedback notes: positive 1, neutral ½, negative 0, averaged"),
    "price": N_(
        "price fit: the creator's typical order value against the seller's AOV "
        "(the smaller ÷ the larger)"
    ),
    "content": N_(
        "content-type fit: LIVE or video as asked, else the seller's LIVE share of GMV "
        "against what the creator makes"
    ),
}
DEFAULT_WEIGHTS: dict[str, float] = {
    "category": 3,
    "gpm": 3,
    "engagement": 1,
    "level": 1,
    "samples": 1,
    "sentiment": 1,
    "price": 1,
    "content": 1,
}
MISSING_DATA = {
    "gpm": N_("no GPM data"),
    "engagement": N_("no engagement data"),
    "level": N_("no level"),
    "samples": N_("no samples shipped yet"),
    "sentiment": N_("no notes"),
    "price": N_("no price data"),
    "content": N_("no content-type data"),
}
Money = Callable[[int], str]


def numbers() -> NumberStyle:
    """The number style of the answer being written (its speech's locale), for the figures
    without a currency: scores, rates, shares."""
    return NumberStyle(locale_name=speech().locale)


def whole_percent(style: NumberStyle, share: float) -> str:
    """`40%` · `40 %`: a share as a whole percentage."""
    return _("{percent}%").format(percent=style.decimal(share * 100, 0))


def read_weights(text: str) -> tuple[tuple[str, float], ...]:
    """`gpm=4,price=0`: the components named get these weights, the others keep theirs."""
    weights = dict(DEFAULT_WEIGHTS)
    for part in filter(None, (p.strip() for p in text.split(","))):
        name, _equals, value = part.partition("=")
        name = name.strip().lower()
        if name not in COMPONENTS or not re.fullmatch(r"\d{1,3}(\.\d+)?", value.strip()):
            raise Invalid
        weights[name] = float(value)
    if not any(weights.values()):
        raise Invalid("at least one weight must be above 0")
    return tuple(weights.items())


@dataclass(frozen=True)
class MatchSettings:
    """The match score's weights (`settings.section(MatchSettings)`)."""

    match_weights: tuple[tuple[str, float], ...] = setting(
        "SHOPBOT_MATCH_WEIGHTS",
        "",
        read_weights,
        invalid=(
            "expected component=weight pairs such as gpm=4,price=0; the components are "
            + ", ".join(COMPONENTS)
        ),
        describe=(
            "The match score's weights, component=weight (0 leaves a component out); unnamed "
            "components\nkeep their defaults (`/match help` shows the current weights):\n"
            + ",".join(f"{name}={weight:g}" for name, weight in DEFAULT_WEIGHTS.items())
        ),
        heading="Creator matchmaking",
    )

    @property
    def weights(self) -> dict[str, float]:
        """The score's weight per component (COMPONENTS)."""
        return dict(self.match_weights)


class Pool:
    """The values of one figure among a category's creators, for percentiles."""

    def __init__(self, values: Sequence[float]) -> None:
        self.values = sorted(values)

    def __len__(self) -> int:
        return len(self.values)

    def percentile(self, value: float) -> float:
        """The share of the pool below `value`, counting equal values half (0 to 1)."""
        below = bisect.bisect_left(self.values, value)
        equal = bisect.bisect_right(self.values, value) - below
        return standing(below, equal, len(self.values))


class Standing(Pool):
    """One creator's place in a pool counted by the database: how many are below, how many
    equal (themselves included); for ranking sellers, where one creator is measured."""

    def __init__(self, below: int, equal: int, size: int) -> None:
        super().__init__([])
        self.counts = (below, equal, size)

    def __len__(self) -> int:
        return self.counts[2]

    def percentile(self, value: float) -> float:
        return standing(*self.counts)


def standing(below: int, equal: int, size: int) -> float:
    """(below + half the equal) ÷ size; the middle for an empty pool."""
    return (below + equal / 2) / size if size else NEUTRAL


@dataclass(frozen=True)
class CategoryPools:
    """A category's creators' figures, to normalise within the category."""

    live_gpm: Pool = field(default_factory=lambda: Pool([]))
    video_gpm: Pool = field(default_factory=lambda: Pool([]))
    engagement: Pool = field(default_factory=lambda: Pool([]))


@dataclass(frozen=True)
class Match:
    creator: CreatorFacts
    seller: SellerFacts
    score: float  # 0 to 100
    components: dict[str, float | None]
    reasons: list[str]  # the strongest, in words
    warnings: list[str]
    working_together: bool = False


def pools_of(creators: Sequence[CreatorFacts], category_key: str) -> CategoryPools:
    """The pools of the creators who sell in the category (all of them when none does)."""
    selling = [c for c in creators if category_key in c.category_keys] or list(creators)
    return CategoryPools(
        Pool([c.live_gpm_cents for c in selling if c.live_gpm_cents is not None]),
        Pool([c.video_gpm_cents for c in selling if c.video_gpm_cents is not None]),
        Pool([c.engagement_rate for c in selling if c.engagement_rate is not None]),
    )


def _gpm(
    creator: CreatorFacts, pools: CategoryPools, content: str | None
) -> tuple[float, str, int] | None:
    """(percentile, "LIVE"/"video", cents) of the GPM that counts: the content asked for, or
    the creator's better one against its own pool."""
    options = []
    if content in (None, "live") and creator.live_gpm_cents is not None:
        options.append(
            (pools.live_gpm.percentile(creator.live_gpm_cents), "LIVE", creator.live_gpm_cents)
        )
    if content in (None, "video") and creator.video_gpm_cents is not None:
        options.append(
            (pools.video_gpm.percentile(creator.video_gpm_cents), "video", creator.video_gpm_cents)
        )
    return max(options) if options else None


def _content_fit(creator: CreatorFacts, seller: SellerFacts, content: str | None) -> float | None:
    if not creator.content_types:
        return None
    if content is not None:
        return 1.0 if content in creator.content_types else 0.0
    if seller.live_share is None:
        return None
    if creator.content_types >= {"live", "video"}:
        return 1.0
    return seller.live_share if "live" in creator.content_types else 1 - seller.live_share


def components_of(
    creator: CreatorFacts, seller: SellerFacts, pools: CategoryPools, content: str | None = None
) -> dict[str, float | None]:
    """Each component's value from 0 to 1, or None without data."""
    gpm = _gpm(creator, pools, content)
    samples = None
    if creator.samples_shipped and creator.posts_after_samples is not None:
        samples = min(1.0, creator.posts_after_samples / creator.samples_shipped)
    price = price_fit(creator.order_value_cents, seller.aov_cents)
    engagement = creator.engagement_rate
    return {
        "category": 1.0 if seller.category_key in creator.category_keys else 0.0,
        "gpm": gpm[0] if gpm else None,
        "engagement": pools.engagement.percentile(engagement) if engagement is not None else None,
        "level": creator.level / 8 if creator.level is not None else None,
        "samples": samples,
        "sentiment": (creator.sentiment + 1) / 2 if creator.sentiment is not None else None,
        "price": price,
        "content": _content_fit(creator, seller, content),
    }


def price_fit(order_value_cents: int | None, aov_cents: int | None) -> float | None:
    """The smaller of the creator's typical order and the seller's AOV over the larger."""
    if not order_value_cents or not aov_cents:
        return None
    return min(order_value_cents, aov_cents) / max(order_value_cents, aov_cents)


def scores_of_sellers(
    creator: CreatorFacts,
    sellers: Sequence[SellerFacts],
    pools: CategoryPools,
    weights: Mapping[str, float],
) -> list[tuple[float, SellerFacts]]:
    """The creator's score with each of `sellers`, all of one category and none with a LIVE
    share yet: then every component but price is the same for all of them, so it is worked
    out once (a creator is ranked against thousands of sellers)."""
    if not sellers:
        return []
    common = components_of(creator, replace(sellers[0], aov_cents=None), pools)
    rest, total = _points(common | {"price": 0.0}, weights)  # all but the price term
    if total <= 0:
        return [(0.0, s) for s in sellers]
    order_value = creator.order_value_cents or np.nan
    aov = _column([s.aov_cents or None for s in sellers])
    price = np.minimum(order_value, aov) / np.maximum(order_value, aov)  # price_fit, NaN for None
    points = rest + weights.get("price", 0.0) * np.where(np.isnan(price), NEUTRAL, price)
    return [
        (round(score, 1), seller)
        for score, seller in zip((100 * points / total).tolist(), sellers, strict=True)
    ]


def score_of(components: Mapping[str, float | None], weights: Mapping[str, float]) -> float:
    """The weighted mean of the components (missing ones at the middle), times 100."""
    points, total = _points(components, weights)
    return round(100 * points / total, 1) if total > 0 else 0.0


def _points(
    components: Mapping[str, float | None], weights: Mapping[str, float]
) -> tuple[float, float]:
    """(Σ weight × value, Σ weight), a missing value counted at the middle."""
    total = 0.0
    points = 0.0
    for key, weight in weights.items():
        value = components.get(key)
        total += weight
        points += weight * (NEUTRAL if value is None else value)
    return points, total


def _top(share: float) -> str:
    """A percentile as people say it: `top 10%`, or `bottom half`."""
    above = max(1, round((1 - share) * 100))
    if above > 50:
        return _("below the category's middle")
    return _("top {percent}").format(percent=whole_percent(numbers(), above / 100))


def explain(
    creator: CreatorFacts,
    seller: SellerFacts,
    pools: CategoryPools,
    components: Mapping[str, float | None],
    weights: Mapping[str, float],
    money: Money,
    content: str | None = None,
) -> tuple[list[str], list[str]]:
    """(the three strongest reasons, the warnings and missing data), in words."""
    said: dict[str, str] = {}
    category = seller.category
    if components["category"]:
        said["category"] = _("sells in {category}").format(category=category)
    gpm = _gpm(creator, pools, content)
    if gpm is not None:
        share, kind, cents = gpm
        kind = "LIVE" if kind == "LIVE" else _("video")
        said["gpm"] = (
            _("{category} {kind} GPM {money}, {top} of the category")
            if creator.gpm_in_category
            else _("overall {kind} GPM {money}, {top} of the category")
        ).format(category=category, kind=kind, money=money(cents), top=_top(share))
    if components["engagement"] is not None and creator.engagement_rate is not None:
        said["engagement"] = _("engagement {rate}, {top}").format(
            rate=numbers().rate(Decimal(str(creator.engagement_rate))),
            top=_top(components["engagement"]),
        )
    if creator.level is not None:
        said["level"] = _("level L{level}").format(level=creator.level)
    if components["samples"] is not None:
        said["samples"] = _("posted after {posted} of {shipped} samples").format(
            posted=creator.posts_after_samples, shipped=creator.samples_shipped
        )
    if components["sentiment"] is not None:
        said["sentiment"] = (
            _("recent notes positive") if (creator.sentiment or 0) > 0 else _("recent notes mixed")
        )
    if components["price"] is not None and creator.order_value_cents and seller.aov_cents:
        said["price"] = _("typical order {order} vs the seller's AOV {aov}").format(
            order=money(creator.order_value_cents), aov=money(seller.aov_cents)
        )
    if components["content"] is not None:
        said["content"] = _makes(creator.content_types)
    strength = {
        key: weights.get(key, 0) * (float(value) - NEUTRAL)
        for key, value in components.items()
        if value is not None and key in said and float(value) > NEUTRAL
    }
    reasons = [said[key] for key in sorted(strength, key=lambda k: -strength[k])[:3]]
    return reasons, _warnings(creator, seller, components, weights, content)


def _makes(content_types: frozenset[str] | set[str]) -> str:
    """`makes LIVE and videos`: what the creator makes."""
    kinds = {"live", "video"} & set(content_types)
    if kinds == {"live", "video"}:
        return _("makes LIVE and videos")
    if kinds == {"live"}:
        return _("makes LIVE")
    return _("makes videos")


def seller_reasons(
    creator: CreatorFacts, seller: SellerFacts, components: Mapping[str, float | None], money: Money
) -> list[str]:
    """What about the seller fits the creator, in words: its category where the creator sells,
    its AOV against the creator's typical order, its LIVE share and its recent GMV. What
    `/match @handle` says on each row, where the creator's own reasons would repeat."""
    said = []
    if components["category"]:
        said.append(_("{category}, where the creator sells").format(category=seller.category))
    if seller.aov_cents:
        aov = money(seller.aov_cents)
        if not creator.order_value_cents:
            said.append(_("AOV {aov}").format(aov=aov))
        else:
            near = (components["price"] or 0) >= NEUTRAL
            said.append(
                (
                    _("AOV {aov}, near the creator's typical order {order}")
                    if near
                    else _("AOV {aov} vs the creator's typical order {order}")
                ).format(aov=aov, order=money(creator.order_value_cents))
            )
    if seller.live_share is not None:
        said.append(
            _("{share} of GMV from LIVE").format(share=whole_percent(numbers(), seller.live_share))
        )
    if seller.gmv_cents:
        said.append(
            _("GMV {money} in the last {weeks} weeks").format(
                money=money(seller.gmv_cents), weeks=AOV_WEEKS
            )
        )
    return said


def _warnings(
    creator: CreatorFacts,
    seller: SellerFacts,
    components: Mapping[str, float | None],
    weights: Mapping[str, float],
    content: str | None,
) -> list[str]:
    warnings = []
    if not components["category"]:
        warnings.append(_("no sales in {category} yet").format(category=seller.category))
    samples = components["samples"]
    if samples is not None and samples < NEUTRAL:
        warnings.append(
            _("samples posted {posted} of {shipped}").format(
                posted=creator.posts_after_samples, shipped=creator.samples_shipped
            )
        )
    if creator.sentiment is not None and creator.sentiment < 0:
        warnings.append(_("recent notes mostly negative"))
    price = components["price"]
    if price is not None and price < NEUTRAL:
        warnings.append(_("price range far from the seller's"))
    if content is not None and components["content"] == 0:
        warnings.append(_("makes no LIVE") if content == "live" else _("makes no videos"))
    missing = [_(MISSING_DATA[k]) for k, v in components.items() if v is None and weights.get(k, 0)]
    return warnings + missing


def match(
    creator: CreatorFacts,
    seller: SellerFacts,
    pools: CategoryPools,
    weights: Mapping[str, float],
    money: Money,
    content: str | None = None,
    working_together: bool = False,
) -> Match:
    """The creator and seller's score with its reasons and warnings."""
    components = components_of(creator, seller, pools, content)
    reasons, warnings = explain(creator, seller, pools, components, weights, money, content)
    score = score_of(components, weights)
    return Match(creator, seller, score, components, reasons, warnings, working_together)


def best(
    creators: Sequence[CreatorFacts],
    sellers: Sequence[SellerFacts],
    pools: Callable[[SellerFacts], CategoryPools],
    weights: Mapping[str, float],
    money: Money,
    content: str | None = None,
    *,
    n: int,
) -> list[Match]:
    """The `n` best pairs of `creators` × `sellers` (one side is a single item), with
    reasons. Every pair is scored; only the shown ones are explained in words, which is most
    of the work of `match`."""
    scored = []
    for creator in creators:
        for seller in sellers:
            score = score_of(components_of(creator, seller, pools(seller), content), weights)
            scored.append((-score, creator.handle, seller.name, seller.id, creator, seller))
    top = heapq.nsmallest(n, scored, key=lambda row: row[:4])
    return [match(c, s, pools(s), weights, money, content) for *_, c, s in top]


ROUNDING = 0.5  # points of slack for the shortlist: far more than a rounded score can differ


def _column(values: Sequence[float | None]) -> np.ndarray:
    """Figures as floats, a missing one as NaN."""
    return np.array([np.nan if v is None else v for v in values], dtype=float)


def _percentiles(pool: Pool, values: np.ndarray) -> np.ndarray:
    """`Pool.percentile` of each value at once (NaN stays NaN)."""
    if not len(pool):
        return np.where(np.isnan(values), np.nan, NEUTRAL)
    sorted_values = np.asarray(pool.values, dtype=float)
    below = np.searchsorted(sorted_values, values, "left")
    equal = np.searchsorted(sorted_values, values, "right") - below
    return np.where(np.isnan(values), np.nan, (below + equal / 2) / len(pool))


def _content_fits(
    creators: Sequence[CreatorFacts], seller: SellerFacts, content: str | None
) -> np.ndarray:
    """`_content_fit` of each creator at once (NaN for None)."""
    kinds = [c.content_types for c in creators]
    empty = np.array([not k for k in kinds])
    if content is not None:
        fits = np.array([content in k for k in kinds], dtype=float)
    elif seller.live_share is None:
        fits = np.full(len(kinds), np.nan)
    else:
        both = np.array([k >= {"live", "video"} for k in kinds])
        live = np.array(["live" in k for k in kinds])
        share = seller.live_share
        fits = np.where(both, 1.0, np.where(live, share, 1 - share))
    return np.where(empty, np.nan, fits)


def component_columns(
    creators: Sequence[CreatorFacts],
    seller: SellerFacts,
    pools: CategoryPools,
    content: str | None = None,
) -> dict[str, np.ndarray]:
    """`components_of` for many creators and one seller at once: a column per component, NaN
    where the value is None. For shortlisting thousands of creators; a row shown is worked
    out again by `match`."""
    live = _column([c.live_gpm_cents for c in creators])
    video = _column([c.video_gpm_cents for c in creators])
    live_share = _percentiles(pools.live_gpm, live if content in (None, "live") else live * np.nan)
    video_share = _percentiles(
        pools.video_gpm, video if content in (None, "video") else video * np.nan
    )
    shipped = _column([c.samples_shipped or None for c in creators])
    posts = _column([c.posts_after_samples for c in creators])
    order_value = _column([c.order_value_cents or None for c in creators])
    aov = seller.aov_cents or np.nan
    level = _column([c.level for c in creators])
    sentiment = _column([c.sentiment for c in creators])
    with np.errstate(invalid="ignore"):
        return {
            "category": np.array(
                [seller.category_key in c.category_keys for c in creators], dtype=float
            ),
            "gpm": np.fmax(live_share, video_share),
            "engagement": _percentiles(
                pools.engagement, _column([c.engagement_rate for c in creators])
            ),
            "level": level / 8,
            "samples": np.minimum(1.0, posts / shipped),
            "sentiment": (sentiment + 1) / 2,
            "price": np.minimum(order_value, aov) / np.maximum(order_value, aov),
            "content": _content_fits(creators, seller, content),
        }


def scores_of_creators(
    creators: Sequence[CreatorFacts],
    seller: SellerFacts,
    pools: CategoryPools,
    weights: Mapping[str, float],
    content: str | None = None,
) -> np.ndarray:
    """Each creator's score with the seller, not rounded (equal to `score_of` but for the
    last bits of a float): the components' columns weighed as `_points` weighs one row."""
    columns = component_columns(creators, seller, pools, content)
    total = sum(weights.values())
    if total <= 0:
        return np.zeros(len(creators))
    points = np.zeros(len(creators))
    for key, weight in weights.items():
        value = columns.get(key, np.full(len(creators), np.nan))
        points += weight * np.where(np.isnan(value), NEUTRAL, value)
    return 100 * points / total


def shortlist(creators: Sequence[CreatorFacts], scores: np.ndarray, n: int) -> list[CreatorFacts]:
    """The creators who can be among the `n` best by their `scores_of_creators`: those
    within ROUNDING of the n-th best. `best` over them gives what it gives over everyone,
    without working out each of thousands of creators' components one by one."""
    if len(creators) <= n:
        return list(creators)
    nth = np.partition(scores, len(scores) - n)[len(scores) - n]
    return [c for c, chosen in zip(creators, scores >= nth - ROUNDING, strict=True) if chosen]


def ranked(matches: Sequence[Match]) -> list[Match]:
    """Best first; ties by handle, then seller name, so the order is stable."""
    return sorted(matches, key=lambda m: (-m.score, m.creator.handle, m.seller.name, m.seller.id))
