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
from bot.shared.language import N_, _
from bot.shared.tags import parse_tag_field
from storage.creators.models import Creator, CreatorStage
from storage.creators.registry import CreatorDraft
from storage.errors import UserError

CREATOR_FORM = "creator_form"
UNKNOWN_LEVEL = "unknown"
MAX_FOLLOWERS = 10**10
MAX_CATEGORIES = 10
STAGE_LABELS = {
    CreatorStage.PROSPECT: N_("Prospect"),
    CreatorStage.CONTACTED: N_("Contacted"),
    CreatorStage.ONBOARDING: N_("Onboarding"),
    CreatorStage.ACTIVE: N_("Active"),
    CreatorStage.PAUSED: N_("Paused"),
}


def stage_label(stage: str) -> str:
    """A stage as people read it (`Prospect` · `Interessent`)."""
    label = STAGE_LABELS.get(CreatorStage(stage)) if stage in set(CreatorStage) else None
    return _(label) if label else stage.title()


def _levels() -> list[Any]:
    return [option(_("Not known"), UNKNOWN_LEVEL), *(option(f"L{n}", str(n)) for n in range(9))]


def _stages() -> list[Any]:
    return [option(stage_label(stage), stage.value) for stage in CreatorStage]


def creator_form(state: FormState, creator: Creator | None = None) -> dict[str, Any]:
    """The modal: every field of a creator, prefilled when editing (state.id set)."""
    blocks: list[Block] = []
    if creator is None:
        blocks.append(
            InputBlock(
                block_id="handle",
                label=_("TikTok handle"),
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
            ContextBlock(
                elements=[
                    MarkdownTextObject(text=_("Editing *@{handle}*").format(handle=creator.handle))
                ]
            )
        )
    level = UNKNOWN_LEVEL if creator is None or creator.level is None else str(creator.level)
    stage = creator.stage if creator else CreatorStage.PROSPECT
    blocks += [
        text_input("display_name", _("Name"), creator.display_name if creator else "", 200),
        choice_input("level", _("Level"), _levels(), level),
        choice_input("stage", _("Stage"), _stages(), stage),
        InputBlock(
            block_id="owner",
            label=_("Owner"),
            optional=True,
            element=UserSelectElement(
                action_id="owner",
                placeholder=_("The creator manager"),
                initial_user=creator.owner_user_id if creator else None,
            ),
        ),
        text_input(
            "categories",
            _("Categories"),
            ", ".join(creator.categories) if creator else "",
            1000,
            hint=_("Separated by commas: Home & Living, Kitchenware"),
        ),
        text_input("tags", _("Tags"), " ".join(creator.tags) if creator else "", 500),
        InputBlock(
            block_id="followers",
            label=_("Followers"),
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
        title=_("Edit creator") if creator else _("Add a creator"),
        submit=_("Save"),
        close=_("Cancel"),
        private_metadata=state.dump(),
        blocks=blocks,
    )
    return view.to_dict()


def _categories(text: str) -> list[str]:
    names = [c.strip() for c in re.split(r"[,;\n]", text) if c.strip()]
    if len(names) > MAX_CATEGORIES or any(len(c) > 100 for c in names):
        most = _("At most {count} categories of up to 100 characters each.")
        raise UserError(most.format(count=MAX_CATEGORIES))
    return list(dict.fromkeys(names))


def _followers(text: str) -> int | None:
    text = text.strip().replace(",", "")
    if not text:
        return None
    if not text.isdigit() or int(text) > MAX_FOLLOWERS:
        raise UserError(_("Followers is a whole number, such as 12500."))
    return int(text)


def read_creator_form(values: Values, *, handle: str | None) -> CreatorDraft:
    """The submitted creator; the handle comes from the form when adding (`handle` None)."""
    found = Collector()
    if handle is None:
        handle = found.run("handle", parse_handle, "@" + text_value(values, "handle").lstrip("@"))
    level = selected(values, "level") or UNKNOWN_LEVEL
    stage = selected(values, "stage") or CreatorStage.PROSPECT
    found.check("stage", None if stage in set(CreatorStage) else _("Pick a stage."))
    name = text_value(values, "display_name").strip()
    found.check("display_name", _("At most 200 characters.") if len(name) > 200 else None)
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
