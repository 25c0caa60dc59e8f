"""`/seller list` and `/seller gaps`: the rows, filtered, sorted and paged, as messages.

The gaps are shown a seller at a time: its GMV at stake, its owner and its next steps once,
its gaps and opportunities under it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from slack_sdk.models.blocks import SectionBlock
from sqlalchemy.engine import Engine

from bot.sellers.gaps import GapReport, GapRow
from bot.sellers.words import status_text
from bot.shared.days import day_text
from bot.shared.language import _, ngettext
from bot.shared.numbers import NumberStyle
from bot.shared.pages import Asked, on_page, pager
from bot.shared.replies import SECTION_TEXT_LIMIT, Reply, context, escape, header, section
from storage.kpis.reads import Scope, latest_day
from storage.names import same_name
from storage.sellers.profiles import SellerProfile, seller_profiles
from storage.sellers.signals import recent_figures

PAGE_SIZE = 10  # sellers a page: about one phone screen
GAP_SELLERS_PAGE = 4  # sellers a page of gaps shows: about one phone screen
SORTS = ("gmv", "name")


@dataclass(frozen=True)
class SellerFilters:
    category: str | None = None
    status: str | None = None
    owner_user_id: str | None = None

    def keeps(self, seller: SellerProfile) -> bool:
        return (
            (self.category is None or any(same_name(c, self.category) for c in seller.categories))
            and (self.status is None or seller.status == self.status)
            and (self.owner_user_id is None or seller.owner_user_id == self.owner_user_id)
        )

    def words(self) -> str:
        parts = [
            _("category {category}").format(category=escape(self.category))
            if self.category
            else "",
            _("status {status}").format(status=escape(status_text(self.status)))
            if self.status
            else "",
            _("owned by <@{user}>").format(user=self.owner_user_id) if self.owner_user_id else "",
        ]
        return " · ".join(p for p in parts if p)


@dataclass(frozen=True)
class ListedSeller:
    profile: SellerProfile
    gmv_28_cents: int


def listed_sellers(
    engine: Engine, team_id: str, today: date, filters: SellerFilters, sort: str
) -> tuple[list[ListedSeller], date | None]:
    """The workspace's sellers that pass the filters with their GMV of the last 28 days to the
    newest day with figures, biggest first (`gmv`) or by name (`name`)."""
    sellers = [s for s in seller_profiles(engine, team_id) if filters.keeps(s)]
    end = latest_day(engine, Scope(team_id))
    if not sellers:
        return [], end
    figures = recent_figures(engine, team_id, end or today, max(s.number for s in sellers) + 1)
    gmv = figures.gmv_between(27, 0)
    rows = [ListedSeller(s, int(gmv[s.number])) for s in sellers]
    if sort == "gmv":
        rows.sort(key=lambda r: (-r.gmv_28_cents, r.profile.name.casefold()))
    return rows, end


def line_sections(lines: list[str]) -> list[SectionBlock]:
    """The lines in as few sections as Slack's per-section limit allows."""
    sections: list[SectionBlock] = []
    chunk: list[str] = []
    for line in lines:
        if chunk and len("\n".join([*chunk, line])) > SECTION_TEXT_LIMIT - 100:
            sections.append(section("\n".join(chunk)))
            chunk = []
        chunk.append(line)
    if chunk:
        sections.append(section("\n".join(chunk)))
    return sections


def seller_list_reply(
    rows: list[ListedSeller],
    end: date | None,
    filters: SellerFilters,
    page: int,
    style: NumberStyle,
    asked: Asked,
) -> Reply:
    if not rows:
        return Reply(
            text=_("No sellers match.") + (f" ({filters.words()})" if filters.words() else "")
        )
    shown, pages = on_page(rows, page, PAGE_SIZE)
    lines = [
        f"• *{escape(r.profile.name)}* · {escape(r.profile.category)} · "
        f"{status_text(r.profile.status).lower()} · "
        + (f"<@{r.profile.owner_user_id}>" if r.profile.owner_user_id else _("no owner"))
        + f" · {style.money(r.gmv_28_cents)}"
        for r in shown
    ]
    until = (
        _("GMV of the 28 days to {day}").format(day=day_text(end)) if end else _("no figures yet")
    )
    count = ngettext("{count} seller", "{count} sellers", len(rows)).format(
        count=style.count(len(rows))
    )
    notes = [count, until, filters.words()]
    return Reply(
        text=count,
        blocks=[
            header(_("Sellers")),
            *line_sections(lines),
            context(" · ".join(n for n in notes if n)),
            *pager(asked, page, more=page < pages, pages=pages),
        ],
    )


def by_seller(rows: list[GapRow]) -> list[list[GapRow]]:
    """The rows a seller at a time, in the order their first row comes (biggest at stake
    first); a seller's own rows keep their order."""
    groups: dict[int, list[GapRow]] = {}
    for row in rows:
        groups.setdefault(row.seller.id, []).append(row)
    return list(groups.values())


def seller_gaps_text(rows: list[GapRow], style: NumberStyle) -> str:
    """One seller's gaps: its name and GMV at stake once, a short line per gap or opportunity,
    then its owner with the next steps once (a step two gaps share is said once)."""
    first = rows[0]
    owner = f"<@{first.owner_user_id}>" if first.owner_user_id else _("no owner")
    at_stake = _("{money} at stake").format(money=style.money(first.gmv_at_stake_cents))
    lines = [f"*{escape(first.seller.name)}* · {at_stake}"]
    lines += [
        f"{'💡' if r.kind.opportunity else '⚠️'} {r.kind.text}: {escape(r.evidence)}" for r in rows
    ]
    steps = dict.fromkeys(r.kind.step_in_sentence() for r in rows)
    lines.append(f"→ {owner}: " + "; ".join(steps))
    return "\n".join(lines)


def gaps_reply(
    report: GapReport, filters: SellerFilters, page: int, style: NumberStyle, asked: Asked
) -> Reply:
    rows = report.rows
    if not rows:
        scope = f" ({filters.words()})" if filters.words() else ""
        return Reply(text=_("No open gaps or opportunities{scope}. :tada:").format(scope=scope))
    sellers = by_seller(rows)
    shown, pages = on_page(sellers, page, GAP_SELLERS_PAGE)
    opportunities = sum(r.kind.opportunity for r in rows)
    gaps = len(rows) - opportunities
    until = (
        _("figures to {day}").format(day=day_text(report.figures_until))
        if report.figures_until
        else ""
    )
    counted = _("{sellers}: {gaps}, {opportunities}").format(
        sellers=ngettext("{count} seller", "{count} sellers", len(sellers)).format(
            count=style.count(len(sellers))
        ),
        gaps=ngettext("{count} gap", "{count} gaps", gaps).format(count=style.count(gaps)),
        opportunities=ngettext(
            "{count} opportunity", "{count} opportunities", opportunities
        ).format(count=style.count(opportunities)),
    )
    notes = [
        counted,
        _("biggest at stake first"),
        until,
        filters.words(),
        _("Excel: `/seller export`"),
    ]
    summary = _("{count} seller gaps and opportunities at {sellers}")
    return Reply(
        text=summary.format(
            count=style.count(len(rows)),
            sellers=ngettext("{count} seller", "{count} sellers", len(sellers)).format(
                count=style.count(len(sellers))
            ),
        ),
        blocks=[
            header(_("Seller gaps and opportunities")),
            *(section(seller_gaps_text(group, style)) for group in shown),
            context(" · ".join(n for n in notes if n)),
            *pager(asked, page, more=page < pages, pages=pages),
        ],
    )
