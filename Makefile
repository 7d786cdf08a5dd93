# The two commands in the README. Everything else is in scripts/.
.PHONY: serve test test-full bench
serve:
	bash scripts/setup.sh
	@echo "Serving with --dirtyreload: a save rebuilds only the pages it changes (docs/utvikler/ytelse.md)."
	NO_MKDOCS_2_WARNING=1 .venv/bin/mkdocs serve --dirtyreload --dev-addr 127.0.0.1:8000

test:
	bash scripts/test.sh

# Every layer of `make test`, with the browser and HTML checks on every page instead of a sample
# (the deploy workflow runs this before publishing).
test-full:
	KB_FULL=1 bash scripts/test.sh

bench:
	bash scripts/setup.sh
	.venv/bin/python scripts/benchmark.py
	.venv/bin/python scripts/serve_benchmark.py
