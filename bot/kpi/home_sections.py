"""The KPIs' part of the Home: the latest complete day of the categories the person follows,
each KPI with its comparisons (placed by the kpi feature's declaration, handlers/kpi; the
picker that chooses the categories is the Home's own, bot.home.sections)."""

from __future__ import annotations

from datetime import timedelta

from slack_sdk.models.blocks import (
    Block,
    SectionBlock,
)

from bot.kpi.render import figure_field
from bot.shared.days import weekday_abbreviation, weekday_name, weekday_short_day
from bot.shared.home_section import HomeContext
from bot.shared.kpis.completeness import latest_complete_day, missing_sellers
from bot.shared.kpis.engine import snapshot
from bot.shared.language import _, ngettext
from bot.shared.periods import day_period
from bot.shared.replies import context, escape, section
from storage.kpis import reads as store
from storage.kpis.reads import Scope

SHOWN_SCOPES = 3  # categories shown in full; the rest are named with the command for each
HOME_KPIS = ("gmv", "orders", "aov", "live_share", "live_engagement", "adoption")


def kpi_section(home: HomeContext) -> list[Block]:
    """Per followed category (or for all), the latest complete day's key KPIs."""
    engine, settings = home.services.engine, home.services.settings
    followed = [c for c in home.followed if c in home.categories]
    scopes = [Scope(home.team_id, c) for c in followed[:SHOWN_SCOPES]] or [Scope(home.team_id)]
    blocks: list[Block] = []
    for scope in scopes:
        label = scope.category or _("All categories")
        presence = store.seller_presence(
            engine, scope, home.today - timedelta(days=22), home.today - timedelta(days=1)
        )
        bits = {day: sellers for day, (sellers, _adopted) in presence.days.items()}
        day = latest_complete_day(bits, home.today)
        if day is None:
            blocks.append(
                section(
                    _("{scope}: no complete day of figures yet.").format(scope=f"*{escape(label)}*")
                )
            )
            continue
        snap = snapshot(
            engine, scope, day_period(day), label, settings.adoption_program, data_until=day
        )
        fields = [
            figure_field(f, home.style, weekday_abbreviation(day), True)
            for f in snap.figures
            if f.kpi.key in HOME_KPIS
        ]
        latest = _("{day} (the latest complete day)").format(day=weekday_short_day(day))
        blocks.append(section(f"*{escape(label)}* · {latest}"))
        blocks.append(SectionBlock(fields=fields))
        newest = max(d for d in bits if d < home.today)
        if newest > day:
            missing = missing_sellers(bits, newest)
            coming = ngettext(
                "{day} is still coming in: {count} of the sellers that report on {weekday}s has "
                "not reported it yet.",
                "{day} is still coming in: {count} of the sellers that report on {weekday}s have "
                "not reported it yet.",
                missing,
            )
            blocks.append(
                context(
                    coming.format(
                        day=weekday_short_day(newest), count=missing, weekday=weekday_name(newest)
                    )
                )
            )
    more = followed[SHOWN_SCOPES:]
    if more:
        commands = " · ".join(f"`/kpi yesterday category:{escape(c)}`" for c in more[:10])
        blocks.append(context(_("Also followed: {commands}").format(commands=commands)))
    return blocks
