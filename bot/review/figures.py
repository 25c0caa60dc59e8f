"""A stream's figures as people type them into the review form, and as a review shows them."""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from bot.shared.language import N_, _
from bot.shared.numbers import NumberStyle
from bot.shared.replies import shown
from storage.errors import UserError

# (column, label) in the order the form asks and the card shows them (`figure_label` in the
# answer's language).
FIGURE_LABELS: dict[str, str] = {
    "views": N_("Views"),
    "peak_viewers": N_("Peak viewers"),
    "avg_view_seconds": N_("Avg. viewing time"),
    "gmv_cents": "GMV",
    "orders": N_("Orders"),
    "comments": N_("Comments"),
    "new_followers": N_("New followers"),
    "product_clicks": N_("Product clicks"),
}
MAX_COUNT = 10**12
_GROUPED = re.compile(r"[0-9]{1,3}([,. '\u00a0][0-9]{3})+")
_CLOCK = re.compile(r"(?:([0-9]+):)?([0-9]{1,3}):([0-9]{2})")
_WORDS = re.compile(r"(?:([0-9]+)\s*h)?\s*(?:([0-9]+)\s*m(?:in)?)?\s*(?:([0-9]+)\s*s)?")
# A currency code (`EUR`, `Rp`) or symbol (`€`) may stand before or after the number.
_MONEY = re.compile(
    r"(?:[A-Za-z]{1,3} ?|[^\w\s=+@\-(] ?)?"
    r"(?P<number>[0-9][0-9,. '\u00a0]*?)"
    r"(?: ?[A-Za-z]{1,3}| ?[^\w\s])?"
)


def parse_count(text: str, label: str) -> int | None:
    """A whole number of 0 or more (`12,300`, `12.300`, `12 300`); None when empty."""
    typed = text.strip()
    if not typed:
        return None
    digits = typed if typed.isdigit() else None
    if digits is None and _GROUPED.fullmatch(typed):
        digits = re.sub(r"[,. '\u00a0]", "", typed)
    if digits is None or not digits.isascii() or int(digits) > MAX_COUNT:
        raise UserError(
            _("{label}: `{typed}` is not a whole number such as 12,300.").format(
                label=label, typed=shown(typed)
            )
        )
    return int(digits)


def parse_seconds(text: str, label: str) -> int | None:
    """A short duration in seconds: `1:05`, `0:01:05`, `1m 5s`, `65s` or `65`."""
    typed = text.strip().lower()
    if not typed:
        return None
    if typed.isdigit() and typed.isascii():
        return int(typed)
    clock = _CLOCK.fullmatch(typed)
    if clock:
        hours, minutes, seconds = (int(part or 0) for part in clock.groups())
        return hours * 3600 + minutes * 60 + seconds
    words = _WORDS.fullmatch(typed)
    if words and any(words.groups()):
        hours, minutes, seconds = (int(part or 0) for part in words.groups())
        return hours * 3600 + minutes * 60 + seconds
    raise UserError(
        _("{label}: `{typed}` is not a duration such as 1:05 or 65s.").format(
            label=label, typed=shown(typed)
        )
    )


def parse_money_cents(text: str, label: str) -> int | None:
    """An amount (`1,234.50`, `1.234,50`, `€ 1234`) in cents; None when empty."""
    typed = text.strip()
    if not typed:
        return None
    shaped = _MONEY.fullmatch(typed)
    not_amount = _("{label}: `{typed}` is not an amount such as 1,234.50.")
    if shaped is None or not shaped["number"].isascii():
        raise UserError(not_amount.format(label=label, typed=shown(typed)))
    number = re.sub(r"[ '\u00a0]", "", shaped["number"])
    last_mark = max(number.rfind("."), number.rfind(","))
    decimals = len(number) - last_mark - 1 if last_mark >= 0 else 0
    if last_mark >= 0 and decimals <= 2:
        whole, fraction = number[:last_mark], number[last_mark + 1 :]
    else:
        whole, fraction = number, ""
    whole = whole.replace(",", "").replace(".", "")
    try:
        amount = Decimal(f"{whole or 0}.{fraction or 0}")
    except InvalidOperation:
        raise UserError(not_amount.format(label=label, typed=shown(typed))) from None
    if amount < 0 or amount > MAX_COUNT:
        raise UserError(
            _("{label}: `{typed}` is not an amount of 0 or more.").format(
                label=label, typed=shown(typed)
            )
        )
    return int(amount * 100)


PARSERS = {
    "avg_view_seconds": parse_seconds,
    "gmv_cents": parse_money_cents,
}


def parse_figure(name: str, text: str) -> int | None:
    """The figure `name` (a LivestreamReview column) from what was typed; UserError if wrong."""
    return PARSERS.get(name, parse_count)(text, figure_label(name))


def figure_label(name: str) -> str:
    """A figure's label (`Views`) in the answer's language."""
    return _(FIGURE_LABELS[name])


def figure_text(name: str, value: float | None, style: NumberStyle) -> str:
    """A figure as the card shows it: counts with separators, money, minutes and seconds."""
    if value is None:
        return "–"
    if name == "gmv_cents":
        return style.money(round(value))
    if name == "avg_view_seconds":
        seconds = round(value)
        return f"{seconds // 60}:{seconds % 60:02d}"
    return style.count(round(value))


def typed_figure(name: str, value: int | None) -> str:
    """A stored figure as the form shows it for editing (parse_figure reads it back)."""
    if value is None:
        return ""
    if name == "gmv_cents":
        return f"{value / 100:.2f}"
    if name == "avg_view_seconds":
        return f"{value // 60}:{value % 60:02d}"
    return str(value)
