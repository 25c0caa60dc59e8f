"""Checking the alert rules: after every import that completes a day, and every half hour for
data that came late. The database decides what is posted.

One check, per scope (the figures are read once for every rule on the same scope):
1. the scope's latest complete day (bot.shared.kpis.completeness); nothing is judged on a day
   whose data is not all in, nor on today;
2. each rule that is not muted judges that day; a breached rule fires when its episode has
   not spoken yet or has worsened by a further step (bot.alerts.episodes);
3. the firing is claimed by inserting its (rule, day) row: of several replicas checking at
   once, one wins and posts, the others move on;
4. the post: the alert with its buttons, through the one delivery life cycle (bot.shared.delivery),
   then its chart in the thread. A transient failure is retried by later checks with backoff,
   a firing whose checker died is taken over after the lease (after a look in the channel for
   its post), both without the chart, which is not stored.
"""

from __future__ import annotations

import logging
import time
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from bot.alerts import render
from bot.alerts.contributions import Contribution, Parts, contributions
from bot.alerts.data import ScopeData, load_scope
from bot.alerts.episodes import episode_start, should_fire
from bot.alerts.judge import RuleTerms, Verdict, judge
from bot.services import Services
from bot.shared.delivery import LOST, Deliverer, DeliveryPolicy, Outbound, worker_name
from bot.shared.delivery.slack import DeliverySlack, Posted, RetryPolicy, marked
from bot.shared.kpis.completeness import latest_complete_day
from bot.shared.kpis.definitions import KPIS, Kpi, scope_name
from bot.shared.language import N_, Speech, _, speaking
from bot.shared.numbers import NumberStyle, style_of
from bot.shared.speakers import channel_speech
from storage.alerts import rules as store
from storage.alerts.models import AlertFiring, AlertRule
from storage.delivery.models import RunStatus
from storage.kpis import reads as kpi_reads
from storage.kpis.reads import Scope
from storage.sellers.registry import seller_by_id

log = logging.getLogger(__name__)
METRICS = {kpi.key: kpi for kpi in KPIS}
SELLER_SPLIT = {"gmv": "gmv_cents", "orders": "orders"}  # what sellers' daily arrays hold
LEASE = timedelta(minutes=10)
RETRY_LATER = timedelta(minutes=5)  # doubled per failed attempt
MAX_ATTEMPTS = 5
CHART_TITLE = N_("The last eight weeks, with the expected range")


def terms_of(rule: AlertRule) -> RuleTerms:
    return RuleTerms(rule.rule, rule.baseline, rule.percent, rule.threshold)


@dataclass
class CheckReport:
    """What one check did, for logs, tests and the benchmark."""

    rules: int = 0
    judged: int = 0
    posted: list[AlertFiring] = field(default_factory=list)
    skipped_incomplete: int = 0
    lost: int = 0
    failed: int = 0
    seconds_to_post: float = 0.0  # until every rule was judged and every alert posted
    seconds: float = 0.0  # until their charts were attached too
    charts: list[tuple[AlertFiring, Found]] = field(default_factory=list)  # still to attach

    @property
    def fired(self) -> list[int]:
        """The ids of the firings posted."""
        return [f.id for f in self.posted if f.id is not None]


@dataclass(frozen=True)
class Found:
    """A rule that fires on a day, with what its post says and what its chart shows."""

    rule: AlertRule
    kpi: Kpi
    verdict: Verdict
    news: render.AlertNews
    label: str
    values: dict[date, Decimal]

    def chart(self, style: NumberStyle) -> bytes:
        terms = terms_of(self.rule)
        return render.alert_chart(self.kpi, self.label, terms, self.values, self.verdict.day, style)


