# The two Quickstart commands (`make crawl`, `make test`) and the developer's others. Everything runs in .venv.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cksum pyproject.toml | cut -d' ' -f1)

.PHONY: crawl test lint typecheck eval bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

# Re-install only when pyproject.toml changed.
$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e '.[test]'
	rm -f $(VENV)/.installed-*
	touch $(STAMP)

## Serve the bundled demo news site on loopback, crawl it with `scrapy crawl`, say where the articles went.
crawl: $(STAMP)
	$(BIN)/python -m newscrawl.demo.crawl

## The whole test suite (unit, golden, end-to-end crawl, extraction quality gate).
test: $(STAMP)
	scripts/ensure-test-tools.sh
	$(BIN)/python -m pytest

lint: $(STAMP)
	$(BIN)/ruff check newscrawl tests benchmarks

typecheck: $(STAMP)
	$(BIN)/mypy

## aeval on both evaluation sets, tables in /tmp/aeval (needs ../shared).
eval: $(STAMP)
	PYTHONPATH=../shared/eval $(BIN)/python -m aeval run --dataset aeb --extractor builtin:newscrawl --out /tmp/aeval
	PYTHONPATH=../shared/eval $(BIN)/python -m aeval run --dataset fundus --extractor builtin:newscrawl --out /tmp/aeval
	PYTHONPATH=../shared/eval $(BIN)/python -m aeval table --out /tmp/aeval

## The benchmark: ceiling, full crawl, extraction vs peers, two processes (benchmarks/README.md).
bench: $(STAMP)
	$(BIN)/pip install --quiet -e '.[bench]'
	$(BIN)/python -m benchmarks.run

clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache .mypy_cache .ruff_cache
