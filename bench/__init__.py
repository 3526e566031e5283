"""Benchmark harness for `make bench`; see bench/run.py and bench/README.md."""
