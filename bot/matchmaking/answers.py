"""`/match`'s answers: what the words name (a seller or a creator, how many, which content,
`all`), the ranking, and its rendering."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from bot.matchmaking.history import pair_history_reply
from bot.matchmaking.pipeline import pipeline_reply
from bot.matchmaking.ranking import creators_for_seller, sellers_for_creator
from bot.matchmaking.render import match_reply
from bot.matchmaking.score import MatchSettings
from bot.services import Services
from bot.shared.commands import CommandRequest
from bot.shared.handles import parse_handle
from bot.shared.language import _
from bot.shared.names import suggestions
from bot.shared.numbers import style_of
from bot.shared.pages import asked, split_page
from bot.shared.replies import Reply, escape, shown
from storage.creators.registry import find_creator, registry_handles
from storage.errors import Usage, UsageLine, UserError
from storage.matchmaking.outreach import PairNotFound, PipelineItem, pipeline_items
from storage.sellers.registry import SellerRef, find_seller, list_sellers

DEFAULT_ROWS, MAX_ROWS = 5, 20
MATCH_USAGE = Usage("/match", "for")
CONTENT = {"live": "live", "video": "video", "videos": "video"}


@dataclass(frozen=True)
class MatchAsk:
    """What `/match` was asked: the words that name a seller or creator, and the options."""

    subject: str
    n: int = DEFAULT_ROWS
    content: str | None = None
    everyone: bool = False


def _option(word: str) -> str | None:
    lowered = word.casefold()
    if lowered in CONTENT or lowered == "all" or lowered.lstrip("-+").isdigit():
        return lowered
    return None


def parse_ask(words: list[str], usage: UsageLine) -> MatchAsk:
    """Options are read from the end (`… 10 live all`, any order); the rest names the seller
    or creator. UserError for a count outside 1–20."""
    n, content, everyone = DEFAULT_ROWS, None, False
    rest = list(words)
    while len(rest) > 1 and (option := _option(rest[-1])) is not None:
        rest.pop()
        if option == "all":
            everyone = True
        elif option in CONTENT:
            content = CONTENT[option]
        else:
            n = int(option)
            if not 1 <= n <= MAX_ROWS:
                raise UserError(
                    _("`{typed}` is not a number of rows I can show: say 1 to {most}.").format(
                        typed=shown(option), most=MAX_ROWS
                    ),
                    [usage],
                )
    return MatchAsk(" ".join(rest), n, content, everyone)


def _seller(services: Services, team_id: str, words: list[str]) -> tuple[SellerRef, MatchAsk]:
    """The seller the words name, whole or without trailing options; close matches if none."""
    whole = find_seller(services.engine, team_id, " ".join(words))
    if whole is not None:
        return whole, MatchAsk(" ".join(words))
    ask = parse_ask(words, MATCH_USAGE)
    seller = find_seller(services.engine, team_id, ask.subject)
    if seller is None:
        raise _unknown_seller(services, team_id, ask.subject, MATCH_USAGE)
    return seller, ask


def _unknown_seller(services: Services, team_id: str, typed: str, usage: UsageLine) -> UserError:
    names = [s.name for s in list_sellers(services.engine, team_id)]
    close = suggestions(names, typed)
    hint = _did_you_mean(f"`{shown(m, 80)}`" for m in close)
    return UserError(
        _("I don't know the seller `{typed}`.").format(typed=shown(typed, 60)) + hint, [usage]
    )


def _did_you_mean(names: Iterable[str]) -> str:
    """` Did you mean `a`, `b`?`, or '' without any."""
    listed = ", ".join(names)
    return " " + _("Did you mean {names}?").format(names=listed) if listed else ""


def _unknown_creator(services: Services, team_id: str, handle: str, usage: UsageLine) -> UserError:
    close = suggestions(registry_handles(services.engine, team_id), handle)
    hint = _did_you_mean(f"`@{m}`" for m in close)
    return UserError(
        _("`@{handle}` is not in the registry.").format(handle=shown(handle)) + hint,
        [usage, f"/creator add @{handle}"],
    )


def match_answer(services: Services, request: CommandRequest) -> Reply:
    """Creators for a seller, or (for `@handle`) sellers for a creator."""
    words = request.args.split()
    if not words:
        raise UserError(_("Say which seller or creator to match."), [MATCH_USAGE])
    settings = services.settings
    style = style_of(services)
    today = services.today()
    if words[0].startswith("@") or request.typed.user_id(words[0]):
        handle = parse_handle(words[0], MATCH_USAGE, request.typed)
        ask = parse_ask(["@" + handle, *words[1:]], MATCH_USAGE)
        if ask.subject != "@" + handle:
            raise UserError(
                _("After the handle, say how many and `all`; `{typed}` is not one.").format(
                    typed=shown(ask.subject)
                ),
                [MATCH_USAGE],
            )
        if ask.content is not None:
            raise UserError(_("`live` and `video` choose creators for a seller."), [MATCH_USAGE])
        creator = find_creator(services.engine, request.team_id, handle)
        if creator is None or creator.id is None:
            raise _unknown_creator(services, request.team_id, handle, MATCH_USAGE)
        result = sellers_for_creator(
            services.engine,
            request.team_id,
            creator.id,
            n=ask.n,
            everyone=ask.everyone,
            weights=settings.section(MatchSettings).weights,
            money=style.money,
            today=today,
        )
        title = _("Sellers for @{handle}").format(handle=creator.handle)
        return match_reply(title, result, "seller", None)
    seller, ask = _seller(services, request.team_id, words)
    result = creators_for_seller(
        services.engine,
        request.team_id,
        seller.id,
        n=ask.n,
        content=ask.content,
        everyone=ask.everyone,
        weights=settings.section(MatchSettings).weights,
        money=style.money,
        today=today,
    )
    title = _("Creators for {seller}").format(seller=seller.name)
    return match_reply(title, result, "creator", ask.content)


PIPELINE_USAGE = Usage("/match", "pipeline")


def pipeline_answer(services: Services, request: CommandRequest) -> Reply:
    """The team's pipeline, or one person's (`mine`), creator's (`@handle`) or seller's."""
    words, page = split_page(request.args, PIPELINE_USAGE)
    title, items = _pipeline(services, request, words)
    return pipeline_reply(
        title, items, services.today(), page, asked("/match", request.typed), services.commands
    )


def _pipeline(
    services: Services, request: CommandRequest, words: str
) -> tuple[str, list[PipelineItem]]:
    """The title and the pairs of the pipeline the words name."""
    engine, team_id = services.engine, request.team_id
    if not words:
        return _("Outreach pipeline"), pipeline_items(engine, team_id)
    if words.casefold() == "mine":
        return _("Your outreach pipeline"), pipeline_items(
            engine, team_id, owner_user_id=request.user_id
        )
    if words.startswith("@") or request.typed.user_id(words.split()[0]):
        handle = parse_handle(words.split()[0], PIPELINE_USAGE, request.typed)
        creator = find_creator(engine, team_id, handle)
        if creator is None or creator.id is None:
            raise _unknown_creator(services, team_id, handle, PIPELINE_USAGE)
        items = pipeline_items(engine, team_id, creator_id=creator.id)
        return _("Outreach pipeline · @{handle}").format(handle=creator.handle), items
    seller = find_seller(engine, team_id, words)
    if seller is None:
        raise _unknown_seller(services, team_id, words, PIPELINE_USAGE)
    return _("Outreach pipeline · {seller}").format(seller=seller.name), pipeline_items(
        engine, team_id, seller_id=seller.id
    )


def history_answer(services: Services, request: CommandRequest, usage: str) -> Reply:
    """The history of the pair of the creator and the seller the words name."""
    words, page = split_page(request.args, usage)
    first, _space, rest = words.partition(" ")
    if not first or not rest.strip():
        raise UserError(_("Say which pair: the creator's handle, then the seller."), [usage])
    handle = parse_handle(first, usage, request.typed)
    engine, team_id = services.engine, request.team_id
    creator = find_creator(engine, team_id, handle)
    if creator is None or creator.id is None:
        raise _unknown_creator(services, team_id, handle, usage)
    seller = find_seller(engine, team_id, rest)
    if seller is None:
        raise _unknown_seller(services, team_id, rest.strip(), usage)
    listed = asked("/match", request.typed)
    try:
        return pair_history_reply(services, team_id, creator.id, seller.id, page, listed)
    except PairNotFound:
        raise UserError(
            _("@{handle} and {seller} are not in the pipeline together.").format(
                handle=creator.handle, seller=escape(seller.name)
            ),
            [f"/match pipeline @{creator.handle}", usage],
        ) from None
