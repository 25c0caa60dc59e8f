"""Reading `/alert add <metric> [category:…|seller:…] [rule] [#channel]` into a rule.

The rule words: nothing or `unusual` (the default); `drop 30%` / `rise 50%`, optionally
`vs last week` (the default) or `vs 7-day average` (also `vs average`, `vs trailing`);
`below 10000` / `above 10000` in the metric's unit (currency units for money, `%` for rates).
Impossible rules (`drop 150%`, `below -5`), two rules at once, or a category and a seller
at once are refused, with what to type instead.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from bot.alerts.judge import RuleTerms
from bot.shared.channels import ChannelRef, parse_channel
from bot.shared.kpis.definitions import LONGEST_METRIC, METRIC_WORDS, Kpi
from bot.shared.language import _
from bot.shared.names import suggestions
from bot.shared.numbers import Unit
from bot.shared.replies import escape, shown
from bot.shared.slack_text import SlackText
from storage.errors import Usage, UserError
from storage.names import match_key

ADD_USAGE = Usage("/alert", "add")
RULE_EXAMPLES = [
    "/alert add gmv",
    "/alert add gmv category:Kitchenware drop 30% vs last week",
    "/alert add orders below 500 #lifestyle-kpi",
]
_KINDS = ("unusual", "drop", "rise", "below", "above")
_PERCENT = re.compile(r"^(\d+(?:[.,]\d+)?)\s*%?$")
_AMOUNT = re.compile(r"^-?[\d.,]+[kK]?%?$")
_TRAILING_WORDS = {"trailing", "average", "avg", "7-day", "7d", "7 day"}


@dataclass(frozen=True)
class AddArgs:
    kpi: Kpi
    category: str | None
    seller: str | None
    terms: RuleTerms
    channel: ChannelRef | None


def parse_add(text: str, typed: SlackText) -> AddArgs:
    """The parts of `/alert add …`; UserError saying what is wrong and what to type."""
    words = text.split()
    if not words:
        raise UserError(_("Name the metric to watch, such as `gmv` or `orders`."), RULE_EXAMPLES)
    kpi, rest = _metric(words)
    channel: ChannelRef | None = None
    kept: list[str] = []
    for word in rest:
        ref = parse_channel(word, typed) if word.startswith("#") or typed.channel_id(word) else None
        if ref is not None:
            if channel is not None:
                raise UserError(_("Name one channel per alert."), [ADD_USAGE])
            channel = ref
        else:
            kept.append(word)
    category, seller, rule_words = _scope(kept)
    return AddArgs(kpi, category, seller, parse_rule(rule_words, kpi), channel)


def _metric(words: list[str]) -> tuple[Kpi, list[str]]:
    for length in range(min(LONGEST_METRIC, len(words)), 0, -1):
        found = METRIC_WORDS.get(match_key(" ".join(words[:length])))
        if found is not None:
            return found, words[length:]
    names = sorted({kpi.key for kpi in METRIC_WORDS.values()})
    close = suggestions(names, words[0])
    hint = (
        " " + _("Did you mean {names}?").format(names=", ".join(f"`{n}`" for n in close))
        if close
        else ""
    )
    unknown = _("I don't know the metric `{typed}`.").format(typed=shown(words[0]))
    metrics = _("The metrics: {names}.").format(names=", ".join(f"`{n}`" for n in names))
    raise UserError(f"{unknown}{hint} {metrics}", [ADD_USAGE])


def _scope(words: list[str]) -> tuple[str | None, str | None, list[str]]:
    """(category, seller, the rule's words): a `category:`/`seller:` name runs up to the
    first rule word."""
    category = seller = None
    rule: list[str] = []
    at = 0
    while at < len(words):
        word = words[at]
        kind, colon, value = word.partition(":")
        if colon and kind.lower() in ("category", "seller"):
            name = [value] if value else []
            at += 1
            while at < len(words) and not _ends_name(words[at]):
                name.append(words[at])
                at += 1
            joined = " ".join(name).strip().strip("\"'“”")
            if not joined:
                which = (
                    _("Name the category after `category:`.")
                    if kind.lower() == "category"
                    else _("Name the seller after `seller:`.")
                )
                raise UserError(which, [ADD_USAGE])
            if kind.lower() == "category":
                category = joined
            else:
                seller = joined
            continue
        rule.append(word)
        at += 1
    if category is not None and seller is not None:
        raise UserError(
            _("An alert watches a category or a seller, not both: choose one."), [ADD_USAGE]
        )
    return category, seller, rule


def _ends_name(word: str) -> bool:
    lowered = word.lower()
    return lowered in _KINDS or lowered.startswith(("category:", "seller:"))


def parse_rule(words: list[str], kpi: Kpi) -> RuleTerms:
    """The rule's terms from its words (none: `unusual`)."""
    lowered = [w.lower() for w in words]
    kinds = [w for w in lowered if w in _KINDS]
    if len(kinds) > 1:
        raise UserError(
            _(
                "One rule per alert: `{rules}` contradict each other. Add a second alert for the "
                "other."
            ).format(rules=" ".join(shown(k) for k in kinds)),
            RULE_EXAMPLES,
        )
    if not words or lowered == ["unusual"]:
        return RuleTerms("unusual")
    if not kinds or lowered[0] not in _KINDS:
        raise UserError(
            _(
                "I don't understand the rule `{typed}`. Rules: nothing or `unusual`, `drop 30%`, "
                "`rise 50%` (`vs last week` or `vs 7-day average`), `below 10000`, `above 10000`."
            ).format(typed=shown(" ".join(words))),
            RULE_EXAMPLES,
        )
    kind, rest = lowered[0], words[1:]
    if kind == "unusual":
        raise UserError(_("`unusual` takes nothing after it."), RULE_EXAMPLES)
    if not rest:
        raise UserError(
            _("`{rule}` needs a number, such as `{example}`.").format(
                rule=kind, example=f"{kind} 30%"
            ),
            RULE_EXAMPLES,
        )
    if kind in ("drop", "rise"):
        return RuleTerms(kind, _baseline(rest[1:]), _percent(kind, rest[0]), None)
    if len(rest) > 1:
        raise UserError(
            _("I don't understand `{typed}` after the threshold.").format(
                typed=shown(" ".join(rest[1:]))
            ),
            RULE_EXAMPLES,
        )
    return RuleTerms(kind, "", None, _threshold(kind, rest[0], kpi))


def _percent(kind: str, word: str) -> int:
    match = _PERCENT.match(word)
    if match is None:
        raise UserError(
            _("`{rule}` needs a percentage, such as `{example}`; not `{typed}`.").format(
                rule=kind, example=f"{kind} 30%", typed=shown(word)
            ),
            RULE_EXAMPLES,
        )
    percent = Decimal(match[1].replace(",", "."))
    if percent != percent.to_integral_value() or percent <= 0:
        raise UserError(
            _("Give `{rule}` a whole percentage above 0, such as `{example}`.").format(
                rule=kind, example=f"{kind} 30%"
            ),
            RULE_EXAMPLES,
        )
    if kind == "drop" and percent >= 100:
        raise UserError(
            _(
                "A figure cannot drop by {percent}%: a drop is at most 100% (to zero). Try "
                "`drop 50%`, or `{other}`."
            ).format(percent=percent, other=escape("below <amount>")),
            RULE_EXAMPLES,
        )
    if percent > 1000:
        raise UserError(_("Rises above 1000% are not watched: give a smaller one."), RULE_EXAMPLES)
    return int(percent)


def _baseline(words: list[str]) -> str:
    text = " ".join(w.lower() for w in words)
    text = re.sub(r"^(vs\.?|against|versus|compared to|from)\s*", "", text).strip()
    if text in ("", "last week", "week", "same weekday", "same weekday last week"):
        return "week"
    if any(word in text for word in _TRAILING_WORDS):
        return "trailing"
    raise UserError(
        _("Compare with `vs last week` or `vs 7-day average`, not `{typed}`.").format(
            typed=shown(text)
        ),
        RULE_EXAMPLES,
    )


def _threshold(kind: str, word: str, kpi: Kpi) -> Decimal:
    """The threshold in the metric's stored unit: cents for money, a fraction for rates."""
    if not _AMOUNT.match(word):
        raise UserError(
            _("`{rule}` needs a number, such as `{example}`; not `{typed}`.").format(
                rule=kind, example=f"{kind} 10000", typed=shown(word)
            ),
            RULE_EXAMPLES,
        )
    text, factor = word.rstrip("%"), Decimal(1)
    if text.lower().endswith("k"):
        text, factor = text[:-1], Decimal(1000)
    try:
        amount = Decimal(text.replace(",", "")) * factor
    except InvalidOperation:
        raise UserError(
            _("`{typed}` is not a number.").format(typed=shown(word)), RULE_EXAMPLES
        ) from None
    if amount < 0:
        raise UserError(
            _("A {metric} below zero is impossible: give `{rule}` an amount of 0 or more.").format(
                metric=kpi.name, rule=kind
            ),
            RULE_EXAMPLES,
        )
    if kind == "below" and amount == 0:
        raise UserError(
            _("{metric} is never below 0, so `below 0` would never fire.").format(metric=kpi.name),
            RULE_EXAMPLES,
        )
    if kpi.unit is Unit.RATE:
        share = amount / 100 if word.endswith("%") or amount > 1 else amount
        if share > 1:
            raise UserError(
                _("{metric} is a share: give a percentage up to 100%.").format(metric=kpi.name),
                RULE_EXAMPLES,
            )
        return share
    return amount * 100 if kpi.unit is Unit.MONEY else amount
