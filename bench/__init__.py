"""Benchmarks: run by hand (see each script), never inside the test run."""
