"""Validation with Great Expectations: the suites of expectations/ run on the built warehouse, read-only."""
