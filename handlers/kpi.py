"""`/kpi`: KPI snapshots, trend charts, definitions and file imports."""

from __future__ import annotations

from bot.commands import CommandRequest, SlashCommand
from bot.kpi.answers import kpi_snapshot_reply
from bot.kpi.render import render_definitions
from bot.replies import Reply
from bot.services import Services

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
