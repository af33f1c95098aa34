"""Benchmarks for Casebook: import, search, paging and size at 1,000 to 100,000 cases.

`python -m bench.run` (or `make bench`) prints Markdown tables for docs/PERFORMANCE.md.
The corpus is synthetic (`bench.corpus`) and the peer importer is a plain sqlite-utils
script (`bench.plain`), so the figures can be compared with what a simple tool would do.
"""
