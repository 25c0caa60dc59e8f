"""The digest's content: what decides it, what it is made of, and how it is put together.

A digest is a message text (the key numbers, searchable and copyable) plus charts. It is
composed from sections, each a small provider that looks at the week and returns its lines and
charts, or nothing when it has nothing to say. The features declare theirs, each at its place
(bot.features: `Feature.digest`), and the services carry them (`Services.features`).

What a section is written against (the spec, the week's data, a section's part) is in
bot.shared.digest_section, so that a feature writes its sections without importing the digest.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy.engine import Engine

from bot.shared.digest_section import Chart, DigestSpec, Section, WeekData, span
from bot.shared.replies import escape


@dataclass(frozen=True)
class Digest:
    spec: DigestSpec
    title: str
    text: str
    charts: tuple[Chart, ...]
    has_data: bool


def digest_title(spec: DigestSpec) -> str:
    return f"Weekly digest · {spec.scope_label} · {span(spec.week)}"


def compose_digest(engine: Engine, spec: DigestSpec, sections: Sequence[Section]) -> Digest:
    """The digest for `spec`: every chosen section's lines and charts, or, for a week without
    figures, a short note and no chart at all."""
    data = WeekData(engine, spec)
    title = digest_title(spec)
    if not data.snapshot.has_data:
        return Digest(spec, title, no_data_note(title, data), (), has_data=False)
    chosen = [s for s in sections if not spec.sections or s.key in spec.sections]
    parts = [part for s in chosen if (part := s.provide(data)) is not None]
    heading = f"*{escape(title)}* (vs {span(data.previous)})"
    texts = [heading, *(p.text for p in parts if p.text), footer(data)]
    charts = tuple(chart for p in parts for chart in p.charts)
    return Digest(spec, title, "\n\n".join(texts), charts, has_data=True)


def no_data_note(title: str, data: WeekData) -> str:
    latest = data.snapshot.data_until
    seen = f"The latest figures are from {latest:%a %d %b %Y}." if latest else "No data yet."
    return (
        f"*{escape(title)}*\nNo data for this week: nothing was imported for {span(data.week)}. "
        f"{seen} Import the week's KPI sheet with `/kpi import`, then `/digest preview`."
    )


def footer(data: WeekData) -> str:
    latest = data.snapshot.data_until
    until = f"Data up to {latest:%a %d %b %Y}" if latest else "No data yet"
    if latest is not None and latest < data.week.end:
        until += f" (the figures after {latest:%a %d %b} are not in yet)"
    return f"_{until} · weeks run Monday to Sunday · `/digest help`_"
