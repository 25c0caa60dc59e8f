"""Where figures come from, as answers name them: one name per file the team imports, and
what the seller-day figures are made of under the rule of which file wins (README: "Which file
wins"; storage.kpis.precedence applies it). Marked for the catalogs; shown with `_()`."""

from __future__ import annotations

from bot.shared.language import N_

KPI_SHEET = N_("KPI sheet")
ORDER_EXPORT = N_("order export")
SESSIONS_EXPORT = N_("LIVE sessions export")

# The seller-days /kpi, the digest and the seller card read (the file names above, written out
# so that each language names them in one sentence).
SELLER_DAYS = N_(
    "Source: KPI sheet; sales from the order export, LIVE from the LIVE sessions export "
    "where imported."
)
LIVE_DAYS = N_("KPI sheet, or the LIVE sessions export where imported")
