"""`/review`: livestream reviews: the form, lists, cards, changes, the report and the export."""

from __future__ import annotations

from bot.review import monthly, service
from bot.review.cards import ReviewListing
from bot.review.export import reviews_workbook
from bot.review.form import ReviewPrefill, check_host, open_review_form
from bot.review.history import review_history_reply
from bot.review.parsing import parse_report_request
from bot.review.report import build_review_report, report_post
from bot.services import Services
from bot.shared.arguments import parse_count
from bot.shared.commands import CommandRequest, SlashCommand
from bot.shared.direct_messages import upload_to_dm, user_names
from bot.shared.effects import upload_once
from bot.shared.forms import FormState
from bot.shared.language import _, ngettext
from bot.shared.names import resolve_seller
from bot.shared.numbers import style_of
from bot.shared.pages import asked, split_page
from bot.shared.replies import Reply, escape
from bot.shared.report_periods import parse_since
from handlers.answers import viewer_of
from storage.errors import Usage, UsageLine, UserError, usage_on_error
from storage.reviews import records as store

REVIEW = SlashCommand(
    "/review",
    "livestream reviews: the scorecard form, lists, cards, reports and Excel export",
    default="new",
    fallback="new",  # `/review Casa Bonita`: the form for that seller's stream
)


def _review_number(text: str, usage: UsageLine) -> int:
    if not text.strip():
        raise UserError(_("Say which review: its number is in `/review list`."), [usage])
    return parse_count(text, 0, 2**31 - 1, usage)


@REVIEW.subcommand("new")
def open_form(services: Services, request: CommandRequest) -> Reply:
    """`/review [seller]`: open the review form

    The form asks for the seller, host, stream, the ten scores and notes.

    The scores are 1–5, each with what a 1, a 3 and a 5 look like. Improvement tags come from
    a fixed list (#hook, #lighting, #audio, #pricing, #cta, #pacing, #comments, #demo,
    #promotion, #compliance) plus any of your own. Figures left empty are filled in from the
    LIVE sessions export imported for that seller and start time. The message shortcut
    **Save as livestream review** opens the form with a message's text and a link to it.
    """
    engine, team_id = services.engine, request.team_id
    with usage_on_error(Usage("/review", "new"), "/review help"):
        seller = resolve_seller(engine, team_id, request.args) if request.args else None
    state = FormState(response_url=request.response_url)
    open_review_form(request.slack, state, request.trigger_id, ReviewPrefill(seller=seller))
    return Reply(text="")


@REVIEW.subcommand("list", paged=True)
def list_reviews(services: Services, request: CommandRequest) -> Reply:
    """`/review list [seller|@host] [n] [page:N]`: reviews, newest stream first"""
    usage = Usage("/review", "list")
    words, page = split_page(request.args, usage)
    named, total = service.list_words(services, request.team_id, words, usage)
    if not named:
        listing = ReviewListing(_("of the team"), total=total)
    elif named.startswith("@"):
        with usage_on_error(usage):
            check_host(services.engine, request.team_id, named)  # close matches when unknown
        listing = ReviewListing(_("of {name}").format(name=named), host=named[1:], total=total)
    else:
        seller = resolve_seller(services.engine, request.team_id, named)
        listing = ReviewListing(
            _("of {name}").format(name=seller.name), seller_id=seller.id, total=total
        )
    return service.page(
        services, viewer_of(request), listing, page, asked(REVIEW.name, request.typed)
    )


@REVIEW.subcommand("show")
def show(services: Services, request: CommandRequest) -> Reply:
    """`/review show <n>`: a review's card with its figures and weakest metrics

    The scores as bars with the total; the stream's figures beside the seller's own average
    LIVE session and the category's; and the three LIVE metrics furthest below the category's
    average stream (as TikTok's LIVE dashboard points at a stream's worst metrics).
    """
    number = _review_number(request.args, Usage("/review", "show"))
    return service.card(services, store.get_live_review(services.engine, request.team_id, number))


@REVIEW.subcommand("edit")
def edit(services: Services, request: CommandRequest) -> Reply:
    """`/review edit <n>`: change a review (its reviewer or an admin)

    Earlier versions are kept.
    """
    number = _review_number(request.args, Usage("/review", "edit"))
    service.open_editor(
        services,
        request.slack,
        request.trigger_id,
        viewer_of(request),
        number,
        response_url=request.response_url,
    )
    return Reply(text="")


@REVIEW.subcommand("delete")
def delete(services: Services, request: CommandRequest) -> Reply:
    """`/review delete <n>`: delete a review (restorable for 30 days)

    Its reviewer or an admin may delete it.
    """
    number = _review_number(request.args, Usage("/review", "delete"))
    return service.delete(services, viewer_of(request), number)


@REVIEW.subcommand("deleted", paged=True)
def deleted(services: Services, request: CommandRequest) -> Reply:
    """`/review deleted [page:N]`: reviews deleted in the last 30 days, to restore (admins)"""
    _words, page = split_page(request.args, Usage("/review", "deleted"))
    return service.deleted(services, viewer_of(request), page, asked(REVIEW.name, request.typed))


