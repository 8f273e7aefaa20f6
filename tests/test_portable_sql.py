"""The models speak SQL that every engine of the warehouse reads: what only DuckDB understands is written once, in
an engine's implementation of a dispatched macro (`duckdb__…`, `postgres__…`, `spark__…`), never in a model."""

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
ENGINE_MACRO = re.compile(r"{%-?\s*macro\s+(duckdb|postgres|spark)__.*?{%-?\s*endmacro\s*-?%}", re.DOTALL)
DEFAULT_MACRO = re.compile(r"{%-?\s*macro\s+default__.*?{%-?\s*endmacro\s*-?%}", re.DOTALL)
COMMENT = re.compile(r"{#.*?#}|--[^\n]*", re.DOTALL)
JINJA_STATEMENT = re.compile(r"{%.*?%}|{{[^'\"}]*}}", re.DOTALL)
"""Jinja statements (`{% set tables = ['a', 'b'] %}`) and expressions without text (`{{ columns[0] }}`) are no SQL;
the texts that `{{ … }}` passes to a macro are."""
DUCKDB_ONLY = {
    "double (PostgreSQL: double precision)": r"\bdouble\b(?!\s+precision)",
    "varchar without a length (Spark)": r"\bas\s+varchar\b(?!\s*\()",
    "quantile_cont": r"\bquantile_cont\s*\(",
    "qualify": r"\bqualify\b",
    "string_agg (Spark)": r"\bstring_agg\s*\(",
    "any_value": r"\bany_value\s*\(",
    "strpos": r"\bstrpos\s*\(",
    "list functions": r"\blist(_\w+)?\s*\(",
    "1-based subscripts": r"\w\s*\[\s*[\w(]",
    "regexp_replace(…, 'g')": r"regexp_replace\s*\([^)]*'g'\s*\)",
    "integer division //": r"\w\s*//\s*\w",
    "try_cast": r"\btry_cast\s*\(",
    "union all by name": r"union\s+all\s+by\s+name",
    "group by all / order by all": r"\b(group|order)\s+by\s+all\b",
    "select * exclude": r"\*\s*exclude\b",
    "generate_series / unnest": r"\b(generate_series|unnest)\s*\(",
    "read_csv": r"\bread_csv(_auto)?\s*\(",
    "regexp_extract (PostgreSQL)": r"\bregexp_extract\s*\(",
    "round of a double (PostgreSQL)": r"\bround\s*\(",
    "split_part (Spark before 3.3)": r"(?<![.\w])split_part\s*\(",
}
SQL_FILES = sorted(
    [*(ROOT / "models").rglob("*.sql"), *(ROOT / "macros").rglob("*.sql"), *(ROOT / "tests" / "dbt").rglob("*.sql")]
)


def portable_text(path: Path) -> str:
    """The file without comments, Jinja statements and the engines' own implementations of dispatched macros;
    in macros/cross_db.sql, without the default implementations either (what PostgreSQL and DuckDB share, where
    Spark has its own)."""
    text = ENGINE_MACRO.sub("", path.read_text(encoding="utf-8"))
    if path.name == "cross_db.sql":
        text = DEFAULT_MACRO.sub("", text)
    return JINJA_STATEMENT.sub("", COMMENT.sub("", text))


@pytest.mark.parametrize("path", SQL_FILES, ids=lambda p: str(p.relative_to(ROOT)))
def test_no_engine_specific_sql_outside_an_engine_macro(path):
    text = portable_text(path)
    found = [name for name, pattern in DUCKDB_ONLY.items() if re.search(pattern, text, re.IGNORECASE)]
    assert not found, f"{path.relative_to(ROOT)}: {', '.join(found)}: use a macro of macros/cross_db.sql"


def test_the_search_finds_what_it_looks_for():
    sample = "select quantile_cont(x, 0.5), cast(y as varchar), z[1], a // 2 from t qualify row_number() over () = 1"
    found = {name for name, pattern in DUCKDB_ONLY.items() if re.search(pattern, sample, re.IGNORECASE)}
    assert {"quantile_cont", "varchar without a length (Spark)", "1-based subscripts", "integer division //"} <= found
    assert "qualify" in found
    assert not re.search(DUCKDB_ONLY["double (PostgreSQL: double precision)"], "cast(x as double precision)")


def test_no_source_is_read_from_a_file_by_the_engine():
    """Reference files are tables the run loads (fabriques.reference_tables), not DuckDB's read_csv()."""
    declarations = sorted((ROOT / "models").rglob("*.yml"))
    found = [p.name for p in declarations if re.search(r"external_location|read_csv", p.read_text(encoding="utf-8"))]
    assert len(declarations) > 5 and found == []
