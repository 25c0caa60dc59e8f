"""The benchmark table's own code, on tiny data: every part named in order, every figure beside
its floor and ratio, a missed target or a benchmark that errors turning into exit status 1.

The table itself is no test: it measures the machine, so CI runs its short form as a step of its
own after the tests (`make bench-short BENCH_MARGIN=8` in .ci/run, a generous margin on every
target: the machine is shared and small; the full form, `make bench`, is the one whose figures
count), and that step fails when a target is missed or a benchmark errors.
"""

from __future__ import annotations

import json
import re
from dataclasses import asdict
from pathlib import Path

import pytest
from figures import Figure, run_script, table  # bench/figures.py
from run import PARTS, chosen_parts, errored  # bench/run.py

# Every part of the table, each under a line that names it: bench/run.py's own and each script's.
BENCHMARKS = (
    "imports",
    "kpi",
    "export",
    "load",
    "burst",
    "foundation",
    "feedback",
    "reviews",
    "sellers",
    "alerts",
    "match",
    "digest",
    "sentiment",
)
# value, floor (each with its unit), ratio, then the target, the verdict and what the floor is
FIGURE_LINE = re.compile(
    r" (-?\d+\.\d\d)(?: s|ms|MB|  ) +(\d+\.\d\d)(?: s|ms|MB|  ) +(\d+\.\d\d)×  (.{17}) (.{6}) (.*)$"
)
FIGURES = [
    Figure("/match <seller> p99", 42.0, "ms", 3.5, "bare SQL of the same read", 200, absolute=True),
    Figure("/shopbot help p50", 4.2, "ms", 3.1, "bare Bolt", allowance=2.0),
    Figure("  peak memory, 2,000 rows", 180.0, "MB", 150.0, "the N-row import's peak", 1.10),
    Figure("order export CSV, 10,000 lines", 1.5, "s", 0.2, "Arrow read"),
    Figure("load: errors, notes lost or doubled", 0, "", 1, "a count, no floor", 0, absolute=True),
]


def test_the_table_names_every_benchmark_in_order() -> None:
    assert tuple(PARTS) == BENCHMARKS
    assert chosen_parts(None, imports=False) == list(BENCHMARKS)
    assert chosen_parts(" match, digest ", imports=False) == ["match", "digest"]
    assert chosen_parts("match", imports=True) == ["imports"]
    with pytest.raises(SystemExit, match="no part named nope"):
        chosen_parts("match,nope", imports=False)


def test_every_figure_stands_beside_its_floor_ratio_and_target() -> None:
    printed = table([("match: /match", FIGURES[:1]), ("imports: imports", FIGURES[1:])], 1.0)
    header, *lines = printed.splitlines()
    assert "floor" in header and "ratio" in header and "target" in header
    assert [line for line in lines if line.startswith("[")] == [
        "[match: /match]",
        "[imports: imports]",
    ]
    figures = [FIGURE_LINE.search(line) for line in lines if not line.startswith("[")]
    assert all(figures), printed
    assert [(m[1], m[2], m[3], m[4].strip(), m[5].strip()) for m in figures if m] == [
        ("42.00", "3.50", "12.00", "≤ 200 ms", "met"),
        ("4.20", "3.10", "1.35", "≤ floor + 2 ms", "met"),
        ("180.00", "150.00", "1.20", "≤ 1.1×", "MISSED"),
        ("1.50", "0.20", "7.50", "—", ""),
        ("0.00", "1.00", "0.00", "≤ 0", "met"),
    ]
    # The margin multiplies every target: the memory growth is met at twice the ratio.
    assert "MISSED" not in table([("imports: imports", FIGURES[1:])], 2.0)


def test_a_part_without_figures_or_a_figure_without_a_floor_is_an_error() -> None:
    sections = [("match: /match", FIGURES[:1]), ("digest: digests", [])]
    sections.append(("kpi: /kpi", [Figure("/kpi today p50", 9.0, "ms", 0.0, "bare SQL", 3.0)]))
    assert errored(["match", "digest", "kpi", "load"], sections) == [
        "digest gave no figure",
        "load gave no figure",
        "/kpi today p50: no floor measured",
    ]
    assert errored(["match"], sections[:1]) == []


def test_a_script_hands_its_figures_to_the_table_and_a_failed_one_stops_it(
    tmp_path: Path,
) -> None:
    emitting = tmp_path / "emitting.py"
    emitting.write_text(
        "import sys\n"
        "assert sys.argv[1:] == ['--json', '--short', '--postgres', 'postgresql://x']\n"
        "print('some output first')\n"
        f"print({json.dumps(json.dumps([asdict(f) for f in FIGURES]))})\n"
        "sys.exit(1)  # a missed target: the figures still count\n"
    )
    assert run_script(str(emitting), True, "postgresql://x") == FIGURES
    failing = tmp_path / "failing.py"
    failing.write_text("raise ValueError('the data set is broken')\n")
    with pytest.raises(RuntimeError, match=r"failing\.py failed:(.|\n)*the data set is broken"):
        run_script(str(failing), False, None)
