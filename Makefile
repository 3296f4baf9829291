# The two set-up commands are `make run` and `make test`; both create .venv when missing.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp

.PHONY: run test lint typecheck pytest bench install clean stress

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[test]'
	@touch $(STAMP)

install: $(STAMP)

run: $(STAMP)
	$(BIN)/backprop-tutor

test: $(STAMP) lint typecheck pytest

lint: $(STAMP)
	$(BIN)/ruff check src tests benchmarks conftest.py
	$(BIN)/ruff format --check src tests benchmarks conftest.py

typecheck: $(STAMP)
	$(BIN)/mypy

pytest: $(STAMP)
	$(BIN)/pytest

# The determinism check: slowed deferrals, then the whole suite 3x beside two busy loops.
stress: $(STAMP)
	bash tests/stress/run.sh

bench: $(STAMP)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[bench]'
	$(BIN)/python benchmarks/engine.py
	$(BIN)/python benchmarks/trace.py

clean:
	rm -rf $(VENV) build *.egg-info src/*.egg-info .pytest_cache .mypy_cache .ruff_cache

# SVGs of the app's main states, from the real app driven by a Pilot.
.PHONY: screenshots
screenshots: $(STAMP)
	$(BIN)/python -m backprop_tutor.tui.screenshots screenshots
	# The tutor in a browser: taken by the browser test's own Chromium (tests/serve).
	BACKPROP_TUTOR_SCREENSHOTS=screenshots $(BIN)/pytest -n 0 -p no:cacheprovider \
		tests/serve/test_browser.py -k answers_in_the_browser
