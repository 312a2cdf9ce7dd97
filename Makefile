# jianbao — the two commands a newcomer needs: `make demo` and `make test`.
# Both build everything from nothing: Debian packages (when root and missing),
# the virtual environment, and the locked Python dependencies.

PYTHON ?= python3.11
VENV   ?= .venv
BIN    := $(VENV)/bin
UV_VERSION := 0.13.9
STAMP  := $(VENV)/.installed
# pytest-xdist worker processes for `make test` (0: one process, as before)
TEST_WORKERS ?= 2

.PHONY: demo test lint typecheck check deps env lock clean

demo: env
	$(BIN)/jianbao demo --out ./out

test: env
	bash scripts/ensure-services.sh
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/mypy
	$(BIN)/pytest -n $(TEST_WORKERS) --dist worksteal --cov --cov-report=term:skip-covered -q --durations=20

lint: env
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/ruff format --check src tests benchmarks

typecheck: env
	$(BIN)/mypy

deps:
	bash scripts/install-debian-packages.sh

env: $(STAMP)

$(STAMP): requirements.lock pyproject.toml
	bash scripts/install-debian-packages.sh
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q "uv==$(UV_VERSION)"
	$(BIN)/uv pip sync --python $(BIN)/python --require-hashes --compile-bytecode requirements.lock
	$(BIN)/uv pip install --python $(BIN)/python --no-deps -e .
	touch $(STAMP)

# Re-resolve the pinned dependency set after editing pyproject.toml.
lock:
	$(BIN)/uv pip compile pyproject.toml --group dev --generate-hashes \
		--python-version 3.11 --universal -o requirements.lock

clean:
	rm -rf $(VENV) out .pytest_cache .mypy_cache .ruff_cache .coverage
