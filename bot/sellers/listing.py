"""`/seller list` and `/seller gaps`: the rows, filtered, sorted and paged, as messages."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from slack_sdk.models.blocks import SectionBlock
from sqlalchemy.engine import Engine

from bot.feedback.cards import day_text
from bot.kpi.format import NumberStyle
from bot.replies import SECTION_TEXT_LIMIT, Reply, context, escape, header, section
from bot.sellers.gaps import GapReport, GapRow
from storage.errors import UserError
from storage.kpis.reads import Scope, latest_day
from storage.names import same_name
from storage.seller_profiles import SellerProfile, seller_profiles
from storage.seller_signals import recent_figures

PAGE_SIZE = 15
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
            f"category {self.category}" if self.category else "",
            f"status {self.status}" if self.status else "",
            f"owned by <@{self.owner_user_id}>" if self.owner_user_id else "",
        ]
        return " · ".join(escape(p) if not p.startswith("owned") else p for p in parts if p)


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


def page_of(rows: Sequence[object], page: int) -> tuple[int, int]:
    """(first index, number of pages) of the 1-based `page`; UserError past the last one."""
    pages = max(1, -(-len(rows) // PAGE_SIZE))
    if page > pages:
        raise UserError(f"There {'is' if pages == 1 else 'are'} only {pages} page(s).")
    return (page - 1) * PAGE_SIZE, pages


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


def _pager(page: int, pages: int, command: str) -> str:
    if pages == 1:
        return ""
    after = f" · next: `{command} page:{page + 1}`" if page < pages else ""
    return f"Page {page} of {pages}{after}"


def seller_list_reply(
    rows: list[ListedSeller],
    end: date | None,
    filters: SellerFilters,
    page: int,
    style: NumberStyle,
    command: str,
) -> Reply:
    if not rows:
        return Reply(
            text="No sellers match." + (f" ({filters.words()})" if filters.words() else "")
        )
    start, pages = page_of(rows, page)
    lines = [
        f"• *{escape(r.profile.name)}* · {escape(r.profile.category)} · {r.profile.status} · "
        + (f"<@{r.profile.owner_user_id}>" if r.profile.owner_user_id else "no owner")
        + f" · {style.money(r.gmv_28_cents)}"
        for r in rows[start : start + PAGE_SIZE]
    ]
    until = f"GMV of the 28 days to {day_text(end)}" if end else "no figures yet"
    notes = [f"{len(rows):,} sellers", until, filters.words(), _pager(page, pages, command)]
    return Reply(
        text=f"{len(rows):,} sellers",
        blocks=[
            header("Sellers"),
            *line_sections(lines),
            context(" · ".join(n for n in notes if n)),
        ],
    )


def gap_line(row: GapRow, style: NumberStyle) -> str:
    mark = "💡" if row.kind.opportunity else "⚠️"
    owner = f"<@{row.owner_user_id}>" if row.owner_user_id else "no owner"
    return (
        f"{mark} *{escape(row.seller.name)}* · {row.kind.label}: {escape(row.evidence)} · "
        f"{style.money(row.gmv_at_stake_cents)} at stake · {owner}\n      → {row.kind.next_step}"
    )


def gaps_reply(
    report: GapReport, filters: SellerFilters, page: int, style: NumberStyle, command: str
) -> Reply:
    rows = report.rows
    if not rows:
        scope = f" ({filters.words()})" if filters.words() else ""
        return Reply(text=f"No open gaps or opportunities{scope}. :tada:")
    start, pages = page_of(rows, page)
    lines = [gap_line(r, style) for r in rows[start : start + PAGE_SIZE]]
    opportunities = sum(r.kind.opportunity for r in rows)
    until = f"figures to {day_text(report.figures_until)}" if report.figures_until else ""
    notes = [
        f"{len(rows) - opportunities:,} gaps, {opportunities:,} opportunities",
        "biggest GMV at stake (last 28 days) first",
        until,
        filters.words(),
        _pager(page, pages, command),
        "Excel: `/seller export`",
    ]
    return Reply(
        text=f"{len(rows):,} seller gaps and opportunities",
        blocks=[
            header("Seller gaps and opportunities"),
            *line_sections(lines),
            context(" · ".join(n for n in notes if n)),
        ],
    )
