"""What the placeholders in `/kpi`'s usage lines can be, spelled once.

A subcommand's usage is its docstring's first line (`/kpi chart [metric] [period] …`); the words a
`[period]` or `[metric]` stands for come from the declarations the parsers read
(`bot.shared.periods.period_forms`, and `CHARTABLE` and the metric words of
`bot.shared.kpis.definitions`), and are shown from here both after bad input and in `/kpi help`,
so neither can drift from what is accepted. The period's day form follows the team's locale (D/M
or M/D).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from bot.shared.kpis.definitions import CHART_WORDS, CHARTABLE
from bot.shared.language import N_, _, speech
from bot.shared.periods import DEFAULT_LOCALE, period_forms
from bot.shared.replies import escape


@dataclass(frozen=True)
class Argument:
    """A placeholder of a usage line and the words it stands for, the default first."""

    name: str
    choices: tuple[str, ...]
    note: str = ""
    also: Mapping[str, tuple[str, ...]] = field(default_factory=dict)  # other words per choice
    examples: Mapping[str, tuple[str, ...]] = field(default_factory=dict)  # for the shapes
    means: Mapping[str, str] = field(default_factory=dict)

    @property
    def usage(self) -> str:
        """Plain text: `period: today|yesterday|…`."""
        return f"{_(self.name)}: {'|'.join(self.choices)}"

    def help(self) -> str:
        """mrkdwn: `` _period_: `today` (default), `yesterday`, … or `…` (note) ``."""
        words = [self._choice_help(n, choice) for n, choice in enumerate(self.choices)]
        listed = (
            _("{choices} or {last}").format(choices=", ".join(words[:-1]), last=words[-1])
            if len(words) > 1
            else words[0]
        )
        return f"_{_(self.name)}_: {listed}" + (f" ({_(self.note)})" if self.note else "")

    def _choice_help(self, n: int, choice: str) -> str:
        shorter = (" " + _("or") + " ").join(
            f"`{escape(word)}`" for word in self.also.get(choice, ())
        )
        such_as = ", ".join(f"`{escape(word)}`" for word in self.examples.get(choice, ()))
        means = self.means.get(choice, "")
        details = [
            *([_("or {words}").format(words=shorter)] if shorter else []),
            *([_("such as {examples}").format(examples=such_as)] if such_as else []),
            *([means] if means else []),
            *([_("default")] if n == 0 else []),
        ]
        return f"`{escape(choice)}`" + (f" ({'; '.join(details)})" if details else "")

    def typed_examples(self) -> list[str]:
        """Every word and example the help shows for this argument."""
        return [
            *self.choices,
            *(w for words in self.also.values() for w in words),
            *(w for words in self.examples.values() for w in words),
        ]


def period_argument(locale: str = DEFAULT_LOCALE) -> Argument:
    """`[period]`: the fixed words with their other spellings, then the shapes with examples."""
    forms = period_forms(locale, speech().language)
    words = {form.usage: form.examples[1:] for form in forms if form.examples[:1] == (form.usage,)}
    return Argument(
        N_("period"),
        tuple(form.usage for form in forms),
        note=N_("at most two years"),
        also={word: others for word, others in words.items() if others},
        examples={form.usage: form.examples for form in forms if form.usage not in words},
        means={form.usage: form.means for form in forms if form.means},
    )


def _metric_words() -> dict[str, tuple[str, ...]]:
    grouped: dict[str, tuple[str, ...]] = {}
    for word, kpi in CHART_WORDS.items():
        if word != kpi.key:
            grouped[kpi.key] = (*grouped.get(kpi.key, ()), word)
    return grouped


METRIC = Argument(N_("metric"), tuple(CHARTABLE), also=_metric_words())


def arguments(locale: str = DEFAULT_LOCALE) -> tuple[Argument, ...]:
    return (period_argument(locale), METRIC)


def arguments_in(usages: Iterable[str], locale: str = DEFAULT_LOCALE) -> list[Argument]:
    """The arguments whose placeholder (`[period]`) appears in the usage lines, in the order
    they first appear."""
    text = " ".join(usages)
    found = [argument for argument in arguments(locale) if f"[{argument.name}]" in text]
    return sorted(found, key=lambda argument: text.index(f"[{argument.name}]"))


def usage_lines(usage: str, locale: str = DEFAULT_LOCALE) -> list[str]:
    """What to type instead of bad input: the usage, then what each of its placeholders can be."""
    return [usage, *(argument.usage for argument in arguments_in([usage], locale))]