class AlertChecker:
    """Judges the rules and posts what fires; one per process (or thread, in tests)."""

    def __init__(self, services: Services, *, name: str | None = None) -> None:
        self.services = services
        self.client = services.slack(retries=False)  # an alert is a scheduled post
        self.name = name or worker_name()
        # An alert check answers an import: it does not wait out a 429 or back off; the post
        # is retried by later checks (RETRY_LATER, doubled per attempt).
        slack = DeliverySlack(
            self.client,
            services.bot_user(),
            RetryPolicy(attempts=1, backoff_seconds=0, rate_limit_waits=0),
        )
        policy = DeliveryPolicy(LEASE, RETRY_LATER, MAX_ATTEMPTS)
        self.delivery = Deliverer(
            services.engine, AlertFiring, slack, self.name, services.clock, policy
        )

    def check(self, team_id: str | None = None, *, charts: bool = True) -> CheckReport:
        """Check every rule of the workspace (the installed one unless named) and post what
        fires; the charts are drawn and attached once every alert is out (or, without
        `charts`, left in the report for `attach_charts`, so that other work can come first)."""
        started = time.perf_counter()
        engine, now = self.services.engine, self.services.clock()
        team_id = team_id or self.services.workspace()
        rules = store.team_rules(engine, team_id)
        report = CheckReport(rules=len(rules))
        live = [r for r in rules if r.muted_until is None or r.muted_until <= now]
        scopes: dict[tuple[str, str | None, int | None], list[AlertRule]] = defaultdict(list)
        for rule in live:
            scopes[(rule.team_id, rule.category, rule.seller_id)].append(rule)
        for (team, category, seller_id), scoped in scopes.items():
            scope = Scope(team, category, seller_id)
            report.charts += self._check_scope(scope, scoped, report)
        self._retry_due(team_id, report)
        report.seconds_to_post = time.perf_counter() - started
        if charts:
            self.attach_charts(report)
        report.seconds = time.perf_counter() - started
        if report.fired or report.failed:
            log.info(
                "alert check: %d rules, %d fired, %d failed",
                len(rules),
                len(report.fired),
                report.failed,
            )
        return report

    def _check_scope(
        self,
        scope: Scope,
        rules: Sequence[AlertRule],
        report: CheckReport,
    ) -> list[tuple[AlertFiring, Found]]:
        """Judge the scope's rules on its latest complete day and post what fires; returns
        the posted firings whose charts are still to attach."""
        today = self.services.today()
        data = load_scope(
            self.services.engine, scope, today, self.services.settings.adoption_program
        )
        day = latest_complete_day(data.presence, today)
        if day is None:
            report.skipped_incomplete += len(rules)
            return []
        sellers = _SellerParts(self.services, data, day)
        posted = []
        for rule in rules:
            kpi = METRICS.get(rule.metric)
            if kpi is None:
                continue
            report.judged += 1
            with speaking(self._speech_of(rule.team_id, rule.channel_id)):
                label = _scope_label(self.services, scope)
                found = self._judge(rule, kpi, data, day, label, sellers)
                firing = self._fire(found, report) if found is not None else None
            if firing is not None and found is not None:
                posted.append((firing, found))
        return posted

    def _speech_of(self, team_id: str, channel_id: str) -> Speech:
        """An alert is written in its channel's language (bot.shared.speakers)."""
        return channel_speech(self.services, team_id, channel_id)

    def _judge(
        self,
        rule: AlertRule,
        kpi: Kpi,
        data: ScopeData,
        day: date,
        label: str,
        sellers: _SellerParts,
    ) -> Found | None:
        terms, values = terms_of(rule), data.values(kpi)
        verdict = judge(terms, values, day)
        if verdict is None or not verdict.breached:
            return None
        assert rule.id is not None
        start = episode_start(day, lambda d: judge(terms, values, d), lambda d: d in values)
        earlier = {
            f.day: f.severity for f in store.firings_of(self.services.engine, rule.id, start, day)
        }
        if day in earlier or not should_fire(verdict, start, earlier):
            return None
        worsened = max((s for d, s in earlier.items() if d < day), default=None)
        by_seller: list[Contribution] = []
        if rule.seller_id is None and rule.metric in SELLER_SPLIT:
            by_seller = sellers.explain(terms, SELLER_SPLIT[rule.metric])
        by_category: list[Contribution] = []
        if rule.category is None and rule.seller_id is None and kpi.additive:
            by_category = contributions(terms, data.category_parts(kpi), day)
        news = render.compose(
            number=rule.number,
            kpi=kpi,
            scope_label=label,
            terms=terms,
            verdict=verdict,
            sellers=by_seller,
            categories=by_category,
            style=style_of(self.services),
            worsened_from=worsened,
        )
        return Found(rule, kpi, verdict, news, label, values)

    # ---- posting once ------------------------------------------------------------------------

    def _fire(self, found: Found, report: CheckReport) -> AlertFiring | None:
        """Claim the firing and post it; the firing when this checker posted it."""
        rule = found.rule
        assert rule.id is not None
        values = {
            "team_id": rule.team_id,
            "rule_id": rule.id,
            "day": found.verdict.day,
            "severity": found.verdict.severity,
            "message": found.news.text[:3000],
            "summary": found.news.summary[:300],
            "channel_id": rule.channel_id,
        }
        firing = self.delivery.claim(("rule_id", "day"), values)
        if firing is None:
            report.lost += 1  # another checker has it
            return None
        return self._post(firing, report)

    def _post(self, firing: AlertFiring, report: CheckReport) -> AlertFiring | None:
        """Post the alert through the delivery life cycle (bot.shared.delivery): its message carries
        the firing's marker, so a post cut off before it was recorded is found in the channel
        by whoever takes the firing over, not posted again."""
        assert firing.id is not None
        rule = store.rule_by_id(self.services.engine, firing.team_id, firing.rule_id)
        blocks = [
            b.to_dict()
            for b in render.alert_blocks(firing.message, firing.id, rule.number if rule else 0)
        ]
        marker = f"shopbot-alert-{firing.id}"

        def send() -> Posted:
            answer = self.client.chat_postMessage(
                channel=firing.channel_id,
                text=firing.message,
                blocks=blocks,
                metadata=marked(marker),
                unfurl_links=False,
            )
            return Posted(str(answer["ts"]))

        posted: list[Posted] = []

        def record(post: Posted) -> dict[str, Any]:
            posted.append(post)
            return {}

        status = self.delivery.deliver(
            firing, Outbound(firing.channel_id, marker, send, posted=record)
        )
        if status != RunStatus.POSTED:
            if status != LOST:
                report.failed += 1
                log.error("alert %s could not be posted in %s", firing.id, firing.channel_id)
            return None
        firing.message_ts = posted[0].message_ts
        report.posted.append(firing)
        return firing

    def attach_charts(self, report: CheckReport) -> None:
        """Draw and attach the charts of the alerts the check posted."""
        while report.charts:
            self._attach_chart(*report.charts.pop(0))

    def _attach_chart(self, firing: AlertFiring, found: Found) -> None:
        """The chart in the alert's thread. A failure leaves the alert as it is: the post is
        out, and a missing chart is not worth posting it again."""
        try:
            with speaking(self._speech_of(firing.team_id, firing.channel_id)):
                content, title = found.chart(style_of(self.services)), _(CHART_TITLE)
            self.client.files_upload_v2(
                channel=firing.channel_id,
                thread_ts=firing.message_ts,
                content=content,
                filename=f"alert-{found.rule.number}-{firing.day:%Y-%m-%d}.png",
                title=title,
            )
        except Exception:
            log.exception("could not attach the chart of alert %s", firing.id)

    def _retry_due(self, team_id: str, report: CheckReport) -> None:
        for firing in self.delivery.take_over(team_id):
            rule = store.rule_by_id(self.services.engine, team_id, firing.rule_id)
            if rule is None or rule.deleted_at is not None:
                # Removed since it fired: a removed rule posts nothing more.
                self.delivery.drop(firing, "the rule was removed")
                continue
            with speaking(self._speech_of(firing.team_id, firing.channel_id)):
                self._post(firing, report)  # without its chart, which is not kept


