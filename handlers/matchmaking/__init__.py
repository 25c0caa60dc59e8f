"""Matchmaking: `/match` (matches with reasons, the outreach pipeline), its buttons and the
reason form, outreach reminders; the pipeline on the Home and in the digest."""

from __future__ import annotations

import re

from slack_bolt import App

from bot.features import Feature, Placed
from bot.matchmaking.digest_sections import outreach_pipeline
from bot.matchmaking.home_sections import pipeline_section
from bot.matchmaking.pipeline import NEXT_STAGE, REASON_FORM, STAGE_MENU
from bot.matchmaking.reminders import OVERDUE_OUTREACH
from bot.matchmaking.render import START_OUTREACH
from bot.matchmaking.score import MatchSettings
from bot.shared.digest_section import Section
from handlers.answers import acknowledge
from handlers.matchmaking.commands import (
    MATCH,
    next_stage_clicked,
    outreach_started,
    reason_submitted,
    stage_chosen,
)


def register(app: App) -> None:
    app.action(START_OUTREACH)(ack=acknowledge, lazy=[outreach_started])
    app.action(re.compile(rf"^{NEXT_STAGE}_\d+$"))(ack=acknowledge, lazy=[next_stage_clicked])
    app.action(re.compile(rf"^{STAGE_MENU}_\d+$"))(ack=acknowledge, lazy=[stage_chosen])
    app.view(REASON_FORM)(reason_submitted)


FEATURE = Feature(
    "matchmaking",
    commands=(MATCH,),
    register=register,
    follow_ups=(OVERDUE_OUTREACH,),
    home=(Placed(60, pipeline_section),),
    digest=(Placed(80, Section("pipeline", outreach_pipeline)),),
    settings=(MatchSettings,),
)
