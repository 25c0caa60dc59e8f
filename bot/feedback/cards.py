"""Block Kit for notes: the saved-note card, list items, pages with "more", and reminders.

Note text is user text: it is always escaped, so `<!channel>` or `<@U…>` in a note is shown and
never pings anyone, and split over sections so a 4,000-character note fits Slack's limits.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from zoneinfo import ZoneInfo

from slack_sdk.models.blocks import (
    ActionsBlock,
    Block,
    ButtonElement,
    ConfirmObject,
    MarkdownTextObject,
    Option,
    OverflowMenuElement,
    SectionBlock,
)

from bot.feedback.inference import sentiment_label, topic_label
from bot.shared.days import day_text, local_day
from bot.shared.follow_ups import follow_up_text
from bot.shared.language import _, pgettext
from bot.shared.replies import (
    SECTION_TEXT_LIMIT,
    Reply,
    context,
    escape,
    section,
    text_sections,
    truncate,
)
from storage.feedback.notes import NoteView, SavedNote

EDIT_NOTE = "feedback_edit_note"
DELETE_NOTE = "feedback_delete_note"
NOTE_MENU = "feedback_note_menu"  # + "_<id>": one overflow menu per listed note
FOLLOW_UP_DONE = "feedback_follow_up_done"
SNIPPET = 300


def creator_ref(note: NoteView) -> str:
    name = f" ({escape(note.creator_name)})" if note.creator_name else ""
    return f"*@{note.handle}*{name}"


def note_facts(note: NoteView, today: date, *, author: bool = True) -> str:
    """One context line: topic, sentiment, tags, author, follow-up, the note's number."""
    parts = [topic_label(note.topic), sentiment_label(note.sentiment)]
    if note.tags:
        parts.append(" ".join(f"#{escape(t)}" for t in note.tags))
    if author:
        parts.append(_("by {author}").format(author=f"<@{note.author_user_id}>"))
    if note.follow_up_on:
        parts.append(follow_up_text(note, today))
    if note.source_url:
        source = _("source")
        parts.append(f"<{note.source_url}|{source}>")
    parts.append(_("note {number}").format(number=note.id))
    return " · ".join(parts)


def note_buttons(note: NoteView) -> ActionsBlock:
    value = str(note.id)
    return ActionsBlock(
        block_id=f"note_{note.id}",
        elements=[
            ButtonElement(text=_("Edit"), action_id=EDIT_NOTE, value=value),
            ButtonElement(
                text=_("Delete"),
                action_id=DELETE_NOTE,
                value=value,
                style="danger",
                confirm=ConfirmObject(
                    title=_("Delete this note?"),
                    text=_(
                        "It disappears from lists and search. An admin can restore it within "
                        "30 days."
                    ),
                    confirm=_("Delete"),
                    deny=_("Keep it"),
                    style="danger",
                ),
            ),
        ],
    )


def note_card(title: str, note: NoteView, tz: ZoneInfo, today: date) -> list[Block]:
    """A whole note with its facts and Edit / Delete buttons."""
    return [
        section(title),
        *text_sections(note.text),
        context(note_facts(note, today)),
        note_buttons(note),
    ]


def saved_reply(saved: SavedNote, tz: ZoneInfo, today: date) -> Reply:
    note = saved.note
    saved_about = _("Saved a note about {creator}.")
    blocks = note_card(f"✅ {saved_about.format(creator=creator_ref(note))}", note, tz, today)
    if saved.new_creator:
        added = _(
            "@{handle} was not in the registry, so I added it as a prospect: "
            "`/creator @{handle}` shows the card."
        )
        blocks.insert(-1, context("🆕 " + added.format(handle=note.handle)))
    return Reply(text=saved_about.format(creator=f"@{note.handle}"), blocks=blocks)


def kept_reply(handles: Sequence[str]) -> Reply:
    """Notes saved to the intake while an import writes (storage.feedback.intake): saved, with no
    number yet, and in lists and search as soon as the import is done."""
    named = f" {pgettext('between two names', 'and')} ".join(f"@{h}" for h in handles)
    title = _("Saved a note about {creator}.").format(creator=named)
    later = "⏳ " + _(
        "An import is being written: the note shows in lists and search (with its number, "
        "to edit it) as soon as that is done."
    )
    return Reply(text=title, blocks=[section(f"✅ {title}"), context(later)])


def note_item(note: NoteView, tz: ZoneInfo, today: date, *, menu: bool = True) -> list[Block]:
    """A listed note: who, when, a snippet, and a menu to edit or delete it."""
    first = f"{creator_ref(note)} · {local_day(note.created_at, tz)}\n"
    text = first + escape(truncate(note.text, SNIPPET))
    accessory = None
    if menu:
        accessory = OverflowMenuElement(
            action_id=f"{NOTE_MENU}_{note.id}",
            options=[
                Option(text=_("Edit"), value=f"edit:{note.id}"),
                Option(text=_("Delete"), value=f"delete:{note.id}"),
            ],
        )
    block = SectionBlock(
        text=MarkdownTextObject(text=truncate(text, SECTION_TEXT_LIMIT)), accessory=accessory
    )
    return [block, context(note_facts(note, today))]


def reminder_message(note: NoteView, tz: ZoneInfo, today: date) -> Reply:
    """The follow-up DM to the note's author, with a Done button."""
    title = "⏰ " + _("*Follow-up due {day}* with {creator}: your note from {written}.").format(
        day=day_text(note.follow_up_on or today),
        creator=creator_ref(note),
        written=local_day(note.created_at, tz),
    )
    blocks: list[Block] = [
        section(title),
        *text_sections(note.text),
        context(note_facts(note, today, author=False)),
        ActionsBlock(
            block_id=f"follow_up_{note.id}",
            elements=[
                ButtonElement(
                    text=_("Done"), action_id=FOLLOW_UP_DONE, value=str(note.id), style="primary"
                )
            ],
        ),
    ]
    return Reply(text=_("Follow-up due with @{handle}").format(handle=note.handle), blocks=blocks)


def follow_up_done_message(note: NoteView, tz: ZoneInfo, today: date) -> Reply:
    done = note.follow_up_done_at or note.updated_at
    blocks: list[Block] = [
        section(
            "✔ "
            + _("Follow-up with {creator} done on {day}.").format(
                creator=creator_ref(note), day=local_day(done, tz)
            )
        ),
        *text_sections(note.text),
        context(note_facts(note, today, author=False)),
    ]
    done_text = _("Follow-up with {creator} done.").format(creator=f"@{note.handle}")
    return Reply(text=done_text, blocks=blocks)
