"""Which rows a KPI figure covers: from the category and seller names people type to a
`storage.kpis.reads.Scope` and the label shown above the figures.

`/kpi`, `/kpi chart`, `/digest subscribe` and the digest composer all come through here, and
names are found by bot.shared.names, so an unknown name is refused the same way everywhere,
with the names it looks like. Bare words
(`/kpi kitchenware`, `/kpi sable living last week`, `/kpi gmv`) are recognised here too, when
they name exactly one category, seller or metric.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, replace
from datetime import date

from sqlalchemy.engine import Engine

from bot.kpi.query import KpiQuery, readings
from bot.shared.kpis.definitions import ALL_SELLERS, METRIC_WORDS, Kpi
from bot.shared.language import _
from bot.shared.names import resolve_category, resolve_seller, suggestions
from bot.shared.periods import DEFAULT_LOCALE, PERIOD_WORDS, SAME_AS, Period
from bot.shared.replies import shown
from storage.errors import UserError
from storage.kpis import reads as store
from storage.kpis.reads import Scope
from storage.names import match_key, same_name
from storage.sellers.registry import SellerRef, find_seller, list_sellers


@dataclass(frozen=True)
class ResolvedScope:
    scope: Scope
    label: str


def known_scope(
    team_id: str,
    category: str | None = None,
    seller: SellerRef | None = None,
    *,
    everything: str = ALL_SELLERS,
) -> ResolvedScope:
    """The scope of names already spelled as the data spells them (a resolved question, a
    subscription's stored category); `everything` labels the scope without filters."""
    labels = [name for name in (category, seller.name if seller else None) if name]
    seller_id = seller.id if seller is not None else None
    return ResolvedScope(Scope(team_id, category, seller_id), " · ".join(labels) or _(everything))


def resolve_scope(
    engine: Engine, team_id: str, category: str | None = None, seller: str | None = None
) -> ResolvedScope:
    """The rows a question about `category` and `seller` (as typed) covers; UserError naming
    close matches for a name the data does not know."""
    found_category = resolve_category(engine, team_id, category) if category is not None else None
    found_seller = resolve_seller(engine, team_id, seller) if seller is not None else None
    return checked_scope(engine, team_id, found_category, found_seller)


def checked_scope(
    engine: Engine, team_id: str, category: str | None, seller: SellerRef | None
) -> ResolvedScope:
    """The scope of a category and a seller found in the data; UserError when the seller has
    no figures in the category, rather than an empty answer."""
    if category is not None and seller is not None:
        sells_in = store.seller_categories(engine, team_id, seller.id)
        if category not in sells_in:
            names = {"seller": shown(seller.name, 100), "category": shown(category, 100)}
            text = (
                _("{seller} is not in {category}: its figures are in {categories}.").format(
                    **names, categories=shown(", ".join(sells_in), 300)
                )
                if sells_in
                else _("{seller} is not in {category}.").format(**names)
            )
            raise UserError(text, [f"/kpi seller:{seller.name}"])
    return known_scope(team_id, category, seller)


@dataclass(frozen=True)
class Named:
    """What bare words named: at most one each of a category, a seller and a metric."""

    category: str | None = None
    seller: SellerRef | None = None
    metric: Kpi | None = None


@dataclass(frozen=True)
class Understood:
    """A `/kpi` text understood: the period, the rows it covers, and the metric it leads with."""

    period: Period
    resolved: ResolvedScope
    metric: Kpi | None = None
    full: bool = False
    """`full` was typed (see bot.kpi.query): every figure rather than the headline."""


def not_known(typed: str) -> str:
    return _(
        "I don't know `{typed}`: it is not a period, a category, a seller or a metric."
    ).format(typed=typed)


def understand(
    engine: Engine,
    team_id: str,
    text: str,
    today: date,
    locale: str = DEFAULT_LOCALE,
    *,
    metrics: Mapping[str, Kpi] = METRIC_WORDS,
    refusal: Callable[[str], str] = not_known,
    full_switch: bool = False,
) -> Understood:
    """Period, filters and bare words of a `/kpi` text, resolved against the data; UserError
    for what it cannot use. The first reading whose bare words all name something wins;
    `refusal` opens the answer for words that name nothing (given the typed words, quoted);
    `full_switch`: the word `full` asks for every figure (bot.kpi.query)."""
    found = readings(text, today, locale, full_switch=full_switch)
    first_error: UserError | None = None
    for query in found.queries:
        try:
            return _understood(engine, team_id, query, metrics, refusal)
        except UserError as error:
            first_error = first_error or error
    if found.problem is not None:
        raise found.problem
    assert first_error is not None
    raise first_error


def _understood(
    engine: Engine,
    team_id: str,
    query: KpiQuery,
    metrics: Mapping[str, Kpi],
    refusal: Callable[[str], str],
) -> Understood:
    named = resolve_words(engine, team_id, query.words, metrics, refusal)
    for kind, typed, bare in (
        ("category", query.category, named.category),
        ("seller", query.seller, named.seller),
    ):
        if typed is not None and bare is not None:
            one = (
                _("Give one category at most: `{words}` is one too.")
                if kind == "category"
                else _("Give one seller at most: `{words}` is one too.")
            )
            raise UserError(one.format(words=shown(query.words, 60)))
    category = (
        resolve_category(engine, team_id, query.category)
        if query.category is not None
        else named.category
    )
    seller = (
        resolve_seller(engine, team_id, query.seller) if query.seller is not None else named.seller
    )
    scope = checked_scope(engine, team_id, category, seller)
    return Understood(query.period, scope, named.metric, query.full)


def resolve_words(
    engine: Engine,
    team_id: str,
    words: str,
    metrics: Mapping[str, Kpi] = METRIC_WORDS,
    refusal: Callable[[str], str] = not_known,
) -> Named:
    """A metric named at the start or the end of the words (`live share`), and a category or a
    seller named by the rest; UserError with close matches when they name nothing or several
    things."""
    split = _metric_split(words, metrics)
    if split is None:
        return _name(engine, team_id, words, metrics, refusal)
    metric, rest = split
    try:
        return replace(_name(engine, team_id, rest, metrics, refusal), metric=metric)
    except UserError:
        try:  # a name that starts or ends like a metric: `Live Shop`
            return _name(engine, team_id, words, metrics, refusal)
        except UserError:
            pass
        raise


def _metric_split(words: str, metrics: Mapping[str, Kpi]) -> tuple[Kpi, str] | None:
    """The longest metric name at the start of the words, else at the end, and the rest."""
    split = words.split()
    for size in range(min(len(split), max(len(w.split()) for w in metrics)), 0, -1):
        for named, rest in ((split[:size], split[size:]), (split[-size:], split[:-size])):
            metric = metrics.get(match_key(" ".join(named)))
            if metric is not None:
                return metric, " ".join(rest)
    return None


def _name(
    engine: Engine,
    team_id: str,
    typed: str,
    metrics: Mapping[str, Kpi],
    refusal: Callable[[str], str],
) -> Named:
    """The category or the seller named exactly (on match keys) by `typed`; UserError
    otherwise."""
    if not typed:
        return Named()
    categories = store.categories(engine, team_id)
    category = next((name for name in categories if same_name(name, typed)), None)
    seller = find_seller(engine, team_id, typed)
    if category is not None and seller is not None:
        raise UserError(
            _(
                "`{typed}` is both a category and a seller: did you mean `{one}` or `{other}`?"
            ).format(
                typed=shown(typed, 60),
                one=f"category:{shown(category, 100)}",
                other=f"seller:{shown(seller.name, 100)}",
            )
        )
    if category is not None or seller is not None:
        return Named(category=category, seller=seller)
    hints = _word_hints(categories, [s.name for s in list_sellers(engine, team_id)], metrics)
    matches = suggestions(list(hints), typed)
    hint = " " + _("Did you mean {names}?").format(
        names=", ".join(f"`{shown(hints[m], 100)}`" for m in matches)
    )
    raise UserError(refusal(shown(typed, 60)) + (hint if matches else ""))


def _word_hints(
    categories: Iterable[str], sellers: Iterable[str], metrics: Mapping[str, Kpi]
) -> dict[str, str]:
    """What a bare word may have meant → how to type it: `category:Kitchenware`, `gmv`, …"""
    hints: dict[str, str] = {}
    for word in (*PERIOD_WORDS, *SAME_AS):
        hints.setdefault(word, word)
    for word in metrics:
        hints.setdefault(word, word)
    for name in categories:
        hints.setdefault(name, f"category:{name}")
    for name in sellers:
        hints.setdefault(name, f"seller:{name}")
    return hints
