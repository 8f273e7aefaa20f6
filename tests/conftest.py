import os
import sys
from pathlib import Path

import duckdb
import pytest
from hypothesis import HealthCheck, settings

sys.path.insert(0, str(Path(__file__).parent))

from fabriques.cli import main

# Fuzz tests (tests/test_fuzz_ingest.py): `ci` is bounded and derandomised (the same examples on every run, about
# 15 s); FABRIQUES_FUZZ_PROFILE=long searches many more, at random, and keeps failing examples in .hypothesis/.
FUZZ_PROFILE_VARIABLE = "FABRIQUES_FUZZ_PROFILE"
_SLOW_IS_FINE = [HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.large_base_example]
settings.register_profile(
    "ci",
    max_examples=100,
    derandomize=True,
    database=None,
    deadline=None,
    suppress_health_check=_SLOW_IS_FINE,
    print_blob=True,
)
settings.register_profile(
    "long", max_examples=3000, deadline=None, suppress_health_check=_SLOW_IS_FINE, print_blob=True
)
settings.load_profile(os.environ.get(FUZZ_PROFILE_VARIABLE, "ci"))


@pytest.fixture
def ingest_into(tmp_path):
    """Run `fabriques ingest` on campaign folders into a warehouse under tmp_path; return a query function."""
    warehouse = tmp_path / "wh.duckdb"

    def ingest(*campaign_dirs: Path, year: int = 2021):
        assert main(["ingest", *map(str, campaign_dirs), "--year", str(year), "--warehouse", str(warehouse)]) == 0
        return Warehouse(warehouse)

    return ingest


class Warehouse:
    def __init__(self, path: Path):
        self.path = path

    def rows(self, sql: str, params=None) -> list[tuple]:
        with duckdb.connect(str(self.path), read_only=True) as con:
            return con.execute(sql, params or []).fetchall()

    def value(self, sql: str, params=None):
        return self.rows(sql, params)[0][0]

    def quarantine(self) -> list[tuple]:
        """(source_file, source_row, column_name, reason_code) of every quarantined row or file."""
        return self.rows(
            "select source_file, source_row, column_name, reason_code from raw.quarantine "
            "order by source_file, source_row"
        )
