"""Benchmarks for Customer Lens: they print figures; they are not unit tests (see bench/README.md)."""
