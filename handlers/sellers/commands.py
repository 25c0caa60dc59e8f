"""`/seller`: seller cards, the list, notes about sellers, and gaps and opportunities."""

from __future__ import annotations

from bot.sellers.card import build_card, seller_card
from bot.sellers.export import gaps_workbook
from bot.sellers.form import open_seller_form
from bot.sellers.gaps import seller_gaps
from bot.sellers.history import seller_note_history_reply
from bot.sellers.listing import SORTS, SellerFilters, gaps_reply, listed_sellers, seller_list_reply
from bot.sellers.notes import LOG_PAGE, page_reply, saved_reply
from bot.sellers.parsing import (
    note_and_tags,
    owner_filter,
    parse_filters,
    parse_follow_up,
    parse_note,
    seller_named,
)
from bot.sellers.profile_history import profile_history_reply
from bot.sellers.thresholds import GapThresholds
from bot.services import Services
from bot.shared.carried import MAX_DIGITS
from bot.shared.commands import CommandRequest, SlashCommand, request_key
from bot.shared.direct_messages import upload_to_dm, user_names
from bot.shared.language import _
from bot.shared.numbers import style_of
from bot.shared.pages import asked, page_number, split_page
from bot.shared.replies import Reply, escape, shown
from storage.authored import MAX_NOTE
from storage.errors import Usage, UsageLine, UserError
from storage.note_search import search_words
from storage.sellers import notes as seller_notes
from storage.sellers.models import SellerStatus
from storage.sellers.notes import SellerNoteDraft
from storage.sellers.profiles import STATUSES

SELLER = SlashCommand(
    "/seller",
    "seller profiles: cards, the list, notes, gaps and opportunities",
    fallback="card",
    max_text=MAX_NOTE + 400,  # a whole note, the seller's name, tags and a follow-up
)
CARD_USAGE = Usage("/seller", "card")
LIST_USAGE = Usage("/seller", "list")
GAPS_USAGE = Usage("/seller", "gaps")
MAX_SEARCH = 200


def _filters(
    request: CommandRequest, allowed: tuple[str, ...], usage: UsageLine
) -> tuple[SellerFilters, dict[str, str]]:
    """The filters typed, and the other options (sort, page) as typed."""
    found = parse_filters(request.args, allowed, usage)
    status = found.get("status", "").lower() or None
    if status is not None and status not in (*STATUSES, SellerStatus.INACTIVE):
        raise UserError(
            _("`{typed}` is not a status: say one of {statuses}.").format(
                typed=shown(status), statuses=", ".join(f"`{s}`" for s in STATUSES)
            ),
            [usage],
        )
    owner = found.get("owner")
    filters = SellerFilters(
        category=found.get("category"),
        status=status,
        owner_user_id=owner_filter(owner, request.typed, request.user_id, usage) if owner else None,
    )
    return filters, found


def _page(found: dict[str, str], usage: UsageLine) -> int:
    return page_number(found.get("page", "1"), usage)


@SELLER.subcommand("card")
def card(services: Services, request: CommandRequest) -> Reply:
    """`/seller <name or shop id>`: the seller's card with sales, LIVE activity and contacts

    Store details, 28-day sales with a trend line, LIVE activity, reviews, creators, open gaps,
    the last contact and the next follow-up.
    """
    seller = seller_named(services.engine, request.team_id, request.args, CARD_USAGE)
    today = services.today()
    built = build_card(
        services.engine, request.team_id, seller.id, today, services.settings.section(GapThresholds)
    )
    return seller_card(built, today, style_of(services))


@SELLER.subcommand("list", paged=True)
def seller_list(services: Services, request: CommandRequest) -> Reply:
    """`/seller list [category:…] [status:…] [owner:@someone|me] [sort:gmv|name] [page:N]`:
    the sellers with their GMV of the last 28 days

    Biggest first, or by name with `sort:name`.
    """
    allowed = ("category", "status", "owner", "sort", "page")
    filters, found = _filters(request, allowed, LIST_USAGE)
    sort = found.get("sort", "gmv").lower()
    if sort not in SORTS:
        raise UserError(
            _("Sort by `gmv` or `name`, not `{typed}`.").format(typed=shown(sort)), [LIST_USAGE]
        )
    rows, end = listed_sellers(services.engine, request.team_id, services.today(), filters, sort)
    page = _page(found, LIST_USAGE)
    return seller_list_reply(
        rows, end, filters, page, style_of(services), asked(SELLER.name, request.typed)
    )


