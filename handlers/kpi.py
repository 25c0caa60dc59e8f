"""`/kpi`: KPI snapshots, trend charts, definitions and file imports."""

from __future__ import annotations

from bot.commands import CommandRequest, SlashCommand
from bot.import_form import import_form
from bot.kpi.answers import kpi_snapshot_reply
from bot.kpi.render import render_definitions
from bot.kpi.trend import CHART_USAGE, kpi_trend_chart
from bot.replies import Reply
from bot.services import Services
from storage.errors import usage_on_error

KPI = SlashCommand(
    "/kpi", "KPI snapshots from the files the team exports", default="snapshot", fallback="snapshot"
)


@KPI.subcommand("snapshot")
def kpi_snapshot(services: Services, request: CommandRequest) -> Reply:
    """`/kpi [period] [category:<name>] [seller:<name or id>]`: the KPI snapshot with comparisons

    period: today (default), yesterday, week, last week, month, last month, YYYY-MM-DD or
    YYYY-MM-DD..YYYY-MM-DD.
    """
    return kpi_snapshot_reply(services, request.team_id, request.args)


@KPI.subcommand("help")
def kpi_help(services: Services, request: CommandRequest) -> Reply:
    """`/kpi help`: usage and the definition of every KPI"""
    return render_definitions([sub.usage for sub in KPI.usages])


@KPI.subcommand("chart", slow=True)
def kpi_chart(services: Services, request: CommandRequest) -> Reply:
    """`/kpi chart [metric] [period] [category:<name>]`: post a KPI's daily trend to the channel

    metric: gmv (default), orders, items, aov, buyers, live_gmv, share, sessions, engagement or
    gpm; period as for /kpi (one day means the 30 days that end with it).
    """
    with usage_on_error(CHART_USAGE):
        chart = kpi_trend_chart(services, request.team_id, request.args)
    assert request.slack is not None
    request.slack.files_upload_v2(
        channel=request.channel_id,
        content=chart.png,
        filename=chart.filename,
        title=chart.title,
        alt_txt=chart.title,
        initial_comment=chart.summary,
    )
    return Reply(text=f"Posted {chart.title}.")


@KPI.subcommand("import")
def kpi_import(services: Services, request: CommandRequest) -> Reply:
    """`/kpi import`: import a KPI sheet, order or LIVE export, or seller registry from a form"""
    assert request.slack is not None
    request.slack.views_open(trigger_id=request.trigger_id, view=import_form(request.channel_id))
    return Reply(text="Opening the import form… (you can also share the file with me in a DM)")
