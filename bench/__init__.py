"""The benchmark harness: `python -m bench` (or `make bench`); see BENCHMARKS.md."""
