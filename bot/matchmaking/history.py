"""A pair's history in the outreach pipeline (`/match history @handle <seller>`): who added it,
then each move from stage to stage with who made it, when and why (moving back and declining
ask why), shown as every record's history is (bot.shared.history)."""

from __future__ import annotations

from typing import Any

from bot.matchmaking.pipeline import stage_name
from bot.services import Services
from bot.shared.history import Fields, history_reply, plain_value
from bot.shared.language import N_, _
from bot.shared.pages import Asked
from bot.shared.replies import Reply
from storage.matchmaking.outreach import pair_history


def _stage_value(field: str, value: Any) -> str:
    """A stage as people read it, in the answer's language (other values as plain)."""
    return (
        stage_name(value)
        if field == "stage" and isinstance(value, str)
        else plain_value(field, value)
    )


FIELDS = Fields({"stage": N_("Stage")}, value=_stage_value)


def pair_history_reply(
    services: Services, team_id: str, creator_id: int, seller_id: int, page: int, asked: Asked
) -> Reply:
    """The pair's moves, newest first, for anyone in the workspace (PairNotFound when its
    pipeline has no such pair)."""
    found = pair_history(services.engine, team_id, creator_id, seller_id)
    return history_reply(
        _("History of @{handle} × {seller}").format(
            handle=found.item.handle, seller=found.item.seller
        ),
        (found.added_by, found.added_at),
        found.moves,
        FIELDS,
        services.settings.tz,
        page,
        asked,
        verb=_("added to the pipeline"),
    )
