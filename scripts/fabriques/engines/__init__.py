"""Engines the warehouse runs on besides DuckDB, its default."""
