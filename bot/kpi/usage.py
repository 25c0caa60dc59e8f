"""What the placeholders in `/kpi`'s usage lines can be, spelled once.

A subcommand's usage is its docstring's first line (`/kpi chart [metric] [period] …`); the words a
`[period]` or `[metric]` stands for come from the declarations the parsers read
(`bot.kpi.periods.PERIOD_WORDS`, `bot.kpi.definitions.CHARTABLE`), and are shown from here both
after bad input and in `/kpi help`, so neither can drift from what is accepted.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from bot.kpi.definitions import CHART_ALIASES, CHARTABLE
from bot.kpi.periods import PERIOD_FORMS, PERIOD_WORDS


@dataclass(frozen=True)
class Argument:
    """A placeholder of a usage line and the words it stands for, the default first."""

    name: str
    choices: tuple[str, ...]
    note: str = ""
    also: Mapping[str, tuple[str, ...]] = field(default_factory=dict)  # shorter words per choice

    @property
    def usage(self) -> str:
        """Plain text: `period: today|yesterday|…`."""
        return f"{self.name}: {'|'.join(self.choices)}"

    def help(self) -> str:
        """mrkdwn: `` _period_: `today` (default), `yesterday`, … or `…` (note) ``."""
        words = [self._choice_help(n, choice) for n, choice in enumerate(self.choices)]
        listed = ", ".join(words[:-1]) + " or " + words[-1] if len(words) > 1 else words[0]
        return f"_{self.name}_: {listed}" + (f" ({self.note})" if self.note else "")

    def _choice_help(self, n: int, choice: str) -> str:
        shorter = " or ".join(f"`{word}`" for word in self.also.get(choice, ()))
        return (
            f"`{choice}`"
            + (f" (or {shorter})" if shorter else "")
            + (" (default)" if n == 0 else "")
        )


def _aliases_by_key() -> dict[str, tuple[str, ...]]:
    grouped: dict[str, tuple[str, ...]] = {}
    for word, key in CHART_ALIASES.items():
        grouped[key] = (*grouped.get(key, ()), word)
    return grouped


PERIOD = Argument("period", PERIOD_WORDS + PERIOD_FORMS, note="at most two years")
METRIC = Argument("metric", tuple(CHARTABLE), also=_aliases_by_key())
ARGUMENTS = (PERIOD, METRIC)


def arguments_in(usages: Iterable[str]) -> list[Argument]:
    """The arguments whose placeholder (`[period]`) appears in the usage lines, in the order
    they first appear."""
    text = " ".join(usages)
    found = [argument for argument in ARGUMENTS if f"[{argument.name}]" in text]
    return sorted(found, key=lambda argument: text.index(f"[{argument.name}]"))


def usage_lines(usage: str) -> list[str]:
    """What to type instead of bad input: the usage, then what each of its placeholders can be."""
    return [usage, *(argument.usage for argument in arguments_in([usage]))]
