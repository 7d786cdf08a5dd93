# The two commands in the README. Everything else is in scripts/.
.PHONY: serve test test-full bench build-sharded
serve:
	bash scripts/setup.sh
	@if [ -n "$${KB_KOMMUNER:-}" ]; then echo "Serving the national pages and the kommuner $$KB_KOMMUNER only."; \
	else echo "Serving every kommune. To serve one kommune, faster: KB_KOMMUNER=flaa make serve" \
	  "(or several: KB_KOMMUNER=flaa,sel; the ids are the folders in data/kommuner: $$(ls data/kommuner | tr '\n' ' '))."; fi
	@echo "Serving with --dirtyreload: a save rebuilds only the pages it changes (docs/utvikler/ytelse.md)."
	NO_MKDOCS_2_WARNING=1 .venv/bin/mkdocs serve --dirtyreload --dev-addr 127.0.0.1:8000

# The site as shards built in parallel (one national, one per group of kommuner), merged into site/,
# indexed for search and link-checked; the deploy workflow runs the same shards as a job matrix.
build-sharded:
	bash scripts/setup.sh
	.venv/bin/python scripts/build_sharded.py --out site

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