@REVIEW.subcommand("restore")
def restore(services: Services, request: CommandRequest) -> Reply:
    """`/review restore <n>`: bring back a deleted review (admins, within 30 days)"""
    number = _review_number(request.args, Usage("/review", "restore"))
    return service.restore(services, viewer_of(request), number)


@REVIEW.subcommand("report", slow=True)
def report(services: Services, request: CommandRequest) -> Reply:
    """`/review report [week|month] [category:<name>] [seller:<name>]`: post the review report here

    Streams reviewed and by whom; each criterion's average against the period before, with a
    chart; the best and weakest streams; the most frequent improvement tags and their trend;
    best-practice moments; and the average GPM of streams scoring 4–5 on a criterion against
    those scoring 1–2 (when each group has 5 streams with figures). week: the calendar week and
    month: the calendar month, to yesterday, as `/kpi` counts them; 7d, 30d: the days that end
    yesterday; any period of `/kpi` works too (`last month`, `nov`). It states its dates.
    """
    asked = parse_report_request(
        services.engine, request.team_id, request.args, services.today(), services.settings.locale
    )
    post = report_post(
        build_review_report(
            services.engine, request.team_id, asked.period, asked.which, asked.scope
        ),
        style_of(services),
    )
    if post.chart_png is None:
        return Reply(
            text=_(
                "No reviews of {scope}'s streams in {period}, so there is nothing to report yet."
            ).format(scope=escape(asked.scope), period=asked.period.label())
        )
    upload_once(
        request.effects,
        request.slack,
        "report chart",
        channel=request.channel_id,
        content=post.chart_png,
        filename=f"review-scores-{asked.period.end.isoformat()}.png",
        title=post.chart_title,
    )
    return Reply(text=post.text, blocks=post.blocks, in_channel=True)


@REVIEW.subcommand("export", slow=True)
def export(services: Services, request: CommandRequest) -> Reply:
    """`/review export [since]`: the reviews as an Excel workbook, sent to you by DM

    One row per stream, one column per criterion, with the figures; the file imports back
    (`shopbot import FILE --kind reviews`). since: a stream day such as 2026-11-01, 30d, or
    any period of `/kpi` (`last month`, `nov`); all reviews when left out.
    """
    today, tz = services.today(), services.settings.tz
    since = parse_since(request.args, today, Usage("/review", "export"), services.settings.locale)
    found = store.reviews_in(services.engine, request.team_id, store.ReviewFilter(first=since))
    if not found:
        empty = (
            _("No reviews of streams since {day}, so there is nothing to export.")
            if since
            else _("No reviews, so there is nothing to export.")
        )
        return Reply(text=empty.format(day=since.isoformat() if since else ""))
    style, count = style_of(services), len(found)
    values = {"count": style.count(count), "day": since.isoformat() if since else ""}
    names = user_names(request.slack, {r.reviewer_user_id for r in found})
    upload_to_dm(
        request.slack,
        request.user_id,
        reviews_workbook(found, tz, names),
        filename=f"livestream-reviews-{today.isoformat()}.xlsx",
        title=(
            _("Livestream reviews of streams since {day}") if since else _("Livestream reviews")
        ).format(**values),
        comment=(
            ngettext(
                "{count} review of streams since {day}, as you asked.",
                "{count} reviews of streams since {day}, as you asked.",
                count,
            )
            if since
            else ngettext("{count} review, as you asked.", "{count} reviews, as you asked.", count)
        ).format(**values),
        effects=request.effects,
    )
    sent = (
        ngettext(
            "Sent you {count} review of streams since {day} as an Excel workbook by DM.",
            "Sent you {count} reviews of streams since {day} as an Excel workbook by DM.",
            count,
        )
        if since
        else ngettext(
            "Sent you {count} review as an Excel workbook by DM.",
            "Sent you {count} reviews as an Excel workbook by DM.",
            count,
        )
    )
    return Reply(text=sent.format(**values))


@REVIEW.subcommand("subscribe")
def subscribe(services: Services, request: CommandRequest) -> Reply:
    """`/review subscribe [#channel] [09:00] [zone] [category:<name>] [lang:de]`: post the
    monthly review report in a channel

    Posted in the channel (default: this one) on the 1st of each month at the time given
    (default 09:00, the team's time zone): the report on the calendar month before, against
    the month before it, with its chart; once per month, also with several replicas.
    """
    return monthly.subscribe(services, request)


@REVIEW.subcommand("unsubscribe")
def unsubscribe(services: Services, request: CommandRequest) -> Reply:
    """`/review unsubscribe [#channel]`: stop a channel's monthly review report"""
    return monthly.unsubscribe(services, request)


@REVIEW.subcommand("history", paged=True)
def history(services: Services, request: CommandRequest) -> Reply:
    """`/review history <n> [page:N]`: who changed a review, what and when

    Each edit with its author, its time and every field it changed (scores, notes, figures,
    the stream) before and after, newest first; for anyone who can read the review.
    """
    usage = REVIEW.subcommands["history"].usage
    words, page = split_page(request.args, usage)
    number = _review_number(words, usage)
    listed = asked(REVIEW.name, request.typed)
    return review_history_reply(services, request.team_id, number, page, listed)
