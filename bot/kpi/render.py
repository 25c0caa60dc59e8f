"""The `/kpi` answer as Block Kit, and `/kpi help` with the definitions."""

from __future__ import annotations

from collections.abc import Sequence

from slack_sdk.models.blocks import Block, MarkdownTextObject, SectionBlock

from bot.kpi.usage import Argument, arguments_in
from bot.shared.days import weekday_abbreviation, weekday_day
from bot.shared.kpis.definitions import HEADLINE, KPIS
from bot.shared.kpis.engine import TRAILING_DAYS, CategoryLine, Figure, SellerLine, Snapshot
from bot.shared.language import N_, _, ngettext
from bot.shared.numbers import MISSING, NumberStyle
from bot.shared.periods import DEFAULT_LOCALE
from bot.shared.replies import Reply, context, divider, escape, header, section
from bot.shared.sources import SELLER_DAYS

FIELDS_PER_SECTION = 10
BARE_WORDS = N_(
    "A category, a seller or a metric can also be named without its prefix when the name is "
    "exact: `/kpi kitchenware`, `/kpi gmv last week`."
)


def figure_field(
    figure: Figure, style: NumberStyle, weekday: str, with_trailing: bool
) -> MarkdownTextObject:
    kpi = figure.kpi
    lines = [f"*{kpi.name}*  {style.value(kpi, figure.value)}"]
    comparisons = [
        _("{change} vs previous").format(change=style.kpi_change(kpi, figure.vs_previous))
    ]
    if weekday:
        change = style.kpi_change(kpi, figure.vs_last_week)
        comparisons.append(_("{change} vs last {weekday}").format(change=change, weekday=weekday))
    if with_trailing:
        change = style.kpi_change(kpi, figure.vs_trailing)
        comparisons.append(_("{change} vs 7-day avg").format(change=change))
    lines += comparisons
    return MarkdownTextObject(text="\n".join(lines))


def seller_line(line: SellerLine, style: NumberStyle, *, with_change: bool) -> str:
    """`• Name: $1,234.00 · 12 orders`, or with the change: `• Name: 🟢 ▲ +$200.00 (now …)`."""
    name = escape(line.name)
    if with_change:
        sign = "+" if line.change_cents > 0 else "−"
        arrow = "🟢 ▲" if line.change_cents > 0 else "🔴 ▼"
        moved = f"{sign}{style.money(abs(line.change_cents))}"
        now = _("(now {gmv})").format(gmv=style.money(line.gmv_cents))
        return f"• {name}: {arrow} {moved} {now}"
    orders = ngettext("{count} order", "{count} orders", line.orders).format(
        count=style.count(line.orders)
    )
    return f"• {name}: {style.money(line.gmv_cents)} · {orders}"


def category_line(line: CategoryLine, style: NumberStyle) -> str:
    """`• Home & Living: $1,234.00 (45.0%) 🟢 ▲ 3.1%`: GMV, share, vs previous."""
    return (
        f"• {escape(line.category)}: {style.money(line.gmv_cents)} ({style.rate(line.share)}) "
        f"{style.change(line.vs_previous)}"
    )


def compared_days(shown_now: str, shown_before: str, compared: bool) -> str:
    """`23–29 Nov against 16–22 Nov`, or that the days before have no data: a subtitle's end."""
    if compared:
        return _("{days} against {before}").format(days=shown_now, before=shown_before)
    return _("{days} · no data for {before} to compare").format(days=shown_now, before=shown_before)


def freshness(snapshot: Snapshot, note: str = "") -> str:
    until = (
        _("Data up to {day}").format(day=weekday_day(snapshot.data_until))
        if snapshot.data_until
        else _("No data imported yet")
    )
    return f"{note} {until}.".strip()


def snapshot_title(snapshot: Snapshot) -> str:
    """`KPIs · Home & Living · last week (23 Nov – 29 Nov 2026)`, as plain text."""
    return _("KPIs · {scope} · {period}").format(
        scope=snapshot.scope_label, period=snapshot.period.describe()
    )


