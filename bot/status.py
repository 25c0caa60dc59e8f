"""`/shopbot status`: what shopbot knows about this workspace."""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version

from bot.settings import Settings
from bot.shared.days import padded_day
from bot.shared.language import _, ngettext
from bot.shared.numbers import NumberStyle
from bot.shared.replies import Reply, context, header, section
from storage.overview import DataOverview


def shopbot_version() -> str:
    try:
        return version("shopbot")
    except PackageNotFoundError:
        return "dev"


def render_status(overview: DataOverview, settings: Settings, style: NumberStyle) -> Reply:
    count = style.count
    if overview.first_kpi_day and overview.last_kpi_day:
        span = f"{padded_day(overview.first_kpi_day)} → {padded_day(overview.last_kpi_day)}"
    else:
        span = _("no KPI data yet")
    # English has always written the plural here, also for one ("1 categories"); the other
    # languages take the form their count needs.
    categories = ngettext(
        "{sellers} in {count} categories", "{sellers} in {count} categories", overview.categories
    ).format(sellers=count(overview.sellers), count=count(overview.categories))
    seller_days = ngettext("{count} seller-days", "{count} seller-days", overview.kpi_rows)
    lines = [
        _("*Sellers:* {sellers}").format(sellers=categories),
        _("*Creators:* {count}").format(count=count(overview.creators)),
        _("*KPI days:* {span} ({seller_days})").format(
            span=span, seller_days=seller_days.format(count=count(overview.kpi_rows))
        ),
        _("*Feedback notes:* {count}").format(count=count(overview.feedback_notes)),
        _("*Livestream reviews:* {count}").format(count=count(overview.livestream_reviews)),
        _("*Digest subscriptions:* {count}").format(count=count(overview.digest_subscriptions)),
    ]
    backend = settings.database_url.split(":", 1)[0].split("+", 1)[0]
    footer = (
        f"shopbot {shopbot_version()} · {backend} · {settings.timezone} · "
        f"{settings.currency} · {settings.locale}"
    )
    text = "\n".join(lines)
    return Reply(
        text=text.replace("*", ""),
        blocks=[header(_("shopbot status")), section(text), context(footer)],
    )
