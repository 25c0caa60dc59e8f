"""The Home's "Subscribe a channel to the digest" form: a channel picker; submitting it does
what `/digest subscribe #channel` does (the defaults: Monday 09:00, every category)."""

from __future__ import annotations

from typing import Any

from slack_sdk.models.blocks import ContextBlock, InputBlock, MarkdownTextObject
from slack_sdk.models.blocks.block_elements import ConversationFilter, ConversationSelectElement
from slack_sdk.models.views import View

from bot.shared.language import _
from bot.shared.replies import escape

CALLBACK_ID = "home_subscribe"
CHANNEL_BLOCK = "channel"


def subscribe_form() -> dict[str, Any]:
    return View(
        type="modal",
        callback_id=CALLBACK_ID,
        title=_("Subscribe a channel"),
        submit=_("Subscribe"),
        close=_("Cancel"),
        blocks=[
            InputBlock(
                block_id=CHANNEL_BLOCK,
                label=_("Channel for the weekly digest"),
                element=ConversationSelectElement(
                    action_id="channel", filter=ConversationFilter(include=["public", "private"])
                ),
            ),
            ContextBlock(
                elements=[
                    MarkdownTextObject(
                        text=_(
                            "Monday 09:00 in the team's time zone, every category. For other "
                            "days, times or a category: `{example}`."
                        ).format(
                            example=escape("/digest subscribe #channel thu 10:00 category:<name>")
                        )
                    )
                ]
            ),
        ],
    ).to_dict()


def chosen_channel(state: dict[str, Any]) -> str | None:
    values = state.get("values", {})
    return values.get(CHANNEL_BLOCK, {}).get("channel", {}).get("selected_conversation")
