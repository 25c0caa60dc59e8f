# Everything starts from a fresh machine with only Python 3.11+ (and make).
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
# Multiplies every benchmark target; CI's short run takes 8 (its machine is shared and small).
BENCH_MARGIN ?= 1

.PHONY: demo test lint shell run manifest env-example messages clean bench bench-short

$(STAMP): pyproject.toml
	python3 -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

demo: $(STAMP)  ## load the demo data set and open the offline shell
	$(BIN)/shopbot demo

# The tests run in parallel worker processes (pytest-xdist, `-n` in pyproject.toml), each with
# databases and files of its own; the benchmarks are no test: `bench-short` is CI's next step.
test: lint  ## lint, type-check, then the tests on SQLite and (when it answers) PostgreSQL
	$(BIN)/pytest

bench: $(STAMP)  ## every benchmark, full size, in one table (figures, floors, ratios, targets)
	$(BIN)/python bench/run.py --margin $(BENCH_MARGIN)

bench-short: $(STAMP)  ## the same table on small data, as CI runs it after the tests
	$(BIN)/python bench/run.py --short --margin $(BENCH_MARGIN)

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

shell: $(STAMP)
	$(BIN)/shopbot shell

run: $(STAMP)
	$(BIN)/shopbot db upgrade
	$(BIN)/shopbot run

manifest: $(STAMP)
	$(BIN)/shopbot manifest > manifest.yml
	$(BIN)/shopbot manifest --socket-mode > manifest.socket-mode.yml

env-example: $(STAMP)  ## write .env.example from the settings' declarations
	$(BIN)/python -c 'import sys; from app import FEATURE_SETTINGS; from bot.settings import env_example; sys.stdout.write(env_example(FEATURE_SETTINGS))' > .env.example

messages: $(STAMP)  ## bring the message catalogs (bot/locale/) in step with the source
	$(BIN)/python -m devkit.messages

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache shopbot-files
