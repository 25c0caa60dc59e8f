"""Where figures come from, as answers name them: one name per file the team imports, and
what the seller-day figures are made of under the rule of which file wins (README: "Which file
wins"; storage.kpis.precedence applies it)."""

from __future__ import annotations

KPI_SHEET = "KPI sheet"
ORDER_EXPORT = "order export"
SESSIONS_EXPORT = "LIVE sessions export"

# The seller-days /kpi, the digest and the seller card read.
SELLER_DAYS = (
    f"Source: {KPI_SHEET}; sales from the {ORDER_EXPORT}, LIVE from the {SESSIONS_EXPORT} "
    "where imported."
)
LIVE_DAYS = f"{KPI_SHEET}, or the {SESSIONS_EXPORT} where imported"
