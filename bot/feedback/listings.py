"""Lists of notes (a creator's, a search, the recent ones, mine, the deleted ones), page by page.

A `Listing` is what was asked and which page; the shared pager (bot.shared.pages) asks for the same
list again at another page, never a cut-off answer.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from slack_sdk.models.blocks import Block, ButtonElement, MarkdownTextObject, SectionBlock

from bot.feedback.cards import FOLLOW_UP_DONE, note_card, note_facts, note_item
from bot.services import Services
from bot.shared.pages import Asked, pager
from bot.shared.replies import Reply, context, escape, header, problem, shown, truncate
from bot.shared.viewer import Viewer
from storage.errors import AdminsOnly
from storage.feedback import notes
from storage.feedback.notes import NotePage, NoteView

PAGE_SIZE = 5  # notes a page: a note takes up to eight lines on a phone
MAX_LIST = 200
FOLLOW_UPS_SHOWN = 8
RESTORE_NOTE = "feedback_restore_note"  # + "_<id>"


@dataclass(frozen=True)
class Listing:
    kind: str
    arg: str = ""
    total: int = MAX_LIST  # `/feedback list @x 25`: stop after 25
    page: int = 1

    @property
    def offset(self) -> int:
        return (self.page - 1) * PAGE_SIZE


def show(services: Services, viewer: Viewer, listing: Listing, asked: Asked) -> Reply:
    """The page of notes `listing` asks for, with the pager to the others."""
    size = max(0, min(PAGE_SIZE, listing.total - listing.offset))
    now, engine, team = services.clock(), services.engine, viewer.team_id
    if listing.kind == "list":
        creator, page = notes.notes_about(engine, team, listing.arg, size, listing.offset)
        if creator is None:
            return problem(
                f"No creator `@{shown(listing.arg)}` in the registry yet.",
                [f"/feedback @{listing.arg} <note>", "/creator add"],
            )
        title = f"Notes about @{listing.arg}"
        adds = escape(f"/feedback @{listing.arg} <note>")
        empty = f"No notes about @{listing.arg} yet: `{adds}` adds one."
    elif listing.kind == "search":
        page = notes.search_notes(engine, team, listing.arg, size, listing.offset)
        title = f"Notes matching “{truncate(listing.arg, 100)}”"
        empty = "No notes match all of those words. Fewer or other words may find some."
    elif listing.kind == "recent":
        days = int(listing.arg or 7)
        page = notes.recent_notes(engine, team, now - timedelta(days=days), size, listing.offset)
        span = "day" if days == 1 else f"{days} days"
        title, empty = f"Notes from the last {span}", f"No notes in the last {span}."
    elif listing.kind == "mine":
        page = notes.notes_by(engine, team, viewer.user_id, size, listing.offset)
        title, empty = "Your notes", "You have not written any notes yet."
    else:
        if not viewer.is_admin:
            raise AdminsOnly("see and restore deleted notes", services.settings.admins)
        page = notes.deleted_notes(engine, team, now, size, listing.offset)
        title, empty = "Deleted notes (restorable for 30 days)", "No notes deleted in 30 days."
    blocks = _page_blocks(services, page, listing.kind == "deleted")
    if listing.kind == "mine" and listing.offset == 0:
        blocks = _follow_up_blocks(services, viewer) + blocks
    return _paged(title, blocks, page, listing, empty, asked)


def _page_blocks(services: Services, page: NotePage, deleted: bool) -> list[Block]:
    tz, today = services.settings.tz, services.today()
    if not deleted:
        return [block for note in page.notes for block in note_item(note, tz, today)]
    blocks: list[Block] = []
    for note in page.notes:
        item = note_item(note, tz, today, menu=False)
        assert isinstance(item[0], SectionBlock) and note.deleted_at is not None
        item[0].accessory = ButtonElement(
            text="Restore", action_id=f"{RESTORE_NOTE}_{note.id}", value=str(note.id)
        )
        when = note.deleted_at.astimezone(tz)
        item.append(context(f"deleted by <@{note.deleted_by}> on {when:%d %b %Y %H:%M}"))
        blocks += item
    return blocks


def _follow_up_blocks(services: Services, viewer: Viewer) -> list[Block]:
    """The viewer's open follow-ups, overdue first, each with a Done button."""
    today = services.today()
    open_ = notes.open_follow_ups(
        services.engine, viewer.team_id, author=viewer.user_id, limit=FOLLOW_UPS_SHOWN + 1
    )
    if not open_:
        return [context("No open follow-ups.")]
    overdue = sum(1 for n in open_ if n.follow_up_on and n.follow_up_on < today)
    blocks: list[Block] = [
        context(f"*Open follow-ups* ({overdue} overdue)" if overdue else "*Open follow-ups*")
    ]
    for note in open_[:FOLLOW_UPS_SHOWN]:
        blocks.append(_follow_up_item(note, today))
    if len(open_) > FOLLOW_UPS_SHOWN:
        blocks.append(context("… and more: close these to see the rest."))
    blocks.append(context("*Your latest notes*"))
    return blocks


def _follow_up_item(note: NoteView, today: date) -> SectionBlock:
    text = f"*@{note.handle}* — {escape(truncate(note.text, 200))}\n{note_facts(note, today)}"
    return SectionBlock(
        text=MarkdownTextObject(text=text),
        accessory=ButtonElement(
            text="Done", action_id=f"{FOLLOW_UP_DONE}_{note.id}", value=str(note.id)
        ),
    )


def _paged(
    title: str, blocks: list[Block], page: NotePage, listing: Listing, empty: str, asked: Asked
) -> Reply:
    shown_to = page.offset + len(page.notes)
    if page.notes:
        footer = f"Notes {page.offset + 1}–{shown_to}, newest first"
        if listing.kind == "search":
            footer = f"Notes {page.offset + 1}–{shown_to}, best match first"
        blocks = [*blocks, context(footer)]
    else:
        blocks = [*blocks, context(empty if page.offset == 0 else "No notes on this page.")]
    more = page.has_more and shown_to < listing.total
    blocks += pager(asked, listing.page, more=more)
    fallback = f"{title}: {len(page.notes)} notes" + (" (more available)" if more else "")
    return Reply(text=escape(fallback), blocks=[header(title), *blocks])


def restored_note(services: Services, viewer: Viewer, note_id: int) -> Reply:
    """Bring back a deleted note (admins, within 30 days) and show its card."""
    note = notes.restore_note(
        services.engine,
        viewer.team_id,
        note_id,
        **services.changed_by(viewer.user_id),
    )
    title = f"♻️ Restored note {note.id} about *@{note.handle}*."
    return Reply(text=title, blocks=note_card(title, note, services.settings.tz, services.today()))
