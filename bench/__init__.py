"""Benchmarks: figures and ratios measured in one run, never asserted. See bench/README.md."""
