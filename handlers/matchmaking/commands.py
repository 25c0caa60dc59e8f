"""`/match`: creator–seller matchmaking with reasons, and the outreach pipeline with its stage
buttons, menus and the reason modal."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, BoltContext, Respond
from slack_sdk import WebClient

from bot.matchmaking.answers import history_answer, match_answer, pipeline_answer
from bot.matchmaking.pipeline import (
    moved_reply,
    read_stage_value,
    reason_form,
    reason_state,
    started_reply,
)
from bot.matchmaking.render import read_pair, score_help
from bot.matchmaking.score import MatchSettings
from bot.services import Services
from bot.shared.commands import CommandRequest, SlashCommand
from bot.shared.forms import FormErrors, text_value
from bot.shared.help import usage_lines
from bot.shared.language import N_, _
from bot.shared.replies import Reply
from bot.shared.viewer import Viewer
from handlers.answers import Answer, answer_at, answer_url, carried, submitted
from storage.matchmaking.models import OutreachStage
from storage.matchmaking.outreach import ORDER, get_item, move_stage, start_outreach

MATCH = SlashCommand(
    "/match", "creator–seller matchmaking with reasons, and the outreach pipeline", fallback="for"
)


SUMMARIES = (
    N_("creator–seller matchmaking with reasons, and the outreach pipeline"),
    N_("the best creators for a seller, or sellers for a creator"),
    N_("where each outreach pair stands"),
    N_("who moved an outreach pair, where and why"),
    N_("usage, the score's components and their current weights"),
)
"""The command's and its subcommands' summaries (their docstrings' first lines), for the
catalogs: `/match help` shows them in the answer's language."""


@MATCH.subcommand("for")
def match_for(services: Services, request: CommandRequest) -> Reply:
    """`/match <seller or @handle> [n] [live|video] [all]`: the best creators for a seller, or
    sellers for a creator

    For a seller, the creators who fit it best; for `@handle`, the sellers who fit the creator
    best; each with its score, reasons, warnings and buttons. `n` rows (1–20, default 5);
    `live` or `video` ranks creators by that content; pairs that already work together are
    left out unless `all` is given, and then marked.
    """
    return match_answer(services, request)


@MATCH.subcommand("pipeline", paged=True)
def match_pipeline(services: Services, request: CommandRequest) -> Reply:
    """`/match pipeline [seller|@handle|mine] [page:N]`: where each outreach pair stands

    Overdue pairs first, five a page. Stages: suggested → contacted → sample sent → content
    posted → selling, or declined. The button moves a pair on; the menu moves it anywhere
    (back or declined asks why).
    """
    return pipeline_answer(services, request)


@MATCH.subcommand("history", paged=True)
def match_history(services: Services, request: CommandRequest) -> Reply:
    """`/match history @handle <seller> [page:N]`: who moved an outreach pair, where and why

    Who added the pair to the pipeline, then each move from stage to stage with who made it,
    when and the reason given for moving back or declining, newest first.
    """
    return history_answer(services, request, MATCH.subcommands["history"].usage)


@MATCH.subcommand("help")
def match_help(services: Services, request: CommandRequest) -> Reply:
    """`/match help`: usage, the score's components and their current weights"""
    usages = [(usage, _(summary)) for usage, summary in usage_lines(MATCH)]
    return score_help(usages, services.settings.section(MatchSettings).weights)


def outreach_started(
    action: dict[str, Any], respond: Respond, services: Services, who: Viewer
) -> None:
    def work() -> Answer:
        creator_id, seller_id = read_pair(carried(action))
        pair = start_outreach(
            services.engine, who.team_id, creator_id, seller_id, who.user_id, services.clock()
        )
        assert pair.id is not None
        item = get_item(services.engine, who.team_id, pair.id)
        return Answer(started_reply(item, services.today()))

    answer_at(respond, "start outreach", who, work)


def _move(services: Services, who: Viewer, value: str, reason: str = "") -> Answer:
    """Move the pair the value names; the answer shows where it stands now."""
    outreach_id, stage = read_stage_value(value)
    move_stage(
        services.engine, who.team_id, outreach_id, stage, who.user_id, services.clock(), reason
    )
    item = get_item(services.engine, who.team_id, outreach_id)
    return Answer(moved_reply(item, services.today()))


def next_stage_clicked(
    action: dict[str, Any], respond: Respond, services: Services, who: Viewer
) -> None:
    value = carried(action)
    answer_at(respond, "pipeline stage", who, lambda: _move(services, who, value))


def _needs_reason(current: str, stage: str) -> bool:
    if stage == OutreachStage.DECLINED:
        return True
    if current == OutreachStage.DECLINED:
        return False
    return ORDER.index(OutreachStage(stage)) < ORDER.index(OutreachStage(current))


def stage_chosen(
    action: dict[str, Any],
    body: dict[str, Any],
    respond: Respond,
    client: WebClient,
    services: Services,
    who: Viewer,
) -> None:
    """A stage from the menu: forward at once; back or declined asks why in a modal."""
    value = carried(action)

    def work() -> Answer | None:
        outreach_id, stage = read_stage_value(value)
        item = get_item(services.engine, who.team_id, outreach_id)
        if stage in {s.value for s in OutreachStage} and _needs_reason(item.stage, stage):
            view = reason_form(outreach_id, stage, answer_url(respond), item)
            client.views_open(trigger_id=body["trigger_id"], view=view)
            return None
        return _move(services, who, value)

    answer_at(respond, "pipeline menu", who, work)


def reason_submitted(
    ack: Ack,
    body: dict[str, Any],
    view: dict[str, Any],
    context: BoltContext,
    services: Services,
    who: Viewer,
) -> None:
    state = reason_state(view.get("private_metadata"))
    reason = text_value(view.get("state", {}).get("values", {}), "reason")

    def save() -> Answer:
        if not reason.strip():
            raise FormErrors({"reason": _("Say why, in a few words.")})
        value = f"{state.get('id')}:{state.get('stage')}"
        return _move(services, who, value, reason)

    submitted(ack, body, context, str(state.get("response_url", "")), "pipeline reason", save)
