# The two commands in the README. Everything else is in scripts/.
.PHONY: serve test bench
serve:
	bash scripts/setup.sh
	NO_MKDOCS_2_WARNING=1 .venv/bin/mkdocs serve --dev-addr 127.0.0.1:8000

test:
	bash scripts/test.sh

bench:
	bash scripts/setup.sh
	.venv/bin/python scripts/benchmark.py
