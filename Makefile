# xlgova — the two Quick start commands are `make demo` and `make test`; both set everything up.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
PYTEST_ARGS ?=

.PHONY: setup system-deps test demo desk templates bench clean bundle bundle-test

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[dev]'
	@touch $(STAMP)

setup: $(STAMP)

system-deps:
	@bash scripts/install-system-deps.sh

test: setup system-deps
	$(BIN)/python -m pytest -n 2 --dist loadgroup $(PYTEST_ARGS)

demo: setup
	$(BIN)/xlgova demo -o demo_output
	@echo "或者运行 make desk 打开示例县的报送台（浏览器）。"

desk: setup
	$(BIN)/xlgova serve demo_output/报送台

templates: setup
	$(BIN)/python -m xlgova.workbook.build_templates

# Offline installers in dist/ (downloads every wheel for Windows x64 and Linux x64, CPython 3.11 and 3.12).
bundle: setup
	$(BIN)/python scripts/build_bundle.py --out dist

# The bundles' own tests: the Windows wheel set resolves with no index, the Linux bundle installs and runs.
bundle-test: bundle
	$(BIN)/python -m pytest -m network tests/test_bundle.py

bench: setup
	$(BIN)/python benchmarks/run.py

clean:
	rm -rf $(VENV) demo_output benchmarks/out .pytest_cache .hypothesis