@SELLER.subcommand("gaps", paged=True)
def gaps(services: Services, request: CommandRequest) -> Reply:
    """`/seller gaps [category:…] [owner:@someone|me] [page:N]`: sellers with gaps and
    opportunities, most GMV at stake first

    Gaps: data stopped, no LIVE, GMV dropping, programs not joined (or the registry behind
    the data), no affiliates, weak reviews, profile or contact missing; one line per seller
    and fact.
    """
    filters, found = _filters(request, ("category", "owner", "page"), GAPS_USAGE)
    report = seller_gaps(
        services.engine,
        request.team_id,
        services.today(),
        services.settings.section(GapThresholds),
        category=filters.category,
        owner_user_id=filters.owner_user_id,
    )
    page = _page(found, GAPS_USAGE)
    return gaps_reply(report, filters, page, style_of(services), asked(SELLER.name, request.typed))


@SELLER.subcommand("export", slow=True)
def export(services: Services, request: CommandRequest) -> Reply:
    """`/seller export [category:…] [owner:@someone|me]`: the gaps as an Excel workbook, by DM

    The gaps and opportunities of `/seller gaps`, one row each.
    """
    usage = Usage("/seller", "export")
    filters, _others = _filters(request, ("category", "owner"), usage)
    today = services.today()
    report = seller_gaps(
        services.engine,
        request.team_id,
        today,
        services.settings.section(GapThresholds),
        category=filters.category,
        owner_user_id=filters.owner_user_id,
    )
    if not report.rows:
        return Reply(text=_("No open gaps or opportunities, so there is nothing to export."))
    names = user_names(request.slack, {r.owner_user_id for r in report.rows if r.owner_user_id})
    count = style_of(services).count(len(report.rows))
    upload_to_dm(
        request.slack,
        request.user_id,
        gaps_workbook(report.rows, names),
        filename=f"seller-gaps-{today.isoformat()}.xlsx",
        title=_("Seller gaps and opportunities"),
        comment=_("{count} gaps and opportunities, as you asked.").format(count=count),
        effects=request.effects,
    )
    return Reply(text=_("Sent you {count} gaps and opportunities by DM.").format(count=count))


@SELLER.subcommand("note")
def note(services: Services, request: CommandRequest) -> Reply:
    """`/seller note <seller> <text> [#tag …] [follow-up:YYYY-MM-DD]`: record a contact or a
    decision about a seller

    With a follow-up date you get a DM that morning.
    """
    today = services.today()
    typed = parse_note(
        services.engine, request.team_id, request.args, today, services.settings.locale
    )
    saved = seller_notes.save_seller_note(
        services.engine,
        SellerNoteDraft(
            team_id=request.team_id,
            seller_id=typed.seller.id,
            author_user_id=request.user_id,
            text=typed.text,
            tags=typed.tags,
            follow_up_on=typed.follow_up_on,
            client_key=request_key(request.trigger_id),
        ),
        services.clock(),
    )
    return saved_reply(saved, services.settings.tz, today)


@SELLER.subcommand("log", paged=True)
def log(services: Services, request: CommandRequest) -> Reply:
    """`/seller log <seller> [page:N]`: the notes about a seller, newest first"""
    usage = Usage("/seller", "log")
    name, page = split_page(request.args, usage)
    seller = seller_named(services.engine, request.team_id, name, usage)
    found = seller_notes.seller_log(
        services.engine, request.team_id, seller.id, LOG_PAGE, (page - 1) * LOG_PAGE
    )
    tz, today = services.settings.tz, services.today()
    return page_reply(
        _("Notes about {seller}").format(seller=seller.name),
        found,
        tz,
        today,
        with_seller=False,
        asked=asked(SELLER.name, request.typed),
    )


@SELLER.subcommand("search", paged=True)
def search(services: Services, request: CommandRequest) -> Reply:
    """`/seller search <words> [page:N]`: seller notes with all those words, best match first"""
    usage = [Usage("/seller", "search")]
    words, page = split_page(request.args, usage[0])
    if not search_words(words):
        raise UserError(_("Say what to search for, such as `live schedule`."), usage)
    if len(words) > MAX_SEARCH:
        raise UserError(
            _("Search with fewer words (at most {count} characters).").format(count=MAX_SEARCH),
            usage,
        )
    found = seller_notes.search_seller_notes(
        services.engine, request.team_id, words, LOG_PAGE, (page - 1) * LOG_PAGE
    )
    return page_reply(
        _("Seller notes with {words}").format(words=_("“{text}”").format(text=words)),
        found,
        services.settings.tz,
        services.today(),
        with_seller=True,
        asked=asked(SELLER.name, request.typed),
        order=_("best match first"),
    )


