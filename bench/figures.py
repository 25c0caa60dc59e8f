"""The figures every benchmark reports, and how they reach bench/run.py's one table.

Each benchmark script builds a list of `Figure`s (its value, the floor measured in the same run,
and its target); with `--json` it ends its output with them as one JSON line, which
`run_script` reads back. Light on purpose: bench/run.py imports it before any benchmark runs.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent


@dataclass(frozen=True)
class Figure:
    """One line of the table. `limit` bounds the ratio to the floor or, for `absolute`
    figures, the value itself; `allowance` instead bounds the value to the floor plus that
    much (a command that does no work: at most a few ms above bare Bolt)."""

    name: str
    value: float
    unit: str
    floor: float
    floor_name: str
    limit: float | None = None
    absolute: bool = False
    allowance: float | None = None

    @property
    def ratio(self) -> float:
        return self.value / self.floor if self.floor else float("inf")

    def met(self, margin: float) -> bool:
        if self.allowance is not None:
            return self.value <= self.floor + self.allowance * margin
        if self.limit is None:
            return True
        measured = self.value if self.absolute else self.ratio
        return measured <= self.limit * margin

    def target(self) -> str:
        if self.allowance is not None:
            return f"≤ floor + {self.allowance:g} {self.unit}"
        if self.limit is None:
            return "—"
        return f"≤ {self.limit:g} {self.unit}" if self.absolute else f"≤ {self.limit:g}×"


def percentile(samples: Sequence[float], p: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def p99_figure(
    name: str, samples: Sequence[float], floor: Sequence[float], floor_name: str, limit: float
) -> Figure:
    """A latency target in absolute ms at p99, beside the floor's p99 in the same run."""
    p99, floor_p99 = percentile(samples, 99), percentile(floor, 99)
    return Figure(f"{name} p99", p99, "ms", floor_p99, floor_name, limit, absolute=True)


def table(sections: Sequence[tuple[str, Sequence[Figure]]], margin: float) -> str:
    """Each benchmark's figures under a line that names it: value, floor, ratio, target."""
    width = max([44] + [len(f.name) for _, figures in sections for f in figures])
    lines = [
        f"{'figure':<{width}} {'value':>10} {'floor':>10} {'ratio':>7}  {'target':<17} "
        f"{'':<6} floor measured",
    ]
    for title, figures in sections:
        lines.append(f"[{title}]")
        for f in figures:
            verdict = "met" if f.met(margin) else "MISSED"
            if f.limit is None and f.allowance is None:
                verdict = ""
            lines.append(
                f"{f.name:<{width}} {f.value:>8.2f}{f.unit:>2} {f.floor:>8.2f}{f.unit:>2} "
                f"{f.ratio:>6.2f}×  {f.target():<17} {verdict:<6} {f.floor_name}"
            )
    return "\n".join(lines)


def json_option(parser: argparse.ArgumentParser) -> None:
    """The options bench/run.py passes to every script: the short form, and JSON at the end."""
    parser.add_argument("--short", action="store_true", help="small data, for CI: seconds")
    parser.add_argument("--json", action="store_true", help="end with the figures as JSON")


def emit(figures: Sequence[Figure], as_json: bool) -> None:
    """The figures as this script's last line, for bench/run.py's table (with --json)."""
    if as_json:
        print(json.dumps([asdict(f) for f in figures]))


def run_script(script: str, short: bool, postgres: str | None) -> list[Figure]:
    """Runs bench/<script> with --json in a fresh process; the figures it ended with (a script
    that missed a target still ends with them, and exits 1)."""
    command = [sys.executable, str(HERE / script), "--json"]
    command += ["--short"] if short else []
    command += ["--postgres", postgres] if postgres else []
    result = subprocess.run(command, capture_output=True, text=True, check=False)
    lines = result.stdout.strip().splitlines()
    if not lines or not lines[-1].startswith("["):
        raise RuntimeError(f"{script} failed:\n{result.stdout[-2000:]}\n{result.stderr[-3000:]}")
    return [Figure(**f) for f in json.loads(lines[-1])]
