"""`/kpi`: KPI snapshots (the headline and its Details button), trend charts and definitions
(`/kpi import`, the import form, is the imports feature's: handlers/imports/commands.py)."""

from __future__ import annotations

from typing import Any

from slack_bolt import Respond

from bot.kpi.answers import kpi_details_reply, kpi_snapshot_reply
from bot.kpi.render import render_chart_help, render_definitions
from bot.kpi.trend import kpi_trend_chart
from bot.kpi.usage import usage_lines
from bot.services import Services
from bot.shared.commands import CommandRequest, SlashCommand
from bot.shared.effects import upload_once
from bot.shared.language import _
from bot.shared.replies import Reply, escape
from bot.shared.viewer import Viewer
from handlers.answers import Answer, answer_at, carried
from storage.errors import usage_on_error
from storage.names import match_key

KPI = SlashCommand(
    "/kpi", "KPI snapshots from the files the team exports", default="snapshot", fallback="snapshot"
)


def _usage(word: str, services: Services) -> list[str]:
    """A subcommand's usage line and what its placeholders can be: what to type instead."""
    return usage_lines(KPI.subcommands[word].usage, services.settings.locale)


@KPI.subcommand("snapshot")
def kpi_snapshot(services: Services, request: CommandRequest) -> Reply:
    """`/kpi [period] [category:<name>] [seller:<name or id>] [full]`: the headline KPIs, compared

    The periods are those of bot.shared.periods (`last week`, `mtd`, `7d`, `nov`, a day, a range);
    a category, seller or metric may be named bare (`/kpi kitchenware`, `/kpi gmv`). The answer
    is the headline (bot.kpi.headline) with a Details button; `full` gives every figure at once.
    """
    with usage_on_error(*_usage("snapshot", services)):
        return kpi_snapshot_reply(services, request.team_id, request.args)


@KPI.subcommand("help")
def kpi_help(services: Services, request: CommandRequest) -> Reply:
    """`/kpi help`: usage and the definition of every KPI"""
    answered = services.features.command_named(KPI.name) or KPI  # with the words others add
    return render_definitions([sub.usage for sub in answered.usages], services.settings.locale)


@KPI.subcommand("chart", slow=True)
def kpi_chart(services: Services, request: CommandRequest) -> Reply:
    """`/kpi chart [metric] [period] [category:<name>]`: post a KPI's daily trend to the channel

    The metrics are bot.shared.kpis.definitions.CHARTABLE, by key or name (`live share`); one day
    means the 30 days that end with it. `/kpi chart help` shows the metrics and periods.
    """
    if match_key(request.args) == "help":
        return render_chart_help(KPI.subcommands["chart"].usage, services.settings.locale)
    with usage_on_error(*_usage("chart", services)):
        chart = kpi_trend_chart(services, request.team_id, request.args)
    upload_once(
        request.effects,
        request.slack,
        "chart",
        channel=request.channel_id,
        content=chart.png,
        filename=chart.filename,
        title=chart.title,
        alt_txt=chart.title,
        initial_comment=chart.summary,
    )
    return Reply(text=_("Posted {title}.").format(title=escape(chart.title)))


def details_clicked(
    action: dict[str, Any], respond: Respond, services: Services, who: Viewer
) -> None:
    """The headline's Details button: the full snapshot replaces the headline."""

    def work() -> Answer:
        with usage_on_error(*_usage("snapshot", services)):
            value = carried(action)
            return Answer(kpi_details_reply(services, who.team_id, value), replace=True)

    answer_at(respond, "kpi details", who, work)
