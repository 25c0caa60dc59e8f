"""The creator form: add a creator to the registry (`/creator add`) or edit one (card button)."""

from __future__ import annotations

import re
from typing import Any

from slack_sdk.models.blocks import (
    Block,
    ContextBlock,
    InputBlock,
    MarkdownTextObject,
    NumberInputElement,
    PlainTextInputElement,
    UserSelectElement,
)
from slack_sdk.models.views import View

from bot.shared.forms import (
    Collector,
    FormState,
    Values,
    choice_input,
    option,
    selected,
    selected_user,
    text_input,
    text_value,
)
from bot.shared.handles import parse_handle
from bot.shared.tags import parse_tag_field
from storage.creators.models import Creator, CreatorStage
from storage.creators.registry import CreatorDraft
from storage.errors import UserError

CREATOR_FORM = "creator_form"
UNKNOWN_LEVEL = "unknown"
MAX_FOLLOWERS = 10**10
MAX_CATEGORIES = 10
LEVELS = [option("Not known", UNKNOWN_LEVEL), *(option(f"L{n}", str(n)) for n in range(9))]
STAGES = [option(stage.value.title(), stage.value) for stage in CreatorStage]


def creator_form(state: FormState, creator: Creator | None = None) -> dict[str, Any]:
    """The modal: every field of a creator, prefilled when editing (state.id set)."""
    blocks: list[Block] = []
    if creator is None:
        blocks.append(
            InputBlock(
                block_id="handle",
                label="TikTok handle",
                element=PlainTextInputElement(
                    action_id="handle",
                    placeholder="@maria.makes",
                    initial_value=f"@{state.handle}" if state.handle else None,
                    max_length=25,
                ),
            )
        )
    else:
        blocks.append(
            ContextBlock(elements=[MarkdownTextObject(text=f"Editing *@{creator.handle}*")])
        )
    level = UNKNOWN_LEVEL if creator is None or creator.level is None else str(creator.level)
    stage = creator.stage if creator else CreatorStage.PROSPECT
    blocks += [
        text_input("display_name", "Name", creator.display_name if creator else "", 200),
        choice_input("level", "Level", LEVELS, level),
        choice_input("stage", "Stage", STAGES, stage),
        InputBlock(
            block_id="owner",
            label="Owner",
            optional=True,
            element=UserSelectElement(
                action_id="owner",
                placeholder="The creator manager",
                initial_user=creator.owner_user_id if creator else None,
            ),
        ),
        text_input(
            "categories",
            "Categories",
            ", ".join(creator.categories) if creator else "",
            1000,
            hint="Separated by commas: Home & Living, Kitchenware",
        ),
        text_input("tags", "Tags", " ".join(creator.tags) if creator else "", 500),
        InputBlock(
            block_id="followers",
            label="Followers",
            optional=True,
            element=NumberInputElement(
                action_id="followers",
                is_decimal_allowed=False,
                min_value=0,
                initial_value=creator.followers if creator and creator.followers else None,
            ),
        ),
    ]
    view = View(
        type="modal",
        callback_id=CREATOR_FORM,
        title="Edit creator" if creator else "Add a creator",
        submit="Save",
        close="Cancel",
        private_metadata=state.dump(),
        blocks=blocks,
    )
    return view.to_dict()


def _categories(text: str) -> list[str]:
    names = [c.strip() for c in re.split(r"[,;\n]", text) if c.strip()]
    if len(names) > MAX_CATEGORIES or any(len(c) > 100 for c in names):
        raise UserError(f"At most {MAX_CATEGORIES} categories of up to 100 characters each.")
    return list(dict.fromkeys(names))


def _followers(text: str) -> int | None:
    text = text.strip().replace(",", "")
    if not text:
        return None
    if not text.isdigit() or int(text) > MAX_FOLLOWERS:
        raise UserError("Followers is a whole number, such as 12500.")
    return int(text)


def read_creator_form(values: Values, *, handle: str | None) -> CreatorDraft:
    """The submitted creator; the handle comes from the form when adding (`handle` None)."""
    found = Collector()
    if handle is None:
        handle = found.run("handle", parse_handle, "@" + text_value(values, "handle").lstrip("@"))
    level = selected(values, "level") or UNKNOWN_LEVEL
    stage = selected(values, "stage") or CreatorStage.PROSPECT
    found.check("stage", None if stage in set(CreatorStage) else "Pick a stage.")
    name = text_value(values, "display_name").strip()
    found.check("display_name", "At most 200 characters." if len(name) > 200 else None)
    categories = found.run("categories", _categories, text_value(values, "categories"))
    tags = found.run("tags", parse_tag_field, text_value(values, "tags"))
    followers = found.run("followers", _followers, text_value(values, "followers"))
    found.raise_if_any()
    assert handle is not None
    return CreatorDraft(
        handle=handle,
        display_name=name,
        level=None if level == UNKNOWN_LEVEL else int(level),
        stage=str(stage),
        owner_user_id=selected_user(values, "owner"),
        categories=categories or [],
        tags=tags or [],
        followers=followers,
    )
