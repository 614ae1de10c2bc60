"""Benchmarks run by `make bench`: each compares against a baseline in the same run."""
