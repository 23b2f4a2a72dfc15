# Yishi: `make run` serves the demo meeting; `make test` runs the whole test suite.
SHELL := /bin/bash
VENV := .venv
STAMP := $(VENV)/.installed
PORT ?= 5000
HTTPS ?= 0

.PHONY: run run-cluster install uninstall test robustness setup lint typecheck translations clean bench bench-soak bench-node \
	bench-memory ballots

$(STAMP): pyproject.toml scripts/setup.sh
	scripts/setup.sh
	touch $(STAMP)

setup: $(STAMP) translations

translations: $(STAMP)
	@PYBABEL=$(VENV)/bin/pybabel scripts/i18n.sh compile >/dev/null

run: setup
	PORT=$(PORT) YISHI_HTTPS=$(HTTPS) $(VENV)/bin/yishi run --demo-story

# Scale-out mode: PostgreSQL, Redis, $(WORKERS) gevent workers and nginx (sticky) on
# $(CLUSTER_PORT); Ctrl-C stops them all. See scripts/cluster.sh for its settings.
WORKERS ?= 2
CLUSTER_PORT ?= 8080
run-cluster: setup
	WORKERS=$(WORKERS) PORT=$(CLUSTER_PORT) scripts/cluster.sh run

# A box that runs itself: Yishi as a systemd service (its own user, at boot, restarted after a
# crash; README "A box that runs itself"). INSTALL_ARGS passes options, e.g. "--port 80
# --backup-folder /media/usb/yishi"; `.venv/bin/yishi install-service --dry-run` shows the steps.
SUDO = $$([ "$$(id -u)" -eq 0 ] || echo sudo)
install: setup
	$(SUDO) $(VENV)/bin/yishi install-service $(INSTALL_ARGS)

uninstall:
	$(SUDO) $(VENV)/bin/yishi uninstall-service $(INSTALL_ARGS)

# pytest collects all of tests/: the unit, web, browser and robustness tests and tests/security
# (issue 15's attacks replayed against the real files, tests/security/README.md).
# The suite runs in $(JOBS) processes (pytest-xdist; the browser tests mostly wait for their
# server and Chromium), one test file per process; then the tests marked `alone` (1,000 phones, a
# flood, the benchmarks' tiny runs, concurrent writers), which load or time the machine, run by
# themselves.
# Bytecode is written even where PYTHONDONTWRITEBYTECODE is set: the project's (compileall),
# so the suite's servers and commands load it instead of compiling 500 modules each, and
# pytest's assertion-rewritten test modules, so each pytest process collects in 7 s, not 15.
# Both are made on the second core while mypy runs on the first.
JOBS ?= 3
PYTEST = env -u PYTHONDONTWRITEBYTECODE $(VENV)/bin/pytest
test: setup bench-node
	@( $(VENV)/bin/python -m compileall -q meeting_room kiosk devices migrations tests bench >/dev/null \
	  && $(PYTEST) --collect-only -q >/dev/null ) & warm=$$!; \
	$(VENV)/bin/ruff check . && $(VENV)/bin/mypy && $(VENV)/bin/lint-imports; lint=$$?; \
	wait $$warm; [ $$lint -eq 0 ]
	$(PYTEST) -n $(JOBS) --dist loadfile --no-loadscope-reorder -m "not alone"
	$(PYTEST) -m alone

# Crashes (issue 7): the real server killed with SIGKILL in the middle of a burst of ballots,
# 20 times, then checked (tests/robustness/test_crash.py; `make test` runs the other
# robustness tests: concurrent writers, a full disk, a read-only database).
robustness: setup
	YISHI_ROBUSTNESS=1 $(VENV)/bin/pytest tests/robustness/test_crash.py -q -s

# Paper ballots (issue 18): the reader on all 300 generated ballot photos (make test reads 60);
# 0 boxes read wrongly, the rate read without the clerk in test-artifacts/ballot-scans-300.json.
ballots: setup
	YISHI_BALLOT_PAGES=300 $(VENV)/bin/pytest tests/unit/test_ballot_reader.py -q -k generated_scans

# Phones benchmark (issue 8, bench/load): N=1000 phones, 3 runs against Yishi and the bare
# baseline, medians in test-artifacts/bench-load.json; then the hall's Wi-Fi (issue 19,
# bench/load/wifi.py): 500 Node.js phones in a network namespace behind tc tbf (20 Mbit/s) and a
# delaying proxy (80 ± 40 ms), a vote and a 10-s access-point outage. BENCH_ARGS passes options, e.g.
# BENCH_ARGS="--url http://127.0.0.1:8080 --instance DIR --targets yishi" for a running server.
bench: setup bench-node
	$(VENV)/bin/python -m bench.load --generator $$($(BENCH_GENERATOR)) $(BENCH_ARGS)

# The Node.js phones: socket.io-client as locked in bench/load/node/package-lock.json. They
# cost a third of the Python phones' CPU per delivery, so the generator distorts less; the
# benchmarks use them when installed (skipped where npm is missing: then the Python phones).
BENCH_GENERATOR = if [ -d bench/load/node/node_modules/socket.io-client ] && command -v node >/dev/null; then echo node; else echo python; fi
bench-node:
	@if command -v npm >/dev/null; then cd bench/load/node && npm ci --no-audit --no-fund --silent; \
	else echo "npm not found: the Node.js phones (--generator node) are not installed"; fi

# The soak (not part of `make test`): N=2000 connected for 10 minutes, a timer event every 10 s.
bench-soak: setup bench-node
	$(VENV)/bin/python -m bench.load soak --generator $$($(BENCH_GENERATOR)) --out test-artifacts/bench-soak.json $(BENCH_ARGS)

# Server memory (issue 8): RSS at rest with 1,000 members signed in and after each feature's
# first use, and each heavy library's import cost (bench/memory.py).
bench-memory: setup
	$(VENV)/bin/python -m bench.memory --phones 1000 --json test-artifacts/bench-memory.json

lint: setup
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

typecheck: setup
	$(VENV)/bin/mypy

clean:
	rm -rf $(VENV) instance test-artifacts .pytest_cache .mypy_cache .ruff_cache