def _note_number(text: str, usage: UsageLine) -> tuple[int, str]:
    word, _space, rest = text.strip().partition(" ")
    digits = word.lstrip("#")
    if not (digits.isascii() and digits.isdigit() and len(digits) <= MAX_DIGITS):
        log_usage = escape(SELLER.subcommands["log"].usage)
        raise UserError(
            _("Say which note: its number is in `{usage}`.").format(usage=log_usage), [usage]
        )
    return int(digits), rest.strip()


@SELLER.subcommand("edit")
def edit(services: Services, request: CommandRequest) -> Reply:
    """`/seller edit <note number> <text> [#tag …] [follow-up:YYYY-MM-DD]`: change a seller
    note (its author or an admin)

    The text before is kept.
    """
    usage = Usage("/seller", "edit")
    number, rest = _note_number(request.args, usage)
    today = services.today()
    body, follow_up = parse_follow_up(rest, today, usage, services.settings.locale)
    example = "/seller edit {note} {text}".format(note=number, text=_("agreed to two LIVEs"))
    text, tags = note_and_tags(body, usage, example)
    if follow_up is None:  # not given: the note keeps the follow-up it has
        follow_up = seller_notes.get_seller_note(
            services.engine, request.team_id, number
        ).follow_up_on
    edited = seller_notes.edit_seller_note(
        services.engine,
        request.team_id,
        number,
        text=text,
        tags=tags,
        follow_up_on=follow_up,
        **services.changed_by(request.user_id),
    )
    return saved_reply(edited, services.settings.tz, today)


@SELLER.subcommand("delete")
def delete(services: Services, request: CommandRequest) -> Reply:
    """`/seller delete <note number>`: delete a seller note (its author or an admin)

    An admin can restore it for 30 days.
    """
    number, _rest = _note_number(request.args, Usage("/seller", "delete"))
    gone = seller_notes.delete_seller_note(
        services.engine,
        request.team_id,
        number,
        **services.changed_by(request.user_id),
    )
    return Reply(
        text=_(
            "Deleted seller note {note}. An admin can bring it back for 30 days with "
            "`/seller restore {note}`."
        ).format(note=gone.id)
    )


@SELLER.subcommand("restore")
def restore(services: Services, request: CommandRequest) -> Reply:
    """`/seller restore <note number>`: bring back a deleted seller note (admins, 30 days)"""
    number, _rest = _note_number(request.args, Usage("/seller", "restore"))
    back = seller_notes.restore_seller_note(
        services.engine,
        request.team_id,
        number,
        **services.changed_by(request.user_id),
    )
    return saved_reply(back, services.settings.tz, services.today())


@SELLER.subcommand("add")
def add(services: Services, request: CommandRequest) -> Reply:
    """`/seller add`: add a seller to the registry with a form"""
    open_seller_form(request.slack, request.trigger_id, request.response_url)
    return Reply(text="")


@SELLER.subcommand("history", paged=True)
def history(services: Services, request: CommandRequest) -> Reply:
    """`/seller history <note number> [page:N]`: who changed a seller note, what and when

    Each edit with its author, its time and the text and tags before and after, newest first;
    for anyone who can read the note.
    """
    usage = SELLER.subcommands["history"].usage
    words, page = split_page(request.args, usage)
    number, _rest = _note_number(words, usage)
    listed = asked(SELLER.name, request.typed)
    return seller_note_history_reply(services, request.team_id, number, page, listed)


@SELLER.subcommand("changes", paged=True)
def changes(services: Services, request: CommandRequest) -> Reply:
    """`/seller changes <name or shop id> [page:N]`: who changed a seller's profile, what and
    when

    Who added the seller, then each change from the form or the seller import with who made
    it and each field before and after, newest first; for anyone who can see the card.
    """
    usage = SELLER.subcommands["changes"].usage
    name, page = split_page(request.args, usage)
    seller = seller_named(services.engine, request.team_id, name, usage)
    listed = asked(SELLER.name, request.typed)
    return profile_history_reply(services, request.team_id, seller.id, page, listed)
