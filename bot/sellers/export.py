"""The gaps and opportunities as an Excel workbook (formula-safe, as every export)."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal

from bot.sellers.gaps import GapRow
from bot.sellers.listing import by_seller
from bot.shared.language import N_, _
from bot.shared.workbooks import workbook

COLUMNS = (
    (N_("Seller"), 28),
    (N_("Shop id"), 20),
    (N_("Main category"), 20),
    (N_("Kind"), 12),
    (N_("Gap or opportunity"), 24),
    (N_("Evidence"), 40),
    (N_("Next step"), 40),
    (N_("Owner"), 20),
    (N_("GMV at stake (28 days)"), 16),
    (N_("Owner ID"), 14),
)


def gaps_workbook(rows: list[GapRow], names: Mapping[str, str]) -> bytes:
    """XLSX bytes, one row per gap in the order given (a seller's rows together); money as a
    number of currency units. The GMV at stake is the seller's, so only its first row carries
    it: the column adds up to each seller's once. `names` maps owners' user IDs to names (an
    owner Slack does not know shows the ID); the ID has a column of its own."""
    firsts = {id(group[0]) for group in by_seller(rows)}
    return workbook(
        _("Seller gaps"),
        [(_(name), width) for name, width in COLUMNS],
        (
            [
                r.seller.name,
                r.seller.key,
                r.seller.category,
                _("opportunity") if r.kind.opportunity else _("gap"),
                r.kind.text,
                r.evidence,
                r.kind.step,
                names.get(r.owner_user_id, r.owner_user_id) if r.owner_user_id else "",
                Decimal(r.gmv_at_stake_cents) / 100 if id(r) in firsts else None,
                r.owner_user_id or "",
            ]
            for r in rows
        ),
    )
