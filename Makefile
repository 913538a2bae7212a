# The one entry point. `make book` and `make test` set up everything they need.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed

.PHONY: book docs pdf test test-fast mutants check new-book import translations-ok reproducible clean help system-deps chapter serve bench gpu-check player-sizes

help:
	@echo "make book   build the executed site into _build/html"
	@echo "make pdf    the site as make book builds it, plus the whole book as PDF (ko, en), linked from every page"
	@echo "make test   run the test suite"
	@echo "make docs   build the generator's own documentation (docs/, a small bilingual book) into docs/_build/html"
	@echo "make mutants  apply small bugs one at a time (tests/mutants.py) and count those the tests catch"
	@echo "make test-fast  the tests that need no built book (no build, browser or slow marker)"
	@echo "make execute SHARD=k/N SHARD_DIR=dir  run share k of N of the stale chapters into dir"
	@echo "make book SHARDS=\"dir1 dir2\"  merge those shares, then build without executing them"
	@echo "make plan MAX_SHARDS=4  how the stale chapters would be shared out"
	@echo "make check  check the sources fast (translation pairs, Korean spacing), executing nothing"
	@echo "make translations-ok [FILE=lectures/x.md]  confirm that each Korean/English pair says the same"
	@echo "make serve  live preview on http://127.0.0.1:8000, rebuilt on save"
	@echo "make chapter NAME=09_topic  scaffold a chapter and list it in _toc.yml"
	@echo "make import NB=lecture.ipynb|folder [NAME=09_topic]  bring Jupyter/Colab/Quarto notebooks in as chapters"
	@echo "make bench  time the build against a vanilla jupyter-book build; every page's Lighthouse scores and bytes"
	@echo "make player-sizes  the size of every training player in the built site"
	@echo "make gpu-check  build on CUDA and on the CPU, compare per-chapter times"
	@echo "make reproducible  build three times from clean (forked, fresh kernels, two shares) and compare the outputs"
	@echo "make new-book DIR=path [PACKAGE=name]  start another course with this generator"
	@echo "make clean  remove builds and caches"
	@echo "Every target runs a command of the generator: $(PY) -m coursebook --help lists them."

# The virtual environment is rebuilt whenever the pinned requirements change.
$(STAMP): requirements.txt pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11 or newer is needed: install it, or run make PYTHON=python3.11 ...")'
	@$(PYTHON) -m venv $(VENV) || { echo "Could not create $(VENV): install Python's venv module (Debian: apt-get install python3-venv)."; exit 1; }
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt
	$(PY) -m pip install --quiet --no-deps --no-build-isolation -e .
	@touch $(STAMP)

# SHARDS="dir1 dir2 ...": merge the folders `make execute` wrote, then build (src/coursebook/sharding.py).
book: $(STAMP)
	$(PY) -m coursebook build $(if $(strip $(SHARDS)),--shards $(SHARDS))

# Execute share k of N of the stale chapters into SHARD_DIR (without SHARD: all of them, into _build).
execute: $(STAMP)
	$(PY) -m coursebook execute --shard $(or $(SHARD),1/1) $(if $(SHARD_DIR),--dir $(SHARD_DIR))

plan: $(STAMP)
	$(PY) -m coursebook plan --max-shards $(or $(MAX_SHARDS),4)

# Chromium prints the PDF, with Debian's Korean fonts (system-deps installs both, as for the tests).
pdf: $(STAMP) system-deps
	$(PY) -m coursebook build --pdf

# The generator's documentation is a course of its own, built by the same generator.
docs: $(STAMP)
	COURSEBOOK_ROOT=$(CURDIR)/docs $(PY) -m coursebook build

test: $(STAMP) system-deps
	$(PY) -m pytest

# Not part of make test: each mutant runs its tests again in a copy (docs/testing.md).
mutants: $(STAMP) system-deps
	$(PY) tests/mutants.py

test-fast: $(STAMP)
	$(PY) -m pytest -q -m "not build and not browser and not slow"

check: $(STAMP)
	@$(PY) -m ruff check --quiet .
	@$(PY) -m ruff format --check --quiet src tests bench || { echo "(run: .venv/bin/python -m ruff format src tests bench)" >&2; exit 1; }
	@$(PY) -m coursebook check
	@COURSEBOOK_ROOT=docs $(PY) -m coursebook check || { echo "(those are docs/: confirm its pairs with COURSEBOOK_ROOT=docs make translations-ok FILE=...)" >&2; exit 1; }

translations-ok: $(STAMP)
	$(PY) -m coursebook translations ok $(FILE)

reproducible: $(STAMP)
	$(PY) -m coursebook reproducible

system-deps:
	@src/coursebook/build/system_deps.sh

serve: $(STAMP)
	$(PY) -m coursebook serve

chapter: $(STAMP)
	@test -n "$(NAME)" || { echo "usage: make chapter NAME=09_my_topic"; exit 1; }
	$(PY) -m coursebook chapter $(NAME)

import: $(STAMP)
	@test -n "$(NB)" || { echo "usage: make import NB=lecture.ipynb (or a folder of notebooks) [NAME=09_topic]"; exit 1; }
	$(PY) -m coursebook import $(NB) $(if $(NAME),--name $(NAME))

bench: $(STAMP)
	$(PY) -m bench.build_speed
	$(PY) -m bench.mechanisms
	$(PY) -m bench.page_speed

player-sizes: $(STAMP)
	$(PY) -m bench.player_sizes

gpu-check: $(STAMP)
	$(PY) -m coursebook gpu-check

# Another course from this generator: its own package, two chapters, `make book` and `make test`.
new-book: $(STAMP)
	@test -n "$(DIR)" || { echo "usage: make new-book DIR=path [PACKAGE=name]"; exit 1; }
	$(PY) -m coursebook new $(DIR) $(if $(PACKAGE),--package $(PACKAGE))

clean:
	rm -rf _build .pytest_cache
