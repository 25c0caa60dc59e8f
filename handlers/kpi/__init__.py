"""KPIs: `/kpi` (snapshots, trends, definitions) and the snapshot's details button; the
figures on the Home and the digest's opening sections."""

from __future__ import annotations

from slack_bolt import App

from bot.features import Feature, Placed
from bot.kpi.digest_sections import breakdown_chart, gmv_chart, kpi_summary, sellers_and_movers
from bot.kpi.headline import DETAILS
from bot.kpi.home_sections import kpi_section
from bot.shared.digest_section import Section
from handlers.answers import acknowledge
from handlers.kpi.commands import KPI, details_clicked


def register(app: App) -> None:
    app.action(DETAILS)(ack=acknowledge, lazy=[details_clicked])


FEATURE = Feature(
    "kpi",
    commands=(KPI,),
    register=register,
    home=(Placed(20, kpi_section),),
    digest=(
        Placed(10, Section("kpis", kpi_summary)),
        Placed(20, Section("gmv-chart", gmv_chart)),
        Placed(30, Section("categories", breakdown_chart)),
        Placed(40, Section("sellers", sellers_and_movers)),
    ),
)
