"""The feedback form: a modal for a new note (from `/feedback`, a creator card or a message
shortcut) or for editing one, and the reading of what was submitted."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from slack_sdk import WebClient
from slack_sdk.models.blocks import (
    Block,
    ContextBlock,
    DatePickerElement,
    ExternalDataSelectElement,
    InputBlock,
    MarkdownTextObject,
    PlainTextInputElement,
)
from slack_sdk.models.views import View
from sqlalchemy.engine import Engine

from bot.feedback.inference import GENERAL, SENTIMENTS, TOPICS, sentiment_label, topic_label
from bot.shared.forms import (
    Collector,
    FormState,
    Values,
    choice_input,
    note_input,
    option,
    selected,
    selected_date,
    text_value,
)
from bot.shared.handles import handle_or_none
from bot.shared.language import _
from bot.shared.note_text import check_note_text
from bot.shared.tags import parse_tag_field
from storage.creators.registry import find_creator
from storage.feedback.models import Sentiment
from storage.feedback.notes import NoteChanges, NoteDraft, NoteView

NOTE_FORM = "feedback_note_form"
CREATOR_SELECT = "feedback_creator"  # the type-ahead's action_id: its options come from the app
NEW_PREFIX = "＋ "  # then "new: @handle" in the answer's language


@dataclass(frozen=True)
class NoteFields:
    """The form's fields, to prefill it or as submitted."""

    handle: str | None = None
    creator_name: str = ""
    text: str = ""
    topic: str = GENERAL
    sentiment: str = Sentiment.NEUTRAL
    tags: tuple[str, ...] = ()
    follow_up_on: date | None = None

    @classmethod
    def of(cls, note: NoteView) -> NoteFields:
        """A saved note's fields, to prefill the form for editing it."""
        return cls(
            handle=note.handle,
            creator_name=note.creator_name,
            text=note.text,
            topic=note.topic,
            sentiment=note.sentiment,
            tags=tuple(note.tags),
            follow_up_on=note.follow_up_on,
        )

    def draft(self, team_id: str, author: str, state: FormState, key: str) -> NoteDraft:
        """The new note these fields describe; `key` makes a second submission a no-op."""
        assert self.handle is not None
        return NoteDraft(
            team_id=team_id,
            author_user_id=author,
            handle=self.handle,
            text=self.text,
            topic=self.topic,
            sentiment=self.sentiment,
            tags=list(self.tags),
            follow_up_on=self.follow_up_on,
            source_url=state.source_url,
            client_key=key,
        )

    def changes(self) -> NoteChanges:
        return NoteChanges(
            self.text, self.topic, self.sentiment, list(self.tags), self.follow_up_on
        )


def open_note_form(
    slack: WebClient,
    engine: Engine,
    state: FormState,
    trigger_id: str,
    *,
    team_id: str,
    note: NoteView | None = None,
    handles: Sequence[str] = (),
    text: str = "",
) -> None:
    """The one way the note form opens: to edit `note`, or for a new note with `text` about
    the first of `handles` the registry knows (a single handle is taken even when new)."""
    if note is not None:
        prefill = NoteFields.of(note)
    else:
        known = (find_creator(engine, team_id, h) for h in handles)
        creator = next((c for c in known if c is not None), None)
        handle = creator.handle if creator else (handles[0] if len(handles) == 1 else None)
        name = creator.display_name if creator else ""
        prefill = NoteFields(handle=handle, creator_name=name, text=text)
    slack.views_open(trigger_id=trigger_id, view=note_form(state, prefill))


def creator_option(handle: str, name: str = "", *, new: bool = False) -> Any:
    if new:
        return option(NEW_PREFIX + _("new: @{handle}").format(handle=handle), handle)
    return option(f"@{handle}" + (f" · {name}" if name else ""), handle)


