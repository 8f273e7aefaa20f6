"""The benchmark of scripts/bench.py: measuring a run, the checks of its results, the tables."""
