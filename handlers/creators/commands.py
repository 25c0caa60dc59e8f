"""`/creator`: the creator registry: a creator's card, and the form to add or edit one."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, BoltContext, Respond
from slack_sdk import WebClient

from bot.creators.card import creator_card, typo_question
from bot.creators.form import creator_form, read_creator_form
from bot.creators.levels import (
    LEVELS_USAGE,
    levels_answer,
    onboard_answer,
    onboarding_reply,
)
from bot.services import Services
from bot.shared.carried import carried_number, carried_numbers
from bot.shared.commands import CommandRequest, SlashCommand
from bot.shared.forms import FormErrors, FormState
from bot.shared.handles import handle_or_none, near_miss, parse_handle
from bot.shared.language import N_, _
from bot.shared.numbers import style_of
from bot.shared.replies import Reply, shown
from bot.shared.viewer import Viewer
from handlers.answers import Answer, answer_at, answer_url, carried, submitted
from storage.creators.levels import complete_step
from storage.creators.profile import creator_profile
from storage.creators.registry import (
    HandleTaken,
    get_creator,
    handles_known,
    registry_handles,
    save_creator,
)
from storage.errors import Usage, UserError, usage_on_error

CREATOR = SlashCommand(
    "/creator", "the creator registry: cards with levels, notes and follow-ups", fallback="card"
)
CARD_USAGE = Usage("/creator", "card")


def card_reply(services: Services, team_id: str, handle: str) -> Reply:
    profile = creator_profile(services.engine, team_id, handle)
    if profile is None:
        raise UserError(
            _("`@{handle}` is not in the registry yet.").format(handle=shown(handle)),
            [f"/creator add @{handle}", f"/feedback @{handle} <note>"],
        )
    today = services.today()
    return creator_card(profile, services.settings.tz, today, style_of(services))


@CREATOR.subcommand("card")
def card(services: Services, request: CommandRequest) -> Reply:
    """`/creator @handle`: a creator's card with level, owner, notes and follow-ups

    The level with its history, the owner, the latest notes and open follow-ups.

    The @ may be left out of a handle the registry has; `@@handle` and a trailing dot are
    tidied away.
    """
    words = request.args.split()
    if not words:
        raise UserError(_("Say which creator."), [CARD_USAGE])
    # Without its @, a word is a handle only when the registry has it: otherwise it reads as a
    # mistyped subcommand.
    bare = None if words[0].startswith("@") else handle_or_none(words[0])
    if not words[0].startswith("@") and not (
        bare and handles_known(services.engine, request.team_id, [bare])
    ):
        unknown = _("`/creator` has no `{word}`.").format(word=shown(words[0]))
        raise UserError(unknown, [CARD_USAGE, "/creator help"])
    handle = parse_handle(words[0], CARD_USAGE, request.typed)
    if not handles_known(services.engine, request.team_id, [handle]):
        meant = near_miss(handle, registry_handles(services.engine, request.team_id))
        if meant is not None:
            return typo_question(handle, meant)
    return card_reply(services, request.team_id, handle)


@CREATOR.subcommand("add")
def add(services: Services, request: CommandRequest) -> Reply:
    """`/creator add [@handle]`: add a creator to the registry with a form"""
    handle = handle_or_none(request.args) if request.args.strip() else None
    state = FormState(response_url=request.response_url, handle=handle)
    request.slack.views_open(trigger_id=request.trigger_id, view=creator_form(state))
    return Reply(text="")


@CREATOR.subcommand("levels")
def levels(services: Services, request: CommandRequest) -> Reply:
    """`/creator levels [month]`: who moved level, who is close to the next, who is stuck

    Managed creators (with an owner) whose level has not changed for three months, and the
    onboardings in progress. The month is any `/kpi` month (`nov`, `last month`); default this
    one. The level thresholds are the setting SHOPBOT_LEVEL_THRESHOLDS.
    """
    with usage_on_error(LEVELS_USAGE):
        return levels_answer(services, request)


@CREATOR.subcommand("onboard")
def onboard(services: Services, request: CommandRequest) -> Reply:
    """`/creator onboard @handle`: start a creator's onboarding checklist

    The steps are the setting SHOPBOT_ONBOARDING_STEPS; the checklist shows on the creator's
    card and in `/creator levels`, and each step is ticked off with its button.
    """
    return onboard_answer(services, request)


def onboarding_step_done(
    action: dict[str, Any], respond: Respond, services: Services, who: Viewer
) -> None:
    def work() -> Answer:
        step = carried_numbers(carried(action), 2, N_("an onboarding step"), "/creator levels")
        creator_id, position = step
        progress = complete_step(
            services.engine,
            who.team_id,
            creator_id,
            position,
            who.user_id,
            services.today(),
        )
        return Answer(onboarding_reply(progress, started=False), replace=True)

    answer_at(respond, "onboarding step", who, work)


def edit_clicked(
    action: dict[str, Any],
    body: dict[str, Any],
    respond: Respond,
    client: WebClient,
    services: Services,
    who: Viewer,
) -> None:
    def work() -> None:
        creator_id = carried_number(carried(action), N_("a creator"), CARD_USAGE)
        creator = get_creator(services.engine, who.team_id, creator_id)
        state = FormState(id=creator.id, response_url=answer_url(respond), replace=True)
        client.views_open(trigger_id=body["trigger_id"], view=creator_form(state, creator))

    answer_at(respond, "edit creator", who, work)


def meant_clicked(
    action: dict[str, Any], respond: Respond, services: Services, who: Viewer
) -> None:
    def work() -> Answer:
        handle = parse_handle(carried(action), CARD_USAGE)
        return Answer(card_reply(services, who.team_id, handle), replace=True)

    answer_at(respond, "creator card", who, work)


def add_typed_clicked(
    action: dict[str, Any], body: dict[str, Any], respond: Respond, client: WebClient, who: Viewer
) -> None:
    def work() -> None:
        handle = parse_handle(carried(action), CARD_USAGE)
        state = FormState(response_url=answer_url(respond), handle=handle, replace=True)
        client.views_open(trigger_id=body["trigger_id"], view=creator_form(state))

    answer_at(respond, "add creator", who, work)


def form_submitted(
    ack: Ack,
    body: dict[str, Any],
    view: dict[str, Any],
    context: BoltContext,
    services: Services,
    who: Viewer,
) -> None:
    state = FormState.load(view.get("private_metadata", ""))

    def save() -> Answer:
        handle = None
        if state.id is not None:
            handle = get_creator(services.engine, who.team_id, state.id).handle
        draft = read_creator_form(view["state"]["values"], handle=handle)
        try:
            save_creator(
                services.engine,
                who.team_id,
                draft,
                today=services.today(),
                now=services.clock(),
                creator_id=state.id,
            )
        except HandleTaken:
            taken = _("This handle is already in the registry.")
            raise FormErrors({"handle": taken}) from None
        return Answer(card_reply(services, who.team_id, draft.handle), replace=state.replace)

    submitted(ack, body, context, state.response_url, "creator form", save)