class _SellerParts:
    """The scope's sellers' GMV and orders per day, read once for every rule of the scope
    that fires, and the sellers' names for those that explain a change."""

    def __init__(self, services: Services, data: ScopeData, day: date) -> None:
        self.services, self.data, self.day = services, data, day
        self.days = [d for d in sorted(data.days) if d <= day and (day - d).days <= 8 * 7]
        self._read: dict[str, Parts] = {}

    def explain(self, terms: RuleTerms, figure: str) -> list[Contribution]:
        if figure not in self._read:
            scope, engine = self.data.scope, self.services.engine
            numbers, values = kpi_reads.seller_day_matrix(engine, scope, self.days, figure)
            self._read[figure] = Parts([str(n) for n in numbers.tolist()], self.days, values)
        found = contributions(terms, self._read[figure], self.day)
        names = kpi_reads.seller_names(
            self.services.engine, self.data.scope.team_id, [int(c.name) for c in found]
        )
        return [Contribution(names.get(int(c.name), c.name), c.change, c.share) for c in found]


def _scope_label(services: Services, scope: Scope) -> str:
    if scope.seller_id is not None:
        seller = seller_by_id(services.engine, scope.team_id, scope.seller_id)
        return (
            seller.name if seller is not None else _("seller {name}").format(name=scope.seller_id)
        )
    return scope_name(scope.category)