def render_snapshot(snapshot: Snapshot, style: NumberStyle, note: str = "") -> Reply:
    blocks: list[Block] = [header(snapshot_title(snapshot))]
    if not snapshot.has_data:
        text = _("No figures for {period} in {scope}.").format(
            period=snapshot.period.describe(), scope=escape(snapshot.scope_label)
        )
        blocks += [section(text), context(freshness(snapshot, note))]
        return Reply(text=f"{text} {freshness(snapshot, note)}", blocks=blocks)
    blocks.append(context(" ".join([freshness(snapshot, note), *map(escape, snapshot.notes)])))
    blocks.append(context(_(SELLER_DAYS)))
    weekday = weekday_abbreviation(snapshot.period.start) if snapshot.period.is_day else ""
    short = snapshot.period.days < TRAILING_DAYS  # a week or longer has no 7-day average
    fields = [figure_field(f, style, weekday, short) for f in snapshot.shown]
    for start in range(0, len(fields), FIELDS_PER_SECTION):
        blocks.append(SectionBlock(fields=fields[start : start + FIELDS_PER_SECTION]))
    if snapshot.categories and len(snapshot.categories) > 1:
        lines = [category_line(c, style) for c in snapshot.categories[:10]]
        blocks += [
            divider(),
            section(_("*Categories* (GMV, share, vs previous)") + "\n" + "\n".join(lines)),
        ]
    if snapshot.top_sellers:
        lines = [seller_line(s, style, with_change=False) for s in snapshot.top_sellers]
        blocks += [divider(), section(_("*Top sellers*") + "\n" + "\n".join(lines))]
    if snapshot.movers:
        lines = [seller_line(s, style, with_change=True) for s in snapshot.movers]
        movers = _("*Biggest movers* (GMV vs previous period)")
        blocks.append(section(movers + "\n" + "\n".join(lines)))
    return Reply(text=snapshot_text(snapshot, style, note), blocks=blocks)


def snapshot_text(snapshot: Snapshot, style: NumberStyle, note: str = "") -> str:
    """The key numbers as the message's text (mrkdwn, the scope escaped): the notification and
    what search and copy see."""
    parts = [f"{f.kpi.name} {style.value(f.kpi, f.value)}" for f in snapshot.shown[:6]]
    return (
        f"{escape(snapshot_title(snapshot))}: "
        + ", ".join(parts)
        + (f". {freshness(snapshot, note)}")
    )


def _usage_section(usages: Sequence[str], arguments: Sequence[Argument]) -> SectionBlock:
    return section(
        "\n".join([*(f"• `{escape(u)}`" for u in usages), *(a.help() for a in arguments)])
    )


def render_definitions(usages: Sequence[str], locale: str = DEFAULT_LOCALE) -> Reply:
    """`/kpi help`: the usage lines, what their placeholders can be (an example of every shape
    of period), and every KPI's definition."""
    arguments = arguments_in(usages, locale)
    ours = " " + _("(_ours_)")
    lines = [f"• *{kpi.name}*: {kpi.explained}{ours if kpi.ours else ''}" for kpi in KPIS]
    comparisons = _(
        "Each figure is compared like with like: with the previous period of the same length "
        "(a week or month to date with the same days of the week or month before), with the "
        "same weekday last week (for a single day) and, for periods shorter than a week, with "
        "the 7 days before (sums per day with data; rates and ratios as the mean of their "
        "daily values). Rates change in percentage points (pt), everything else in percent. "
        "Today, this week and this month end at the latest day with data. Days far outside "
        "their weekday's usual GMV are named under the header. "
        "{missing} means there is nothing to compare with or the rate would divide by zero. "
        "🟢/🔴 say whether the change is good."
    ).format(missing=MISSING)
    headline = ", ".join(kpi.name for kpi in HEADLINE)
    answer = _(
        "`/kpi` answers with the headline: {headline}, each with one comparison (a day with "
        "the same day last week, a longer period with the one before it), the unusual days "
        "and the top category or seller. *Details* under it, or `full` after the period "
        "(`/kpi today full`), shows every figure with every comparison, the categories, top "
        "sellers and biggest movers."
    ).format(headline=headline)
    blocks: list[Block] = [
        header(_("/kpi — KPI snapshots")),
        _usage_section(usages, arguments),
        context(_(BARE_WORDS)),
        context(answer),
        divider(),
        section(_("*Definitions*") + "\n" + "\n".join(lines)),
        context(comparisons),
    ]
    text = escape(_("/kpi usage: ") + "; ".join([*usages, *(a.usage for a in arguments)]))
    return Reply(text=text, blocks=blocks)


def render_chart_help(usage: str, locale: str = DEFAULT_LOCALE) -> Reply:
    """`/kpi chart help`: the chart's usage, its metrics and its periods."""
    arguments = arguments_in([usage], locale)
    blocks: list[Block] = [
        header(_("/kpi chart — a KPI per day")),
        _usage_section([usage], arguments),
        context(
            _(
                "One day charts the 30 days that end with it; the previous period of the same "
                "length is drawn beside it."
            )
            + " "
            + _(BARE_WORDS)
        ),
    ]
    shown = "; ".join([usage, *(a.usage for a in arguments)])
    text = escape(_("/kpi chart usage: ") + shown)
    return Reply(text=text, blocks=blocks)
