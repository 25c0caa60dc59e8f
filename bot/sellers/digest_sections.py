"""The sellers' part of the digest: their biggest gaps and opportunities as the week ends
(placed by the sellers feature's declaration, handlers/sellers)."""

from __future__ import annotations

from datetime import timedelta

from bot.sellers.gaps import seller_gaps as find_gaps
from bot.sellers.listing import by_seller, seller_gaps_text
from bot.sellers.thresholds import GapThresholds
from bot.shared.digest_section import SectionPart, WeekData
from bot.shared.language import _

SELLER_GAP_SELLERS = 3  # the digest names the sellers with the most at stake, a seller at a time


def seller_gaps(data: WeekData) -> SectionPart | None:
    """The sellers' biggest gaps and opportunities (bot.sellers.gaps) as the week ends, when
    there are any: the top rows by GMV at stake."""
    monday_after = data.week.end + timedelta(days=1)
    rows = find_gaps(
        data.engine,
        data.spec.team_id,
        monday_after,
        data.spec.setting(GapThresholds),
        category=data.spec.category,
    ).rows
    if not rows:
        return None
    sellers = by_seller(rows)
    shown = "\n".join(seller_gaps_text(gaps, data.style) for gaps in sellers[:SELLER_GAP_SELLERS])
    more = (
        " "
        + _("(top {shown} of {count} sellers: `/seller gaps`)").format(
            shown=SELLER_GAP_SELLERS, count=data.style.count(len(sellers))
        )
        if len(sellers) > SELLER_GAP_SELLERS
        else ""
    )
    return SectionPart(_("*Seller gaps and opportunities*") + more + "\n" + shown)
