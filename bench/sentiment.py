"""Benchmark: reading a note's sentiment (bot/feedback/sentiment), in µs per note.

    .venv/bin/python bench/sentiment.py [--rounds 5] [--short] [--json]

The notes are the labelled German and English ones in tests/data (about 700, written as creator
managers write them, many with emoji, handles and tags). The per-word cache is cleared before
each round of 20 passes over them, so a round pays for looking each word up once, as a running
bot does. Target: ≤ 100 µs per note at the best of the rounds (about 20 µs measured on the
shared 2-core machine). Floor, measured in the same run on the same notes:
`text.lower().split()`, the least a reader of words does. `--short` takes 3 rounds; `--json`
ends the output with the figures for bench/run.py's table (`--postgres` is accepted, unused).
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from figures import Figure, emit, json_option  # bench/figures.py, beside this file

from bot.feedback.sentiment.reader import cue, read_sentiment

ROOT = Path(__file__).resolve().parent.parent

MICROSECONDS_PER_NOTE = 100.0
REPEAT = 20  # passes over the notes in one round, so that a round takes milliseconds


def notes() -> list[str]:
    texts = []
    for language in ("de", "en"):
        labelled = ROOT / "tests" / "data" / f"sentiment_{language}.tsv"
        for line in labelled.read_text(encoding="utf-8").splitlines():
            if line and not line.startswith("#"):
                texts.append(line.split("\t", 2)[2])
    return texts


def microseconds_per_note(texts: list[str], rounds: int) -> tuple[float, float]:
    """The best round of the reader, and of the floor, run in turns on the same notes."""
    read, floor = [], []
    for _ in range(rounds):
        cue.cache_clear()
        started = time.perf_counter()
        for _ in range(REPEAT):
            for text in texts:
                read_sentiment(text)
        read.append(time.perf_counter() - started)
        started = time.perf_counter()
        for _ in range(REPEAT):
            for text in texts:
                text.lower().split()
        floor.append(time.perf_counter() - started)
    per_note = 1e6 / (REPEAT * len(texts))
    return min(read) * per_note, min(floor) * per_note


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--postgres", default=None, metavar="ADMIN_URL")
    json_option(parser)
    args = parser.parse_args()
    rounds = 3 if args.short else args.rounds
    texts = notes()
    value, floor = microseconds_per_note(texts, rounds)
    figures = [
        Figure(
            f"sentiment of a note, {len(texts)} notes",
            value,
            "µs",
            floor,
            "text.lower().split() on the same notes",
            MICROSECONDS_PER_NOTE,
            absolute=True,
        )
    ]
    print(f"{figures[0].name}: {value:.1f} µs per note, floor {floor:.2f} µs")
    emit(figures, args.json)
    if not all(f.met(1.0) for f in figures):
        raise SystemExit(1)


if __name__ == "__main__":
    main()
