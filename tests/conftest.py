import sys
from pathlib import Path

import duckdb
import pytest

sys.path.insert(0, str(Path(__file__).parent))

from fabriques.cli import main  # noqa: E402


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
        return self.rows("select source_file, source_row, column_name, reason_code from raw.quarantine "
                         "order by source_file, source_row")