def note_form(state: FormState, prefill: NoteFields) -> dict[str, Any]:
    """The modal's view; editing (state.id set) shows the creator instead of asking for it."""
    blocks: list[Block] = []
    if state.id is None:
        initial = creator_option(prefill.handle, prefill.creator_name) if prefill.handle else None
        blocks.append(
            InputBlock(
                block_id="creator",
                label=_("Creator"),
                hint=_("Type to search the registry, or a new TikTok handle to add it."),
                element=ExternalDataSelectElement(
                    action_id=CREATOR_SELECT,
                    placeholder=_("@handle or name"),
                    min_query_length=1,
                    initial_option=initial,
                ),
            )
        )
    else:
        about = _("Note {number} about *@{handle}*")
        blocks.append(_context(about.format(number=state.id, handle=prefill.handle)))
    topics = [option(topic_label(topic), topic) for topic in TOPICS]
    sentiments = [option(sentiment_label(s), str(s)) for s in SENTIMENTS]
    blocks += [
        choice_input("topic", _("Topic"), topics, prefill.topic),
        choice_input("sentiment", _("Sentiment"), sentiments, prefill.sentiment, radio=True),
        *note_input("note", _("Note"), prefill.text, _("What did the creator say?")),
        InputBlock(
            block_id="tags",
            label=_("Tags"),
            optional=True,
            hint=_("Words such as samples late-delivery (# optional)."),
            element=PlainTextInputElement(
                action_id="tags", initial_value=" ".join(prefill.tags) or None
            ),
        ),
        InputBlock(
            block_id="follow_up",
            label=_("Follow up on"),
            optional=True,
            hint=_("You get a reminder by DM that morning."),
            element=DatePickerElement(
                action_id="follow_up",
                initial_date=prefill.follow_up_on.isoformat() if prefill.follow_up_on else None,
            ),
        ),
    ]
    if state.source_url:
        blocks.append(_context(_("From <{url}|this message>.").format(url=state.source_url)))
    view = View(
        type="modal",
        callback_id=NOTE_FORM,
        title=_("Edit note") if state.id else _("Creator feedback"),
        submit=_("Save"),
        close=_("Cancel"),
        private_metadata=state.dump(),
        blocks=blocks,
    )
    return view.to_dict()


def _context(mrkdwn: str) -> ContextBlock:
    return ContextBlock(elements=[MarkdownTextObject(text=mrkdwn)])


def read_note_form(
    values: Values, *, editing: bool, today: date, keep_date: date | None = None
) -> NoteFields:
    """The submitted fields; FormErrors by block when any is wrong. A follow-up date must be
    today or later, unless it is the date the note already had (`keep_date`)."""
    found = Collector()
    handle = None
    if not editing:
        handle = handle_or_none(selected(values, "creator") or "")
        found.check("creator", None if handle else _("Pick a creator, or type a new handle."))
    text = text_value(values, "note")
    found.run("note", check_note_text, text, "/feedback")
    topic = selected(values, "topic") or GENERAL
    found.check("topic", None if topic in TOPICS else _("Pick a topic."))
    sentiment = selected(values, "sentiment") or Sentiment.NEUTRAL
    found.check("sentiment", None if sentiment in SENTIMENTS else _("Pick a sentiment."))
    tags = found.run("tags", parse_tag_field, text_value(values, "tags")) or []
    follow_up = selected_date(values, "follow_up")
    if follow_up is not None and follow_up < today and follow_up != keep_date:
        found.check("follow_up", _("Pick today or a later day for the follow-up."))
    found.raise_if_any()
    return NoteFields(
        handle=handle,
        text=text,
        topic=topic,
        sentiment=str(sentiment),
        tags=tuple(tags),
        follow_up_on=follow_up,
    )


def creator_options(creators: list[tuple[str, str]], query: str) -> list[dict[str, Any]]:
    """Type-ahead choices: matching creators, then the query itself as a new handle if it is
    one and not already there."""
    options = [creator_option(handle, name).to_dict() for handle, name in creators]
    typed = handle_or_none(query)
    if typed and typed not in {handle for handle, _ in creators}:
        options.append(creator_option(typed, new=True).to_dict())
    return options
