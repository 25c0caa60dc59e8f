"""`/shopbot status`: what shopbot knows about this workspace."""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version

from bot.settings import Settings
from bot.shared.replies import Reply, context, header, section
from storage.overview import DataOverview


def shopbot_version() -> str:
    try:
        return version("shopbot")
    except PackageNotFoundError:
        return "dev"


def render_status(overview: DataOverview, settings: Settings) -> Reply:
    if overview.first_kpi_day and overview.last_kpi_day:
        span = f"{overview.first_kpi_day:%d %b %Y} → {overview.last_kpi_day:%d %b %Y}"
    else:
        span = "no KPI data yet"
    lines = [
        f"*Sellers:* {overview.sellers:,} in {overview.categories} categories",
        f"*Creators:* {overview.creators:,}",
        f"*KPI days:* {span} ({overview.kpi_rows:,} seller-days)",
        f"*Feedback notes:* {overview.feedback_notes:,}",
        f"*Livestream reviews:* {overview.livestream_reviews:,}",
        f"*Digest subscriptions:* {overview.digest_subscriptions:,}",
    ]
    backend = settings.database_url.split(":", 1)[0].split("+", 1)[0]
    footer = (
        f"shopbot {shopbot_version()} · {backend} · {settings.timezone} · "
        f"{settings.currency} · {settings.locale}"
    )
    text = "\n".join(lines)
    return Reply(
        text=text.replace("*", ""),
        blocks=[header("shopbot status"), section(text), context(footer)],
    )
